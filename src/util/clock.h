// The wall clock, in the milliseconds since the epoch that every time in trendtop is, and the value that
// stands for "no such time" (a deadline nobody set, a window not yet emitted).
#pragma once
#include <chrono>
#include <cstdint>
#include <limits>

namespace trendtop {

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// The monotonic clock (CLOCK_MONOTONIC), for how long something took: never steps.
inline int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

inline int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace trendtop
