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

// The event times a record may carry: 0000-01-01T00:00:00Z through 9999-12-31T23:59:59.999Z, the years RFC
// 3339 writes. No clock is wrong by millennia: a record dated outside is counted as skewed (with or without
// --max-skew), which keeps every time the windows see within about 2^48 ms of the epoch.
inline constexpr int64_t kMinTime = -62'167'219'200'000;
inline constexpr int64_t kMaxTime = 253'402'300'799'999;
inline constexpr bool in_time_range(int64_t t) {
  return t >= kMinTime && t <= kMaxTime;
}
// The longest duration an option takes (--window, --slide, --lateness, --max-skew, ...): ten years. With
// times in range, window arithmetic (a time plus a few durations) stays far from int64's limits.
inline constexpr int64_t kMaxDuration = 10LL * 366 * 86'400'000;

}  // namespace trendtop
