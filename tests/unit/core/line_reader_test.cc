// The one streaming line reader: its line policy (BOM, CRLF, a last line without '\n'),
// lines longer than its chunk, batches of complete lines, reads that a pipe delivers in
// pieces and a signal interrupts, and the binary reads word2vec files mix with lines.

#include "zhsenti/core/line_reader.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/lines.h"

namespace zhsenti {
namespace {
namespace fs = std::filesystem;

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zhsenti_lines_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& text) {
    const fs::path p = dir_ / "in.txt";
    write_file_atomic(p, text);
    return p;
  }
  fs::path dir_;
};

std::vector<std::string> all_lines(LineReader& in) {
  std::vector<std::string> out;
  std::string_view line;
  while (in.read_line(line)) out.emplace_back(line);
  return out;
}

std::vector<std::string> all_batched(LineReader& in, std::size_t batch_bytes,
                                     std::size_t* batches = nullptr) {
  std::vector<std::string> out;
  std::vector<std::string_view> lines;
  std::size_t bytes = 0, n = 0;
  while (const std::size_t consumed = in.read_lines(lines, batch_bytes)) {
    EXPECT_FALSE(lines.empty());
    bytes += consumed;
    ++n;
    out.insert(out.end(), lines.begin(), lines.end());
  }
  EXPECT_EQ(bytes, in.offset());
  if (batches != nullptr) *batches = n;
  return out;
}

using Lines = std::vector<std::string>;

TEST_F(LineReaderTest, BomAndCrlfAreMarksNotTextAndTheLastLineMayLackItsNewline) {
  const std::string text = "\xEF\xBB\xBF第一行\r\n\r\nsecond\n\xEF\xBB\xBFkept\nlast\r";
  const Lines want = {"第一行", "", "second", "\xEF\xBB\xBFkept", "last"};
  LineReader a(write(text));
  EXPECT_EQ(all_lines(a), want) << "only the input's first bytes can be a byte-order mark";
  LineReader b(write(text));
  EXPECT_EQ(all_batched(b, 4), want);
  EXPECT_EQ(b.offset(), text.size());
  EXPECT_EQ(b.size(), text.size());

  LineReader empty(write(""));
  std::string_view line;
  EXPECT_FALSE(empty.read_line(line));
  LineReader bom_only(write("\xEF\xBB\xBF"));
  EXPECT_FALSE(bom_only.read_line(line));
  LineReader blank(write("\n"));
  EXPECT_EQ(all_lines(blank), Lines{""});
}

TEST_F(LineReaderTest, LinesLongerThanAChunkAreWholeAndBatchesEndAtLineEnds) {
  const std::string long_line(3 << 20, 'x');  // three of the reader's 1 MiB chunks
  std::string text;
  Lines want;
  for (int i = 0; i < 5000; ++i) want.push_back("line " + std::to_string(i));
  want.insert(want.begin() + 2500, long_line);
  for (const auto& l : want) text += l + "\n";
  LineReader a(write(text));
  EXPECT_EQ(all_lines(a), want);
  LineReader b(write(text));
  std::size_t batches = 0;
  EXPECT_EQ(all_batched(b, 16 << 10, &batches), want);
  EXPECT_GT(batches, 3u);
}

// A pipe hands the reader its bytes in pieces, and the timer's signal interrupts the blocked
// read (no SA_RESTART): the reader must retry, not fail or end early.
TEST_F(LineReaderTest, PiecesFromAPipeInterruptedBySignalsMakeTheSameLines) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  struct sigaction action {};
  action.sa_handler = [](int) {};
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: read(2) returns EINTR
  struct sigaction old {};
  ASSERT_EQ(::sigaction(SIGALRM, &action, &old), 0);
  std::thread writer([fd = fds[1]] {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &block, nullptr);  // the signals go to the reading thread
    for (const std::string piece : {"\xEF\xBB", "\xBF" "ab", "c\r", "\nde\n", "", "f"}) {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      write_fd(fd, piece, "pipe");
    }
    ::close(fd);
  });
  itimerval every_ms{{0, 1000}, {0, 1000}};
  ASSERT_EQ(::setitimer(ITIMER_REAL, &every_ms, nullptr), 0);
  Lines got;
  try {
    LineReader in("/proc/self/fd/" + std::to_string(fds[0]));
    got = all_lines(in);
  } catch (const Error& e) {
    ADD_FAILURE() << e.what();
  }
  itimerval off{};
  ::setitimer(ITIMER_REAL, &off, nullptr);
  writer.join();
  ::sigaction(SIGALRM, &old, nullptr);
  ::close(fds[0]);
  EXPECT_EQ(got, (Lines{"abc", "de", "f"}));
}

// `predict -` fed one line at a time by another program must answer each line as it comes,
// not wait for a chunk's worth of input or the end of it.
TEST_F(LineReaderTest, ALineIsReadBeforeThePipeHasMore) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::atomic<bool> got_first{false};
  bool waited_in_vain = false;
  std::thread writer([fd = fds[1], &got_first, &waited_in_vain] {
    write_fd(fd, "first\n", "pipe");
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!got_first && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    waited_in_vain = !got_first;
    write_fd(fd, "second\n", "pipe");
    ::close(fd);
  });
  LineReader in("/proc/self/fd/" + std::to_string(fds[0]));
  std::string_view line;
  ASSERT_TRUE(in.read_line(line));
  EXPECT_EQ(line, "first");
  got_first = true;
  ASSERT_TRUE(in.read_line(line));
  EXPECT_EQ(line, "second");
  EXPECT_FALSE(in.read_line(line));
  writer.join();
  ::close(fds[0]);
  EXPECT_FALSE(waited_in_vain) << "the first line came only after the writer gave up waiting";
}

TEST(ForEachLine, SameLinePolicyAsTheReaderAndBlankLinesCount) {
  Lines got;
  std::vector<std::size_t> numbers;
  for_each_line("\xEF\xBB\xBF" "a\r\n\nb\rc\nlast\r", [&](std::string_view line, std::size_t n) {
    got.emplace_back(line);
    numbers.push_back(n);
  });
  EXPECT_EQ(got, (Lines{"a", "", "b\rc", "last"}));
  EXPECT_EQ(numbers, (std::vector<std::size_t>{1, 2, 3, 4}));
  std::size_t calls = 0;
  for_each_line("", [&](std::string_view, std::size_t) { ++calls; });
  for_each_line("\xEF\xBB\xBF", [&](std::string_view, std::size_t) { ++calls; });
  EXPECT_EQ(calls, 0u);
}

TEST_F(LineReaderTest, BinaryReadsFollowTheLines) {
  const std::string text = "2 3\nab\x01\x02\x03" "cd";
  LineReader in(write(text));
  std::string_view line;
  ASSERT_TRUE(in.read_line(line));
  EXPECT_EQ(line, "2 3");
  EXPECT_EQ(in.peek(2), "ab");
  in.skip(2);
  char bytes[3];
  ASSERT_TRUE(in.read_exact(bytes, 3));
  EXPECT_EQ(std::string(bytes, 3), "\x01\x02\x03");
  EXPECT_FALSE(in.read_exact(nullptr, 3)) << "only 2 bytes are left";
}

TEST_F(LineReaderTest, ErrorsNameTheInput) {
  try {
    LineReader in(dir_ / "missing.txt");
    ADD_FAILURE() << "opened a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("missing.txt: cannot open"), std::string::npos);
  }
  LineReader dir(dir_);  // a directory opens and fails at its first read
  std::string_view line;
  try {
    dir.read_line(line);
    ADD_FAILURE() << "read a directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read: Is a directory"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zhsenti
