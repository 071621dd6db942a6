#pragma once
// Threading of the engine. Parallelism inside a forward/backward pass belongs to the
// Workspace running it (its own pool: the directions of a bidirectional layer and
// interleaved row groups of the batch run as independent recurrences, big GEMMs are split
// by output rows), so concurrent inference threads with one-thread workspaces never
// contend. BLAS itself runs single-threaded: per-step GEMMs are too small for OpenBLAS's
// pool (bench/nn_lstm_bench measures both).

namespace zhsenti::nn {

// Threads used by Workspaces constructed afterwards (n >= 1; 0 = one per hardware thread).
// Also pins OpenBLAS to one thread.
void set_threads(int n);
int default_threads();

// OpenBLAS's own pool size (process-wide). For experiments; set_threads() sets it to 1.
void set_blas_threads(int n);
int blas_threads();

}  // namespace zhsenti::nn
