#include <catch2/catch.hpp>

#include "terminal/progress.h"

using namespace trendtop;

TEST_CASE("progress: bytes of total, rate, ETA", "[progress]") {
  // Half of 1 MB in 1 s: 500 kB/s, 1 s to go.
  CHECK(Progress::line(500'000, 1'000'000, 1000) ==
        "trendtop: 500.0 kB of 1.0 MB (50%)  500.0 kB/s  ETA 0:01");
  // 1 GB of 4 GB in 10 s: 100 MB/s, 30 s left.
  CHECK(Progress::line(1'000'000'000, 4'000'000'000, 10'000) ==
        "trendtop: 1.00 GB of 4.00 GB (25%)  100.0 MB/s  ETA 0:30");
  // Hours.
  CHECK(Progress::line(1'000, 7'201'000, 1000) == "trendtop: 1.0 kB of 7.2 MB (0%)  1.0 kB/s  ETA 2:00:00");
  // No total: bytes and rate only.
  CHECK(Progress::line(999, 0, 1000) == "trendtop: 999 B  999 B/s");
  CHECK(Progress::line(0, 100, 0) == "trendtop: 0 B of 100 B (0%)  0 B/s");
}
