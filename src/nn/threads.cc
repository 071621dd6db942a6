#include "zhsenti/nn/threads.h"

#include <cblas.h>

#include <atomic>

#include "zhsenti/core/check.h"
#include "zhsenti/core/thread_pool.h"

namespace zhsenti::nn {

namespace {
std::atomic<int> g_default_threads{1};
}

void set_threads(int n) {
  ZHSENTI_CHECK_ARG(n >= 0, "threads must be >= 0, got {}", n);
  g_default_threads = n == 0 ? static_cast<int>(ThreadPool::hardware_threads()) : n;
  set_blas_threads(1);
}

int default_threads() { return g_default_threads; }

void set_blas_threads(int n) {
  ZHSENTI_CHECK_ARG(n >= 1, "BLAS threads must be >= 1, got {}", n);
  openblas_set_num_threads(n);
}

int blas_threads() { return openblas_get_num_threads(); }

}  // namespace zhsenti::nn
