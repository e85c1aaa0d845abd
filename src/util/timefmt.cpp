#include "util/timefmt.h"

#include <iterator>

namespace trendtop {

bool read_digits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
namespace {

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_twitter_time(std::string_view s) {
  // "Fri Mar 30 00:47:14 +0000 2018"
  //  0123456789012345678901234567890
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
      s[19] != ' ' || s[25] != ' ' || (s[20] != '+' && s[20] != '-'))
    return std::nullopt;
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string_view mon = s.substr(4, 3);
  unsigned month = 0;
  for (unsigned i = 0; i < std::size(kMonths); ++i)
    if (kMonths[i] == mon) month = i + 1;
  int64_t day, hh, mm, ss, oh, om, year;
  if (month == 0 || !read_digits(s, 8, 2, day) || !read_digits(s, 11, 2, hh) || !read_digits(s, 14, 2, mm) ||
      !read_digits(s, 17, 2, ss) || !read_digits(s, 21, 2, oh) || !read_digits(s, 23, 2, om) ||
      !read_digits(s, 26, 4, year))
    return std::nullopt;
  if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || oh > 23 || om > 59) return std::nullopt;
  int64_t offset_s = (oh * 3600 + om * 60) * (s[20] == '-' ? -1 : 1);
  int64_t secs = days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 + ss;
  return (secs - offset_s) * 1000;
}

std::optional<int64_t> parse_epoch_ms(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return std::nullopt;  // 18 digits cannot overflow int64
  int64_t v;
  if (!read_digits(s, 0, s.size(), v)) return std::nullopt;
  return negative ? -v : v;
}

void append_rfc3339(fmt::memory_buffer& out, int64_t ms) {
  int64_t days = floor_div(ms, 86'400'000);
  // Not ms - days * 86'400'000: near INT64_MIN that product overflows.
  int64_t rem = ms % 86'400'000;
  if (rem < 0) rem += 86'400'000;
  Civil c = civil_from_days(days);
  int64_t secs = rem / 1000, milli = rem % 1000;
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.y, c.m, c.d, secs / 3600,
                 secs / 60 % 60, secs % 60);
  if (milli != 0) fmt::format_to(std::back_inserter(out), ".{:03}", milli);
  out.push_back('Z');
}

void append_window_bounds(fmt::memory_buffer& out, int64_t start_ms, int64_t end_ms) {
  auto human = [&](int64_t ms, bool with_date) {
    fmt::memory_buffer iso;
    append_rfc3339(iso, ms);  // 2021-01-01T07:29:00[.250]Z
    std::string_view s(iso.data(), iso.size() - 1);
    if (!with_date) s.remove_prefix(11);
    for (char c : s) out.push_back(c == 'T' ? ' ' : c);
  };
  human(start_ms, true);
  const char* to = " .. ";
  out.append(to, to + 4);
  human(end_ms, floor_div(start_ms, 86'400'000) != floor_div(end_ms, 86'400'000));
  const char* utc = " UTC";
  out.append(utc, utc + 4);
}

}  // namespace trendtop
