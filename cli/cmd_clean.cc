// zhsenti clean: the text cleaner over a file or stdin, one output line per input line, in
// order, streamed in batches and cleaned in parallel.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "enum_option.h"
#include "stdout_io.h"
#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::cli {
namespace {

constexpr std::size_t kBatchBytes = 4 << 20;  // lines are cleaned and written ~4 MB at a time
constexpr std::size_t kReadBytes = 1 << 20;
constexpr std::size_t kLinesPerTask = 256;

struct CleanFlags {
  std::string input = "-";
  std::string output;
  bool no_html = false;
  bool no_urls = false;
  bool no_emails = false;
  bool no_mentions = false;
  bool repost_chains = false;
  text::EmojiMode emoji = text::EmojiMode::kKeep;
  bool no_fullwidth = false;
  bool no_squash_punct = false;
  bool no_whitespace = false;
  bool no_t2s = false;
  bool lowercase = false;
  text::InvalidUtf8 invalid_utf8 = text::InvalidUtf8::kError;
  std::size_t threads = 0;

  text::CleanOptions options() const {
    text::CleanOptions o;
    o.html = !no_html;
    o.urls = !no_urls;
    o.emails = !no_emails;
    o.mentions = !no_mentions;
    o.repost_chains = repost_chains;
    o.emoji = emoji;
    o.fullwidth = !no_fullwidth;
    o.squash_punct = !no_squash_punct;
    o.whitespace = !no_whitespace;
    o.t2s = !no_t2s;
    o.lowercase = lowercase;
    o.invalid_utf8 = invalid_utf8;
    return o;
  }
};

// Complete lines of a file or stdin, about kBatchBytes at a time. Lines end at '\n'; a '\r'
// before it (CRLF files) and a UTF-8 BOM at the start of the input are line-end and encoding
// marks, not text, and are not part of any line.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : name_(path == "-" ? "<stdin>" : path) {
    fd_ = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw_io_error(path, "cannot open");
    owned_ = path != "-";
    struct stat st {};
    if (owned_ && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      size_ = static_cast<std::uint64_t>(st.st_size);
    }
  }
  ~LineReader() {
    if (owned_) ::close(fd_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  const std::string& name() const { return name_; }
  std::uint64_t size() const { return size_; }  // 0 when unknown (a pipe)

  // Fills lines with views into an internal buffer that stay valid until the next call.
  // Returns the bytes consumed, 0 at the end of the input.
  std::size_t next(std::vector<std::string_view>& lines) {
    buf_.erase(0, consumed_);
    consumed_ = 0;
    std::size_t last_nl = std::string::npos;
    while (!eof_ && (buf_.size() < kBatchBytes || last_nl == std::string::npos)) {
      const std::size_t old = buf_.size();
      read_more();
      const void* nl = ::memrchr(buf_.data() + old, '\n', buf_.size() - old);
      if (nl != nullptr)
        last_nl = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
    }
    if (at_start_) {
      at_start_ = false;
      if (buf_.starts_with("\xEF\xBB\xBF")) {
        buf_.erase(0, 3);
        if (last_nl != std::string::npos) last_nl -= 3;
      }
    }
    const std::size_t end = eof_ ? buf_.size() : last_nl + 1;
    lines.clear();
    for (std::size_t start = 0; start < end;) {
      std::size_t nl = buf_.find('\n', start);
      if (nl == std::string::npos || nl >= end) nl = end;
      std::size_t stop = nl;
      if (stop > start && buf_[stop - 1] == '\r') --stop;
      lines.emplace_back(buf_.data() + start, stop - start);
      start = nl + 1;
    }
    consumed_ = end;
    return end;
  }

 private:
  void read_more() {
    const std::size_t old = buf_.size();
    buf_.resize(old + kReadBytes);
    for (;;) {
      const ssize_t n = ::read(fd_, buf_.data() + old, kReadBytes);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_io_error(name_, "cannot read");
      buf_.resize(old + static_cast<std::size_t>(n));
      if (n == 0) eof_ = true;
      return;
    }
  }

  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
  bool eof_ = false;
  bool at_start_ = true;
  std::uint64_t size_ = 0;
  std::string buf_;
  std::size_t consumed_ = 0;
};

class Output {
 public:
  explicit Output(const std::string& path) {
    if (!path.empty() && path != "-") writer_ = std::make_unique<AtomicFileWriter>(path);
  }
  void write(std::string_view s) {
    if (writer_) {
      writer_->write(s);
    } else {
      write_stdout(s);
    }
  }
  void commit() {
    if (writer_) {
      writer_->commit();
    } else {
      flush_stdout();
    }
  }

 private:
  std::unique_ptr<AtomicFileWriter> writer_;
};

// The cleaned lines of one task, and the first line that could not be cleaned.
struct TaskResult {
  std::string text;
  std::size_t bad_line = 0;  // index in the batch; valid when !error.empty()
  std::string error;
};

void run_clean(const CleanFlags& flags) {
  const text::Cleaner cleaner(flags.options());
  LineReader input(flags.input);
  Output output(flags.output);
  ThreadPool pool(flags.threads);
  Progress progress("clean", input.size(), "bytes");
  const auto start = std::chrono::steady_clock::now();

  std::vector<std::string_view> lines;
  std::vector<TaskResult> results;
  std::size_t line_base = 0;
  std::uint64_t bytes = 0;
  while (const std::size_t consumed = input.next(lines)) {
    const std::size_t tasks = (lines.size() + kLinesPerTask - 1) / kLinesPerTask;
    results.resize(tasks);
    pool.parallel_for(tasks, 1, [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t t = begin; t < end; ++t) {
        TaskResult& r = results[t];
        r.text.clear();
        r.error.clear();
        const std::size_t last = std::min(lines.size(), (t + 1) * kLinesPerTask);
        for (std::size_t i = t * kLinesPerTask; i < last; ++i) {
          try {
            cleaner.clean_append(lines[i], r.text);
          } catch (const Error& e) {
            r.bad_line = i;
            r.error = e.what();
            break;
          }
          r.text.push_back('\n');
        }
      }
    });
    // Tasks are in line order and each stops at its first bad line, so everything written
    // before an error is exactly the lines before it.
    for (const TaskResult& r : results) {
      output.write(r.text);
      if (!r.error.empty()) {
        output.commit();
        throw_parse_error(input.name(), line_base + r.bad_line + 1, r.error);
      }
    }
    line_base += lines.size();
    bytes += consumed;
    progress.advance(consumed);
  }
  output.commit();
  progress.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::info("clean: {} lines, {:.2f} MB in {:.3f} s ({:.1f} MB/s, {} threads)", line_base,
            static_cast<double>(bytes) / 1e6, seconds,
            seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0, pool.size());
}

}  // namespace

