// zhsenti serve: the model behind an HTTP/JSON API (src/serve). This file only turns flags
// into ServeOptions and owns the process: signals (SIGTERM drains and exits 0, SIGHUP
// reloads) and the exit code.

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/serve/http_server.h"
#include "zhsenti/serve/service.h"

namespace zhsenti::cli {
namespace {

int g_signal_pipe[2] = {-1, -1};

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

struct ServeArgs {
  serve::ServeOptions options;
  std::string model;
  std::string admin_token_file, feedback_file;
  std::int64_t max_wait_us = 500;
  std::int64_t header_timeout_ms = 5000;
  std::int64_t request_timeout_ms = 10000;
  std::int64_t idle_timeout_ms = 30000;
  std::int64_t shutdown_delay_ms = 0;
  std::size_t inference_table_mb = 32;
  std::string precision = "auto";
  bool no_access_log = false;
};

void run_serve(ServeArgs& a) {
  serve::ServeOptions& o = a.options;
  o.model_dir = a.model;
  o.admin_token_file = a.admin_token_file;
  o.feedback_file = a.feedback_file;
  o.max_wait = std::chrono::microseconds(a.max_wait_us);
  o.header_timeout = std::chrono::milliseconds(a.header_timeout_ms);
  o.request_timeout = std::chrono::milliseconds(a.request_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(a.idle_timeout_ms);
  o.shutdown_delay = std::chrono::milliseconds(a.shutdown_delay_ms);
  o.inference_table_bytes = a.inference_table_mb << 20;
  if (a.precision != "auto") o.precision = nn::parse_precision(a.precision);
  o.access_log = !a.no_access_log;

  // Signals become bytes on a pipe read by one thread (the self-pipe trick): a handler may
  // only do async-signal-safe work, and threads started before main (OpenBLAS) would not
  // inherit a blocked mask, so sigwait alone could let SIGTERM kill the process.
  if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0)
    throw_io_error("pipe", "cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
    sigaction(sig, &action, nullptr);
    sigaddset(&signals, sig);
  }
  // Every thread started from here on (HTTP, batching, model pools) inherits the block;
  // only the signal thread unblocks, so the kernel hands the signals to it. A handler that
  // ran on an idle worker would be correct too, but ThreadSanitizer defers a handler until
  // its thread next enters a blocking call it intercepts, and an idle worker may never do so.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Request threads allocate little (their scratch buffers are reused), yet each of glibc's
  // default 8 × cores arenas keeps the memory freed into it: with 64 request threads RSS
  // crept up ~15 % under the explanation soak against ~7 % with 4 arenas (see
  // docs/BENCHMARKS.md). MALLOC_ARENA_MAX in the environment still decides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr)
    ::mallopt(M_ARENA_MAX, static_cast<int>(std::max(4u, std::thread::hardware_concurrency())));

  serve::Service service(o);
  serve::HttpServer http(service);
  const int port = http.bind(o.host, o.port);
  log::info("serving {} on http://{}:{} (up to {} connections, {} request threads, batching {})",
            service.model()->name, o.host, port, o.max_connections, o.threads,
            o.max_wait.count() > 0
                ? fmt::format("up to {} texts / {} us", o.max_batch, o.max_wait.count())
                : "off");
  // Tests and scripts read the port from this line (with --port 0 it is the chosen one).
  std::printf("listening on http://%s:%d\n", o.host.c_str(), port);
  std::fflush(stdout);

  std::thread signal_thread([&] {
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    for (;;) {
      // poll first: ThreadSanitizer runs a signal's handler at once only while its thread
      // blocks in a call it knows to be blocking (poll is one, read is not), and this
      // handler's write is what would end the read.
      pollfd readable{g_signal_pipe[0], POLLIN, 0};
      if (::poll(&readable, 1, -1) < 0) continue;  // EINTR: the byte is in the pipe now
      unsigned char sig = 0;
      const ssize_t n = ::read(g_signal_pipe[0], &sig, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || sig == 0) return;  // 0: the main thread is done
      if (sig == SIGHUP) {
        log::info("SIGHUP: reloading {}", service.model()->dir.string());
        service.reload_from_signal();
        continue;
      }
      // Readiness first, so a load balancer stops sending before the socket closes.
      log::info("signal {}: draining (readyz now 503), stopping in {} ms", static_cast<int>(sig),
                o.shutdown_delay.count());
      service.begin_draining();
      std::this_thread::sleep_for(o.shutdown_delay);
      http.stop();
      return;
    }
  });
  http.run();
  const unsigned char done = 0;
  // The signal thread may have returned already (SIGTERM); then nobody reads this byte.
  [[maybe_unused]] const ssize_t w = ::write(g_signal_pipe[1], &done, 1);
  signal_thread.join();
  service.shutdown();
  log::info("stopped: requests in flight finished");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve a model over HTTP/JSON (predict, metrics, drift, feedback, reload)");
  auto a = std::make_shared<ServeArgs>();
  auto& o = a->options;
  cmd->add_option("--model", a->model, "model directory")->required();
  cmd->add_option("--host", o.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "port (0: any free port, printed on stdout)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", o.threads,
                  "request threads: parse, tokenize and wait for the model (connections do not "
                  "hold one)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--io-threads", o.io_threads, "threads doing socket I/O (event-driven)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--max-connections", o.max_connections,
                  "open connections at most; more are answered 503 and closed")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  cmd->add_option("--batch-workers", o.batch_workers,
                  "threads taking batches, the cores shared among them (0: one with batching, "
                  "one per core without)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--max-batch", o.max_batch, "most texts per model call")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--max-wait-us", a->max_wait_us,
                  "longest wait to fill a batch, microseconds (0: no batching)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000}));
  cmd->add_option("--max-body", o.max_body, "largest request body, bytes (413 above)")
      ->capture_default_str();
  cmd->add_option("--max-texts", o.max_texts, "most texts per request (413 above)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-chars", o.max_chars, "most characters per text (413 above)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--header-timeout-ms", a->header_timeout_ms,
                  "deadline for a request's whole header block (slow clients are closed)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
  cmd->add_option("--request-timeout-ms", a->request_timeout_ms,
                  "deadline for reading a request body, and for writing a response")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
  cmd->add_option("--idle-timeout-ms", a->idle_timeout_ms,
                  "keep-alive connections without a request are closed after this")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
  cmd->add_option("--max-explains", o.max_explains,
                  "?explain=1 requests computed at once (503 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1024}));
  cmd->add_option("--admin-token-file", a->admin_token_file,
                  "file holding the bearer token for /admin/* (without it: admin off)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--feedback-file", a->feedback_file, "append feedback here as JSONL (fsync'd)");
  cmd->add_flag("--log-texts", o.log_texts, "include request texts in access logs");
  cmd->add_flag("--no-access-log", a->no_access_log, "no per-request access log lines");
  cmd->add_option("--drift-window", o.drift_window, "texts in the drift window")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--drift-threshold", o.drift_threshold, "PSI above which drift is logged")
      ->capture_default_str();
  cmd->add_option("--feedback-window", o.feedback_window,
                  "feedback reports in the live-accuracy window")
      ->capture_default_str();
  cmd->add_option("--shutdown-delay-ms", a->shutdown_delay_ms,
                  "on SIGTERM, report not-ready this long before closing")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{600'000}));
  cmd->add_option("--inference-table-mb", a->inference_table_mb,
                  "precompute the first layer for the most frequent words up to this size (0: off)")
      ->capture_default_str();
  cmd->add_option("--precision", a->precision,
                  "recurrent products in fp32, bf16 or int8 (auto: int8 for a quantised "
                  "model, else bf16 where the CPU has it)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16", "int8"}));
  cmd->callback([a] { run_serve(*a); });
}

}  // namespace zhsenti::cli
