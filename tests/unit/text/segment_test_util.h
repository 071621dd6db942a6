#pragma once
// Helpers for the segmenter tests: jieba's real data folder, a shared cache folder (the full
// image is built once per machine, not once per test), tiny jieba folders made of a test
// dictionary plus links to jieba's real HMM tables, and running the jieba oracle.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "zhsenti/text/segmenter.h"

namespace zhsenti::text::testing {

namespace fs = std::filesystem;

inline fs::path jieba_dir() { return resolve_jieba_dir({}); }

inline fs::path shared_cache_dir() {
  return fs::temp_directory_path() / ("zhsenti-seg-test-cache-" + std::to_string(::getuid()));
}

inline std::shared_ptr<const Segmenter> real_segmenter(bool hmm = true) {
  SegmenterOptions options;
  options.cache_dir = shared_cache_dir();
  options.hmm = hmm;
  return Segmenter::load(options);
}

inline fs::path test_data(const std::string& name) {
  return fs::path(ZHSENTI_TEST_DATA_DIR) / "text" / "segment" / name;
}

// A fresh directory removed on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "zhsenti-seg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& content) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  fs::path path_;
};

// A jieba folder whose dict.txt is `dict` and whose HMM tables link to jieba's real ones.
inline fs::path make_jieba_dir(const ScratchDir& dir, const std::string& dict) {
  const fs::path root = dir.path() / "jieba";
  fs::create_directories(root);
  std::ofstream(root / "dict.txt", std::ios::binary) << dict;
  fs::create_directory_symlink(jieba_dir() / "finalseg", root / "finalseg");
  fs::create_directory_symlink(jieba_dir() / "posseg", root / "posseg");
  return root;
}

inline std::string join(const std::vector<std::string_view>& tokens) {
  std::string out;
  for (const auto t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

inline std::string join(const std::vector<TaggedToken>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.word;
    out += '/';
    out += t.tag;
  }
  return out;
}

inline std::string cut_joined(const Segmenter& seg, std::string_view text) {
  std::vector<std::string_view> tokens;
  seg.cut(text, tokens);
  return join(tokens);
}

inline std::string cut_pos_joined(const Segmenter& seg, std::string_view text) {
  std::vector<TaggedToken> tokens;
  seg.cut_pos(text, tokens);
  return join(tokens);
}

// Runs a shell command and returns its stdout; fails the test on a non-zero exit.
inline std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return out;
}

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    lines.emplace_back(s, start, end - start);
    start = end + 1;
  }
  return lines;
}

}  // namespace zhsenti::text::testing
