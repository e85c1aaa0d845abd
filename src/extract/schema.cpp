#include "extract/schema.h"

#include <algorithm>
#include <cmath>

#include "util/timefmt.h"

namespace trendtop {
namespace {

void append_utf8(uint32_t cp, std::string& out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<int64_t> parse_rfc3339(std::string_view s) {
  // 2021-09-22T16:25:51.000Z
  // 0123456789012345678901
  int64_t y, mo, d, h, mi, sec;
  if (!read_digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !read_digits(s, 5, 2, mo) || s[7] != '-' ||
      !read_digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
      !read_digits(s, 17, 2, sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t p = 19;
  int64_t ms = 0;
  if (p < s.size() && s[p] == '.') {
    size_t start = ++p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (p - start < 3) ms = ms * 10 + (s[p] - '0');
      ++p;
    }
    if (p == start) return std::nullopt;
    for (size_t n = p - start; n < 3; ++n) ms *= 10;
  }
  int64_t offset_min = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int sign = s[p] == '-' ? -1 : 1;
    int64_t oh, om;
    if (!read_digits(s, p + 1, 2, oh)) return std::nullopt;
    size_t q = p + 3;
    if (q < s.size() && s[q] == ':') ++q;
    if (!read_digits(s, q, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
    p = q + 2;
  } else {
    return std::nullopt;
  }
  if (p != s.size()) return std::nullopt;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + sec * 1000 + ms;
}

std::optional<int64_t> epoch_to_ms(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  double a = std::fabs(v), ms;
  if (a < 1e11)
    ms = v * 1000;
  else if (a < 1e14)
    ms = v;
  else if (a < 1e17)
    ms = v / 1000;
  else
    ms = v / 1e6;
  if (std::fabs(ms) > 9e15) return std::nullopt;
  return static_cast<int64_t>(std::floor(ms));
}

std::optional<int64_t> parse_any_time(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') {
    // A number: digits with at most one '.', nothing else. Integers are exact (no double rounding).
    size_t i = s[0] == '-' ? 1 : 0, dot = std::string_view::npos;
    bool number = i < s.size();
    for (size_t j = i; j < s.size() && number; ++j) {
      if (s[j] == '.' && dot == std::string_view::npos)
        dot = j;
      else if (s[j] < '0' || s[j] > '9')
        number = false;
    }
    if (number && s.size() - i <= 19) {
      if (dot == std::string_view::npos && s.size() - i <= 18) {
        int64_t n = 0;
        for (size_t j = i; j < s.size(); ++j) n = n * 10 + (s[j] - '0');
        int64_t a = n;
        if (i) n = -n;
        if (a < 100'000'000'000) return n * 1000;
        if (a < 100'000'000'000'000) return n;
        if (a < 100'000'000'000'000'000) return floor_div(n, 1000);
        return floor_div(n, 1'000'000);
      }
      double v = 0, scale = 1;
      for (size_t j = i; j < s.size(); ++j) {
        if (j == dot) continue;
        v = v * 10 + (s[j] - '0');
        if (dot != std::string_view::npos && j > dot) scale *= 10;
      }
      return epoch_to_ms((i ? -v : v) / scale);
    }
  }
  if (auto t = parse_rfc3339(s)) return t;
  return parse_twitter_time(s);
}

void html_to_text(std::string_view h, std::string& out) {
  size_t i = 0;
  while (i < h.size()) {
    char c = h[i];
    if (c == '<') {
      size_t close = h.find('>', i);
      if (close == std::string_view::npos) {  // not a tag after all
        out.append(h.substr(i));
        return;
      }
      std::string_view tag = h.substr(i + 1, close - i - 1);
      if (iequals_prefix(tag, "br") || iequals_prefix(tag, "/p") || iequals_prefix(tag, "p ") || tag == "p" ||
          tag == "P")
        out.push_back('\n');
      i = close + 1;
      continue;
    }
    if (c == '&') {
      size_t semi = h.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view name = h.substr(i + 1, semi - i - 1);
        bool done = true;
        if (name == "amp")
          out.push_back('&');
        else if (name == "lt")
          out.push_back('<');
        else if (name == "gt")
          out.push_back('>');
        else if (name == "quot")
          out.push_back('"');
        else if (name == "apos")
          out.push_back('\'');
        else if (name == "nbsp")
          out.append("\xC2\xA0");
        else if (name.size() >= 2 && name[0] == '#') {
          bool hex = name[1] == 'x' || name[1] == 'X';
          uint32_t cp = 0;
          size_t start = hex ? 2 : 1;
          done = start < name.size();
          for (size_t j = start; j < name.size() && done; ++j) {
            char d = name[j];
            uint32_t digit;
            if (d >= '0' && d <= '9')
              digit = static_cast<uint32_t>(d - '0');
            else if (hex && d >= 'a' && d <= 'f')
              digit = static_cast<uint32_t>(d - 'a' + 10);
            else if (hex && d >= 'A' && d <= 'F')
              digit = static_cast<uint32_t>(d - 'A' + 10);
            else
              done = false;
            if (done) cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + digit, 0x110000);
          }
          if (done) append_utf8(cp, out);
        } else {
          done = false;
        }
        if (done) {
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
}

bool parse_field_path(std::string_view path, std::vector<std::string>& tokens, std::string& error) {
  tokens.clear();
  if (path.empty()) {
    error = "an empty path names no field";
    return false;
  }
  if (path[0] == '/') {
    for (size_t at = 1;;) {
      size_t slash = path.find('/', at);
      std::string_view raw = path.substr(at, slash == std::string_view::npos ? slash : slash - at);
      std::string token;
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '~') {
          token.push_back(raw[i]);
        } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
          token.push_back(raw[++i] == '0' ? '~' : '/');
        } else {
          error = "'~' must be followed by 0 or 1 in a JSON Pointer";
          return false;
        }
      }
      tokens.push_back(token);
      if (slash == std::string_view::npos) break;
      at = slash + 1;
    }
    return true;
  }
  for (size_t at = 0;;) {
    size_t dot = path.find('.', at);
    std::string_view token = path.substr(at, dot == std::string_view::npos ? dot : dot - at);
    if (token.empty()) {
      error = "an empty name in a dotted path";
      return false;
    }
    tokens.emplace_back(token);
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return true;
}

}  // namespace trendtop
