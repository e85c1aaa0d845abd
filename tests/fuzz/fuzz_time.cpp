// Time and quantity parsing: durations, sizes, RFC 3339, Twitter's created_at, epoch numbers in any unit.
// Invariants beyond not crashing: a duration formats to a spelling that parses back to it; a parsed
// RFC 3339 or created_at time prints as RFC 3339 that parses back to the same millisecond (years 0-9999, the
// four digits the format has); decimal epoch milliseconds print back as the same number.
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "check.h"
#include "extract/schema.h"
#include "util/duration.h"
#include "util/timefmt.h"

using namespace trendtop;

namespace {

// Milliseconds of 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z.
const int64_t kFirst = days_from_civil(0, 1, 1) * 86'400'000;
const int64_t kEnd = days_from_civil(10000, 1, 1) * 86'400'000;

void round_trip_time(int64_t ms) {
  if (ms < kFirst || ms >= kEnd) return;
  fmt::memory_buffer b;
  append_rfc3339(b, ms);
  std::string_view s(b.data(), b.size());
  auto back = parse_rfc3339(s);
  FUZZ_CHECK(back && *back == ms);
  auto any = parse_any_time(s);
  FUZZ_CHECK(any && *any == ms);
}

void round_trip_duration(int64_t ms) {
  if (ms < 0) return;  // durations are never negative
  auto back = parse_duration(format_duration(ms));
  FUZZ_CHECK(back && *back == ms);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);

  if (auto d = parse_duration(s)) {
    FUZZ_CHECK(*d >= 0);
    round_trip_duration(*d);
  }
  if (parse_size(s)) FUZZ_CHECK(!s.empty() && s[0] >= '0' && s[0] <= '9');  // digits, then a unit
  if (auto t = parse_rfc3339(s)) round_trip_time(*t);
  if (auto t = parse_twitter_time(s)) round_trip_time(*t);
  if (auto t = parse_epoch_ms(s)) {
    std::string back = fmt::format("{}", *t);
    auto again = parse_epoch_ms(back);
    FUZZ_CHECK(again && *again == *t);
  }
  if (auto t = parse_any_time(s)) round_trip_time(*t);

  // The same bytes as numbers: any int64 formats and prints, any double maps to a time or to nothing.
  if (size >= 8) {
    int64_t n;
    double v;
    std::memcpy(&n, data, 8);
    std::memcpy(&v, data, 8);
    round_trip_duration(n);
    fmt::memory_buffer b;
    append_rfc3339(b, n);
    round_trip_time(n);
    if (auto t = epoch_to_ms(v)) FUZZ_CHECK(*t >= -9'000'000'000'000'000 && *t <= 9'000'000'000'000'000);
  }
  return 0;
}
