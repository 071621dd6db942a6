#pragma once
// Settings of `zhsenti serve`, filled by cli/cmd_serve.cc and read by the serve library.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "zhsenti/nn/kernels/precision.h"

namespace zhsenti::serve {

struct ServeOptions {
  std::filesystem::path model_dir;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the chosen one is printed)
  // Request threads: parse bodies, tokenize and wait for the model. Connections are not tied
  // to them (socket I/O is event-driven), so this bounds only the requests handled at once.
  int threads = 64;
  // Threads doing socket I/O for every connection; they never block and never run the model.
  int io_threads = 1;
  // Open connections beyond this are answered 503 and closed.
  std::size_t max_connections = 10000;
  // Threads taking batches; the cores are shared out among them (each call of a worker runs
  // on cores / workers threads). 0: one worker with micro-batching, one per core without.
  int batch_workers = 0;
  std::size_t max_batch = 16;  // larger batches gain little here and grow the workspaces
  std::chrono::microseconds max_wait{500};  // 0: no batching (one request per model call)
  std::size_t max_body = std::size_t{1} << 20;
  std::size_t max_texts = 64;
  std::size_t max_chars = 5000;                      // code points per text
  std::chrono::milliseconds header_timeout{5000};    // a request's header block, first byte to last
  std::chrono::milliseconds request_timeout{10000};  // reading a body; writing a response
  std::chrono::milliseconds idle_timeout{30000};     // keep-alive connection without a request
  std::size_t max_explains = 2;                      // explanations computed at once (503 beyond)
  std::filesystem::path admin_token_file;            // empty: admin endpoints are off (404)
  std::filesystem::path feedback_file;               // empty: feedback counts but is not stored
  bool log_texts = false;
  bool access_log = true;
  std::size_t drift_window = 1000;  // live texts compared against reference.json
  std::size_t drift_min_samples = 100;
  double drift_threshold = 0.2;  // PSI above which a warning is logged
  std::size_t feedback_window = 500;
  std::chrono::milliseconds shutdown_delay{0};  // readyz false this long before closing
  // 32 MiB keeps a served word BiLSTM's most frequent words, most of the tokens, within the
  // memory target against the Flask peer (docs/BENCHMARKS.md, Serving).
  std::size_t inference_table_bytes = std::size_t{32} << 20;
  // Inference precision; unset: nn::default_inference_precision() (see Predictor::LoadOptions).
  std::optional<nn::Precision> precision;
};

}  // namespace zhsenti::serve
