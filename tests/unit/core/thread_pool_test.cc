#include "zhsenti/core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace zhsenti {

TEST(ThreadPoolTest, EveryIndexVisitedExactlyOnce) {
  for (std::size_t threads : {1u, 2u, 4u}) {
    ThreadPool pool(threads);
    std::vector<std::atomic<int>> hits(10007);
    for (int round = 0; round < 3; ++round) {
      pool.parallel_for(hits.size(), 100, [&](std::size_t b, std::size_t e, std::size_t w) {
        ASSERT_LT(w, pool.size());
        for (std::size_t i = b; i < e; ++i) hits[i]++;
      });
    }
    for (auto& h : hits) ASSERT_EQ(h.load(), 3);
  }
}

TEST(ThreadPoolTest, ExceptionIsRethrownAndPoolStaysUsable) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.parallel_for(1000, 10,
                                 [](std::size_t b, std::size_t, std::size_t) {
                                   if (b >= 500) throw std::runtime_error("boom");
                                 }),
               std::runtime_error);
  std::atomic<std::size_t> total{0};
  pool.parallel_for(1000, 10, [&](std::size_t b, std::size_t e, std::size_t) { total += e - b; });
  EXPECT_EQ(total.load(), 1000u);
}

}  // namespace zhsenti
