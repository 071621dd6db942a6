// zhsenti segment: jieba-identical word segmentation (or characters, or word/tag pairs) of a
// text file, one output line per input line, streamed in batches and cut in parallel.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/output.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/text/segmenter.h"
#include "zhsenti/text/stopwords.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::cli {
namespace {

constexpr std::size_t kBatchBytes = 4 << 20;  // lines are cut and written in ~4 MB batches
constexpr std::size_t kLinesPerTask = 64;

struct SegmentFlags {
  std::string input = "-";
  std::string output;
  bool pos = false;
  std::string mode = "default";
  bool no_hmm = false;
  std::vector<std::string> user_dicts;
  std::size_t threads = 0;
  std::string stopwords;
  std::string jieba_dir;
  std::string cache_dir;
};

void run_segment(const SegmentFlags& flags) {
  const std::optional<text::CutMode> cut_mode = text::parse_cut_mode(flags.mode);
  ZHSENTI_CHECK_ARG(!flags.pos || cut_mode == text::CutMode::kDefault,
                    "--pos needs --mode default (jieba.posseg has no full or search mode)");
  const text::CutOptions cut_options{cut_mode.value_or(text::CutMode::kDefault), !flags.no_hmm,
                                     false};
  std::shared_ptr<const text::Segmenter> seg;
  if (cut_mode) {
    text::SegmenterOptions options;
    options.jieba_dir = flags.jieba_dir;
    options.cache_dir = flags.cache_dir;
    options.hmm = !flags.no_hmm;
    options.user_dicts.assign(flags.user_dicts.begin(), flags.user_dicts.end());
    seg = text::Segmenter::load(options);
  } else if (!flags.user_dicts.empty() || flags.no_hmm) {
    log::warn("segment: --user-dict and --no-hmm have no effect with --mode char");
  }
  if (cut_mode == text::CutMode::kFull && flags.no_hmm) {
    log::warn("segment: --no-hmm has no effect with --mode full (it never uses the HMM)");
  }
  std::optional<text::StopWords> stop;
  if (!flags.stopwords.empty()) {
    stop = text::StopWords::load(flags.stopwords);
    const auto& kept = stop->protected_entries();
    if (!kept.empty()) {
      std::string list;
      for (const auto& w : kept) list += (list.empty() ? "" : " ") + w;
      log::info("segment: {} stop words; {} sentiment-bearing entries are kept as tokens: {}",
                stop->size(), kept.size(), list);
    }
  }

  LineReader input(flags.input);
  Output output(flags.output);
  ThreadPool pool(flags.threads);
  std::unique_ptr<Progress> progress;
  if (flags.input != "-") progress = std::make_unique<Progress>("segment", input.size(), "bytes");

  std::vector<std::string_view> lines;
  std::vector<std::string> out;
  std::vector<std::optional<std::size_t>> bad;
  std::size_t line_base = 0;
  while (const std::size_t consumed = input.read_lines(lines, kBatchBytes)) {
    out.resize(lines.size());
    bad.assign(lines.size(), std::nullopt);
    pool.parallel_for(lines.size(), kLinesPerTask,
                      [&](std::size_t begin, std::size_t end, std::size_t) {
                        std::vector<std::string_view> tokens;
                        std::vector<text::TaggedToken> tagged;
                        for (std::size_t i = begin; i < end; ++i) {
                          std::string& o = out[i];
                          o.clear();
                          if ((bad[i] = utf8::find_invalid(lines[i]))) continue;
                          auto add = [&](std::string_view word, std::string_view tag) {
                            if (stop && stop->is_stop(word)) return;
                            if (!o.empty()) o += ' ';
                            o += word;
                            if (!tag.empty()) {
                              o += '/';
                              o += tag;
                            }
                          };
                          if (flags.pos) {
                            seg->cut_pos(lines[i], tagged);
                            for (const auto& t : tagged) add(t.word, t.tag);
                          } else {
                            if (seg)
                              seg->cut(lines[i], tokens, cut_options);
                            else
                              text::cut_chars(lines[i], tokens);
                            for (const auto w : tokens) add(w, {});
                          }
                          o += '\n';
                        }
                      });
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (bad[i]) {
        // Lines before it reach stdout; an output file is not created (nothing half-done).
        output.abandon();
        throw_parse_error(input.name(), line_base + i + 1,
                          fmt::format("invalid UTF-8 at byte {}", *bad[i]));
      }
      output.write(out[i]);
    }
    line_base += lines.size();
    if (progress) progress->advance(consumed);
  }
  output.commit();
  if (progress) progress->finish();
}

}  // namespace

void add_segment_command(CLI::App& app) {
  auto flags = std::make_shared<SegmentFlags>();
  CLI::App* cmd = app.add_subcommand(
      "segment", "cut Chinese text into words exactly as jieba does (one output line per line)");
  cmd->add_option("file", flags->input, "input text, one text per line (- is stdin)")
      ->capture_default_str();
  cmd->add_option("-o,--output", flags->output, "output file (default stdout; written atomically)");
  cmd->add_flag("--pos", flags->pos, "print word/tag pairs (jieba.posseg)");
  cmd->add_option("--mode", flags->mode,
                  "default (or word): jieba.lcut; full: jieba.lcut(cut_all=True); search: "
                  "jieba.lcut_for_search; char: one token per character")
      ->check(CLI::IsMember({"default", "word", "full", "search", "char"}))
      ->capture_default_str();
  cmd->add_flag("--no-hmm", flags->no_hmm, "no HMM for unknown words (jieba HMM=False)");
  cmd->add_option("--user-dict", flags->user_dicts,
                  "user dictionary, lines 'word [freq] [tag]' (repeatable, applied in order)")
      ->allow_extra_args(false);
  cmd->add_option("--threads", flags->threads, "worker threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_option("--stopwords", flags->stopwords,
                  "drop tokens listed in this file (negators, degree words and adversatives "
                  "are never dropped)");
  cmd->add_option("--jieba-dir", flags->jieba_dir,
                  "jieba data folder (default $ZHSENTI_JIEBA_DIR or the python3-jieba package)");
  cmd->add_option("--cache-dir", flags->cache_dir,
                  "dictionary cache folder (default $XDG_CACHE_HOME/zhsenti or ~/.cache/zhsenti)");
  cmd->callback([flags] { run_segment(*flags); });
}

}  // namespace zhsenti::cli
