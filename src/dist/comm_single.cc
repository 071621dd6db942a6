// The world of one of a build without MPI: every collective is the identity.

#include <fmt/format.h>

#include <cstdlib>

#include "launcher.h"
#include "zhsenti/core/error.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::dist {

bool compiled_with_mpi() { return false; }

Session::Session(int&, char**&) {
  const int n = detail::launcher_world_size();
  if (n > 1) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("started as one of {} MPI ranks, but this zhsenti was built without "
                            "MPI (install libopenmpi-dev and rebuild; `zhsenti --version` says "
                            "whether MPI is compiled in)",
                            n));
  }
}
Session::~Session() = default;

int rank() { return 0; }
int size() { return 1; }
LocalWorld::LocalWorld() = default;
LocalWorld::~LocalWorld() = default;
void allreduce_sum(std::span<float>) {}
void allreduce_sum(std::span<double>) {}
void allreduce_sum(std::span<std::int64_t>) {}
void allreduce_max(std::span<std::int64_t>) {}
std::vector<std::string> allgather(std::string_view bytes) { return {std::string(bytes)}; }
std::string broadcast(std::string bytes) { return bytes; }
void barrier() {}
double take_comm_seconds() { return 0; }
std::int64_t take_comm_bytes() { return 0; }

void abort_job(std::string_view message, int code) {
  fmt::print(stderr, "zhsenti: error: {}\n", message);
  std::exit(code);
}

}  // namespace zhsenti::dist
