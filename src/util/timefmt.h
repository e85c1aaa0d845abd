// Time on the wire and on the page. Internally a time is int64 milliseconds since the Unix epoch (negative
// before 1970). Parsing never allocates: it runs once per record.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace trendtop {

// Twitter's created_at: "Fri Mar 30 00:47:14 +0000 2018" (the weekday is not checked).
std::optional<int64_t> parse_twitter_time(std::string_view text);

// Decimal epoch milliseconds as Twitter writes timestamp_ms ("1609486140658"), possibly negative.
std::optional<int64_t> parse_epoch_ms(std::string_view text);

// Floor division and the multiple of `step` at or below t; correct for negative t.
inline int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
inline int64_t floor_to(int64_t t, int64_t step) {
  return floor_div(t, step) * step;
}

// RFC 3339 in UTC: "2021-01-01T07:29:00Z", with ".250" milliseconds only when not a whole second.
void append_rfc3339(fmt::memory_buffer& out, int64_t ms);
// A window's bounds for people: "2021-01-01 07:29:00 .. 07:29:10 UTC". The end's date is shown whenever it
// is not the start's ("2021-04-01 00:00:00 .. 2021-04-02 00:00:00 UTC" for a day), so a window never looks
// empty.
void append_window_bounds(fmt::memory_buffer& out, int64_t start_ms, int64_t end_ms);

// Days since the epoch for a proleptic Gregorian civil date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
// The n decimal digits of s at pos as a number; false if there are fewer, or a non-digit.
bool read_digits(std::string_view s, size_t pos, size_t n, int64_t& out);

}  // namespace trendtop
