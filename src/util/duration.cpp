#include "util/duration.h"

#include <cctype>
#include <limits>

#include <fmt/format.h>

namespace trendtop {
namespace {

// Reads "<digits>[.<digits>]" and returns the value scaled by `scale` (an integer unit), exactly.
// Fails when the fraction does not land on a whole unit or the value overflows.
bool read_scaled(std::string_view digits, int64_t scale, int64_t& out) {
  size_t dot = digits.find('.');
  std::string_view whole = digits.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : digits.substr(dot + 1);
  if (whole.empty() && frac.empty()) return false;
  if (dot != std::string_view::npos && frac.empty()) return false;
  auto all_digits = [](std::string_view d) {
    return d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!all_digits(whole) || !all_digits(frac)) return false;  // e.g. "1..5"
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  for (char c : whole) {
    if (value > (kMax - (c - '0')) / 10) return false;
    value = value * 10 + (c - '0');
  }
  if (value > kMax / scale) return false;
  value *= scale;
  // The fraction: value += frac * scale / 10^len, and it must divide exactly.
  int64_t num = 0, den = 1;
  for (char c : frac) {
    if (den > kMax / 10 / scale) return false;  // more digits than any unit can use
    num = num * 10 + (c - '0');
    den *= 10;
  }
  if (num != 0) {
    if ((num * scale) % den != 0) return false;
    int64_t add = num * scale / den;
    if (value > kMax - add) return false;
    value += add;
  }
  out = value;
  return true;
}

}  // namespace

std::optional<int64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  bool bare = true;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    std::string_view number = text.substr(start, i - start);
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (number.empty()) return std::nullopt;
    int64_t scale;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s" || unit.empty()) {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "d") {
      scale = 86'400'000;
    } else {
      return std::nullopt;
    }
    if (unit.empty() && !(bare && i == text.size())) return std::nullopt;  // "1m30" is ambiguous
    bare = false;
    int64_t part;
    if (!read_scaled(number, scale, part)) return std::nullopt;
    if (total > std::numeric_limits<int64_t>::max() - part) return std::nullopt;
    total += part;
  }
  return total;
}

std::optional<uint64_t> parse_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  uint64_t scale;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "K" || unit == "KB" || unit == "KiB" || unit == "k") {
    scale = 1ull << 10;
  } else if (unit == "M" || unit == "MB" || unit == "MiB") {
    scale = 1ull << 20;
  } else if (unit == "G" || unit == "GB" || unit == "GiB") {
    scale = 1ull << 30;
  } else {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char c : text.substr(0, i)) {
    if (value > (std::numeric_limits<uint64_t>::max() - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > std::numeric_limits<uint64_t>::max() / scale) return std::nullopt;
  return value * scale;
}

std::string format_duration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  struct Unit {
    int64_t size;
    const char* name;
  };
  for (Unit u :
       {Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"}, Unit{1000, "s"}, Unit{1, "ms"}}) {
    if (ms >= u.size) {
      out += fmt::format("{}{}", ms / u.size, u.name);
      ms %= u.size;
    }
  }
  return out;
}

std::string format_wait(int64_t ms) {
  if (ms < 1000 || ms % 100 != 0) return fmt::format("{}ms", ms);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}.{}s", ms / 1000, ms / 100 % 10);
}

}  // namespace trendtop