void add_clean_command(CLI::App& app) {
  auto flags = std::make_shared<CleanFlags>();
  CLI::App* cmd = app.add_subcommand(
      "clean",
      "clean review and Weibo text: HTML, links, @mentions, repost chains, full-width forms, "
      "repeated punctuation, whitespace, traditional → simplified (one output line per line)");
  cmd->add_option("file", flags->input, "input text, one text per line (- is stdin)")
      ->capture_default_str();
  cmd->add_option("-o,--output", flags->output, "output file (default stdout; written atomically)");
  cmd->add_flag("--no-html", flags->no_html, "keep HTML tags and entities");
  cmd->add_flag("--no-urls", flags->no_urls, "keep http(s)://, www. and t.cn links");
  cmd->add_flag("--no-emails", flags->no_emails, "keep e-mail addresses");
  cmd->add_flag("--no-mentions", flags->no_mentions, "keep @mentions");
  cmd->add_flag("--repost-chains", flags->repost_chains,
                "drop the reposted comments after //@user: (keep the poster's own text only; by "
                "default every comment stays and only the markers go)");
  add_enum_option(cmd, "--emoji", flags->emoji, "Weibo emoji codes like [哈哈]");
  cmd->add_flag("--no-fullwidth", flags->no_fullwidth, "keep full-width forms (ＡＢＣ，！)");
  cmd->add_flag("--no-squash-punct", flags->no_squash_punct, "keep runs like ！！！ and ~~~");
  cmd->add_flag("--no-whitespace", flags->no_whitespace,
                "keep whitespace runs and invisible characters");
  cmd->add_flag("--no-t2s", flags->no_t2s, "keep traditional characters");
  cmd->add_flag("--lowercase", flags->lowercase, "lower-case ASCII letters");
  add_enum_option(cmd, "--invalid-utf8", flags->invalid_utf8,
                  "invalid UTF-8: name the line and byte, or replace it by U+FFFD");
  cmd->add_option("--threads", flags->threads, "worker threads (0 = all cores)")
      ->capture_default_str();
  cmd->callback([flags] { run_clean(*flags); });
}

}  // namespace zhsenti::cli
