#include "cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace zhsenti::testing {

namespace {

RunResult run(const std::vector<std::string>& args, const std::string& input,
              const std::string& stdout_path) {
  const char* bin = std::getenv("ZHSENTI_BIN");
  if (bin == nullptr) throw std::runtime_error("ZHSENTI_BIN is not set (run through ctest)");
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  if (stdout_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
  }
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> argv_store{bin};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  const int rc = posix_spawn(&pid, bin, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error(std::string("spawn failed: ") + std::strerror(rc));

  // Feed stdin and drain both outputs together so that no pipe fills up and deadlocks.
  signal(SIGPIPE, SIG_IGN);
  RunResult result;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  if (!stdout_path.empty()) {
    close(out_fd);
    out_fd = -1;
  }
  char buf[65536];
  while (out_fd >= 0 || err_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        const ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
      } else {
        const ssize_t r = read(fds[i].fd, buf, sizeof buf);
        std::string& sink = fds[i].fd == out_fd ? result.out : result.err;
        if (r > 0) {
          sink.append(buf, static_cast<std::size_t>(r));
        } else {
          close(fds[i].fd);
          (fds[i].fd == out_fd ? out_fd : err_fd) = -1;
        }
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

RunResult run_zhsenti(const std::vector<std::string>& args, const std::string& input) {
  return run(args, input, "");
}

RunResult run_zhsenti_stdout_to(const std::string& stdout_path,
                                const std::vector<std::string>& args, const std::string& input) {
  return run(args, input, stdout_path);
}

std::vector<std::string> tiny_train_args(const std::string& train, const std::string& dev,
                                         const std::string& out) {
  return {"train", "--train",         train,  "--dev",       dev, "--out",
          out,     "--tokens",        "char", "--embed-dim", "8", "--hidden",
          "8",     "--ngram-buckets", "0",    "--epochs",    "1", "--batch-size",
          "16",    "--threads",       "1",    "-q"};
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "zhsenti_e2e_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string p = file(name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string shared_data_dir() {
  if (const char* env = std::getenv("ZHSENTI_DATA")) return env;
  return std::string(ZHSENTI_SOURCE_DIR) + "/../shared/data";
}

std::string synthetic_reviews_tsv(int rows, unsigned seed) {
  const std::vector<std::string> pos = {"非常好", "很满意", "棒极了", "质量很好", "推荐购买"};
  const std::vector<std::string> neg = {"太差了", "很失望", "糟糕透了", "质量很差", "不推荐"};
  const std::vector<std::string> filler = {"这个酒店", "房间", "服务", "价格", "位置",
                                           "早餐",     "我们", "昨天", "入住"};
  std::string out = "label\ttext_a\n";
  unsigned x = seed;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < rows; ++i) {
    const bool positive = i % 2 == 0;
    const auto& phrases = positive ? pos : neg;
    std::string text = filler[next() % filler.size()] + filler[next() % filler.size()] +
                       phrases[next() % phrases.size()] + "，" + filler[next() % filler.size()];
    out += (positive ? "1\t" : "0\t") + text + "\n";
  }
  return out;
}

}  // namespace zhsenti::testing
