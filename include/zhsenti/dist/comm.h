#pragma once
// The group of processes a data-parallel job runs in (src/dist/). Only this library includes
// mpi.h: the rest of zhsenti sees a world of `size()` ranks with the few collectives it needs.
//
// A process not started by an MPI launcher (no OMPI_/PMI_/PMIX_ rank in its environment)
// never initialises MPI and is a world of one, where every collective is the identity; a
// build without MPI has only that world and refuses to run as one of several ranks.
//
// Errors: a rank that fails calls abort_job() (MPI_Abort), so the launcher ends every rank
// rather than leaving them blocked in a collective the failed rank will never join.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::dist {

// True when this binary was built with MPI (`zhsenti --version` says so).
bool compiled_with_mpi();

// Holds MPI for the life of main(): initialises it when an MPI launcher started this process
// (throws Error(kInvalidArgument) when that launcher asks for several ranks and the build has no
// MPI) and finalises it on destruction.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank();
int size();
inline bool distributed() { return size() > 1; }

// While one is alive this rank is a world of its own: rank() is 0, size() 1 and every
// collective the identity, so that code written for a job (train) runs as one process on
// each rank. `tune` trains each trial so, its trials spread over the ranks. abort_job still
// ends the whole job and names the real rank. Not nestable; main thread only.
class LocalWorld {
 public:
  LocalWorld();
  ~LocalWorld();
  LocalWorld(const LocalWorld&) = delete;
  LocalWorld& operator=(const LocalWorld&) = delete;
};

// In-place sums over all ranks. Every rank gets the same bits (MPI reduces in one order for
// all ranks); with two ranks a + b equals what one process adding the same parts gets.
void allreduce_sum(std::span<float> values);
void allreduce_sum(std::span<double> values);
void allreduce_sum(std::span<std::int64_t> values);
void allreduce_max(std::span<std::int64_t> values);

// Every rank's bytes, in rank order.
std::vector<std::string> allgather(std::string_view bytes);
// rank 0's bytes on every rank.
std::string broadcast(std::string bytes);
void barrier();

// Seconds spent inside collectives since the last call (the bench reports it per step).
double take_comm_seconds();
// Bytes this rank gave to collectives (its allreduce arrays, its allgather parts) since the
// last call: the volume of a step, which a projection to a network needs.
std::int64_t take_comm_bytes();

// Prints "zhsenti: rank R of N: error: <message>" and ends every rank of the job with
// `code` (MPI_Abort). Only for a world of several ranks; a single process just exits.
[[noreturn]] void abort_job(std::string_view message, int code);

}  // namespace zhsenti::dist
