#pragma once
// Runs the zhsenti binary as a user would (a child process with stdin, stdout, stderr and an
// exit code) for end-to-end tests. The binary path comes from $ZHSENTI_BIN (set by CTest).

#include <string>
#include <vector>

namespace zhsenti::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// args exclude the program name; `input` is written to the child's stdin.
RunResult run_zhsenti(const std::vector<std::string>& args, const std::string& input = "");

// The same with the child's stdout opened on `stdout_path` (e.g. /dev/full) instead of a pipe;
// RunResult::out stays empty.
RunResult run_zhsenti_stdout_to(const std::string& stdout_path,
                                const std::vector<std::string>& args,
                                const std::string& input = "");

// Arguments of `zhsenti train` for a small model that trains in about a second.
std::vector<std::string> tiny_train_args(const std::string& train, const std::string& dev,
                                         const std::string& out);

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes a file in the directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Labelled reviews made of neutral filler around one praise or complaint phrase, rows
// alternating "1" (praise) and "0", with a header `label<TAB>text_a`; the same seed gives the
// same file. A working pipeline learns the task, a broken one cannot.
std::string synthetic_reviews_tsv(int rows, unsigned seed);

// Where the shared public data sets are ($ZHSENTI_DATA or ../shared/data beside the repo).
std::string shared_data_dir();

}  // namespace zhsenti::testing
