// zhsenti clean: the text cleaner over a file or stdin, one output line per input line, in
// order, streamed in batches and cleaned in parallel.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "enum_option.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/output.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::cli {
namespace {

constexpr std::size_t kBatchBytes = 4 << 20;  // lines are cleaned and written ~4 MB at a time
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
  while (const std::size_t consumed = input.read_lines(lines, kBatchBytes)) {
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
        // As segment: the lines before it reach stdout; an output file is not created.
        output.abandon();
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
