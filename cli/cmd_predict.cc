// zhsenti predict: texts (--text, a file of lines, or stdin) -> label and probabilities per
// text, streamed chunk by chunk in input order on all cores.

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/core/output.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/predict/predictor.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::cli {
namespace {

constexpr std::size_t kChunkLines = 8192;

struct PredictArgs {
  std::string model;
  bool no_decision_rule = false;
  std::vector<std::string> texts;
  std::string input;  // file or "-"
  bool json = false;
  int top_k = 0;
  int threads = 0;
  std::string precision = "auto";
};

void write_results(const predict::Predictor& p, std::span<const std::string> texts,
                   std::span<const float> probs, const PredictArgs& a, std::string& out) {
  const auto classes = static_cast<std::size_t>(p.num_classes());
  const std::size_t k =
      a.top_k > 0 ? std::min<std::size_t>(static_cast<std::size_t>(a.top_k), classes) : 1;
  std::vector<std::size_t> order(classes);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const float* row = probs.data() + i * classes;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) { return row[x] > row[y]; });
    if (a.json) {
      nlohmann::json j{{"text", texts[i]}, {"label", p.labels()[order[0]]}};
      nlohmann::json probabilities = nlohmann::json::object();
      for (std::size_t c = 0; c < classes; ++c) probabilities[p.labels()[c]] = row[c];
      j["probabilities"] = probabilities;
      if (a.top_k > 0) {
        j["top_k"] = nlohmann::json::array();
        for (std::size_t r = 0; r < k; ++r) {
          j["top_k"].push_back({{"label", p.labels()[order[r]]}, {"probability", row[order[r]]}});
        }
      }
      out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      for (std::size_t r = 0; r < k; ++r) {
        out += fmt::format("{}{}\t{:.4f}", r ? "\t" : "", p.labels()[order[r]], row[order[r]]);
      }
      out += '\t';
      out += texts[i];
    }
    out += '\n';
  }
}

void predict_chunk(const predict::Predictor& p, std::vector<std::string>& texts,
                   std::size_t first_line, const PredictArgs& a, ThreadPool& pool) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (const auto bad = utf8::find_invalid(texts[i])) {
      throw Error(ErrorCode::kParse,
                  fmt::format("{}:{}: invalid UTF-8 at byte {}",
                              a.input.empty() ? "--text" : a.input, first_line + i, *bad));
    }
  }
  std::vector<float> probs(texts.size() * static_cast<std::size_t>(p.num_classes()));
  predict::predict_parallel(p, texts, pool, probs);
  std::string out;
  write_results(p, texts, probs, a, out);
  write_stdout(out);
}

void run_predict(PredictArgs& a) {
  predict::Predictor::LoadOptions options;
  if (a.precision != "auto") options.precision = nn::parse_precision(a.precision);
  options.apply_decision_rule = !a.no_decision_rule;
  const auto predictor = predict::Predictor::load(a.model, options);
  ThreadPool pool(static_cast<std::size_t>(std::max(a.threads, 0)));
  if (!a.texts.empty()) {
    predict_chunk(*predictor, a.texts, 1, a, pool);
    if (a.input.empty()) return;
  }
  if (a.input.empty()) a.input = "-";
  // A directory opens fine and fails at the first read (EISDIR), with its reason.
  LineReader in(a.input);
  std::vector<std::string> chunk;
  std::size_t line_no = 0, first = 1;
  std::string_view line;
  while (in.read_line(line)) {
    ++line_no;
    chunk.emplace_back(line);
    if (chunk.size() == kChunkLines) {
      predict_chunk(*predictor, chunk, first, a, pool);
      chunk.clear();
      first = line_no + 1;
    }
  }
  if (!chunk.empty()) predict_chunk(*predictor, chunk, first, a, pool);
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("predict", "Predict labels for texts (one per line)");
  auto a = std::make_shared<PredictArgs>();
  cmd->add_option("--model", a->model, "model directory")->required();
  cmd->add_option("--text", a->texts, "a text to classify (repeatable)");
  cmd->add_option("input", a->input, "file of texts, one per line ('-': stdin)");
  cmd->add_flag("--json", a->json, "JSON lines: text, label, probabilities");
  cmd->add_flag("--no-decision-rule", a->no_decision_rule,
                "ignore the model's decision.json (zhsenti calibrate): raw probabilities");
  cmd->add_option("--top-k", a->top_k, "also list the k most likely labels");
  cmd->add_option("--threads", a->threads, "threads (0: all cores)")->capture_default_str();
  cmd->add_option("--precision", a->precision,
                  "recurrent products in fp32, bf16 or int8 (auto: int8 for a quantised "
                  "model, else bf16 where the CPU has it)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16", "int8"}));
  cmd->callback([a] { run_predict(*a); });
}

}  // namespace zhsenti::cli
