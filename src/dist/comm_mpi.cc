// The world of an MPI job. MPI is initialised only when a launcher started this process, so a
// plain `zhsenti train` neither loads the MPI runtime's transports nor needs a launcher.
// Collectives are called from the main thread only (MPI_THREAD_FUNNELED); the training pool's
// threads never touch MPI.

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "launcher.h"
#include "zhsenti/core/error.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::dist {
namespace {

bool g_active = false;  // MPI_Init ran and MPI_Finalize did not
int g_rank = 0;         // in MPI_COMM_WORLD, whatever LocalWorld says
int g_size = 1;
bool g_local = false;   // a LocalWorld is alive
double g_comm_seconds = 0;
std::int64_t g_comm_bytes = 0;

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(ErrorCode::kIo, fmt::format("{} failed on rank {}: {}", what, g_rank,
                                          std::string_view(text, static_cast<std::size_t>(len))));
}

// Times a collective into g_comm_seconds.
class CommTimer {
 public:
  CommTimer() : t0_(std::chrono::steady_clock::now()) {}
  ~CommTimer() {
    g_comm_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }
  CommTimer(const CommTimer&) = delete;
  CommTimer& operator=(const CommTimer&) = delete;

 private:
  std::chrono::steady_clock::time_point t0_;
};

// MPI counts are ints: large arrays go in pieces of at most 2^30 elements.
template <typename T>
void allreduce(std::span<T> values, MPI_Datatype type, MPI_Op op) {
  if (size() == 1) return;
  const CommTimer timer;
  g_comm_bytes += static_cast<std::int64_t>(values.size_bytes());
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t off = 0; off < values.size(); off += kPiece) {
    const auto n = static_cast<int>(std::min(kPiece, values.size() - off));
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + off, n, type, op, MPI_COMM_WORLD),
          "MPI_Allreduce");
  }
}

}  // namespace

bool compiled_with_mpi() { return true; }

Session::Session(int& argc, char**& argv) {
  if (detail::launcher_world_size() == 0) return;
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  g_active = true;
  // Errors come back as codes (turned into zhsenti::Error) instead of aborting inside MPI.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
}

Session::~Session() {
  if (g_active) MPI_Finalize();
  g_active = false;
}

int rank() { return g_local ? 0 : g_rank; }
int size() { return g_active && !g_local ? g_size : 1; }

LocalWorld::LocalWorld() {
  if (g_local) throw Error(ErrorCode::kInternal, "dist::LocalWorld inside another");
  g_local = true;
}
LocalWorld::~LocalWorld() { g_local = false; }

void allreduce_sum(std::span<float> values) { allreduce(values, MPI_FLOAT, MPI_SUM); }
void allreduce_sum(std::span<double> values) { allreduce(values, MPI_DOUBLE, MPI_SUM); }
void allreduce_sum(std::span<std::int64_t> values) { allreduce(values, MPI_INT64_T, MPI_SUM); }
void allreduce_max(std::span<std::int64_t> values) { allreduce(values, MPI_INT64_T, MPI_MAX); }

std::vector<std::string> allgather(std::string_view bytes) {
  if (size() == 1) return {std::string(bytes)};
  const CommTimer timer;
  g_comm_bytes += static_cast<std::int64_t>(bytes.size());
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("rank {}: {} bytes to gather, more than MPI's int counts allow",
                            g_rank, bytes.size()));
  }
  const int mine = static_cast<int>(bytes.size());
  std::vector<int> counts(static_cast<std::size_t>(g_size));
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
        "MPI_Allgather");
  std::vector<int> displs(counts.size());
  long long total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = static_cast<int>(total);
    total += counts[r];
  }
  if (total > INT_MAX) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{} bytes to gather from all ranks, more than MPI's int counts allow",
                            total));
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check(MPI_Allgatherv(bytes.data(), mine, MPI_CHAR, all.data(), counts.data(), displs.data(),
                       MPI_CHAR, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  std::vector<std::string> out;
  out.reserve(counts.size());
  for (std::size_t r = 0; r < counts.size(); ++r) {
    out.emplace_back(all, static_cast<std::size_t>(displs[r]), static_cast<std::size_t>(counts[r]));
  }
  return out;
}

std::string broadcast(std::string bytes) {
  if (size() == 1) return bytes;
  const CommTimer timer;
  long long n = static_cast<long long>(bytes.size());
  check(MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
  bytes.resize(static_cast<std::size_t>(n));
  check(MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return bytes;
}

void barrier() {
  if (size() == 1) return;
  const CommTimer timer;
  check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

double take_comm_seconds() {
  const double s = g_comm_seconds;
  g_comm_seconds = 0;
  return s;
}

std::int64_t take_comm_bytes() {
  const std::int64_t b = g_comm_bytes;
  g_comm_bytes = 0;
  return b;
}

void abort_job(std::string_view message, int code) {
  std::fflush(stdout);
  fmt::print(stderr, "zhsenti: rank {} of {}: error: {}\n", g_rank, g_size, message);
  std::fflush(stderr);
  if (g_active) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

}  // namespace zhsenti::dist
