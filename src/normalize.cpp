#include "normalize.h"

#include <utf8proc.h>

namespace trendtop {

bool is_ascii(std::string_view s) {
  unsigned char acc = 0;
  for (char c : s) acc |= static_cast<unsigned char>(c);
  return acc < 0x80;
}

static void append_ascii_lower(std::string_view s, std::string& out) {
  for (char c : s) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
}

static void append_codepoints(const int32_t* cps, size_t n, std::string& out) {
  utf8proc_uint8_t buf[4];
  for (size_t i = 0; i < n; ++i) {
    utf8proc_ssize_t len = utf8proc_encode_char(cps[i], buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  }
}

bool Normalizer::fold(std::string_view s, std::string& out) {
  if (is_ascii(s)) {  // ASCII is already NFC; folding is lower-casing
    append_ascii_lower(s, out);
    return true;
  }
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  const auto* str = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto len = static_cast<utf8proc_ssize_t>(s.size());
  if (codepoints_.size() < s.size() * 2 + 16) codepoints_.resize(s.size() * 2 + 16);
  for (;;) {
    utf8proc_ssize_t n = utf8proc_decompose(str, len, codepoints_.data(),
                                            static_cast<utf8proc_ssize_t>(codepoints_.size()), options);
    if (n < 0) return false;
    if (static_cast<size_t>(n) > codepoints_.size()) {  // decomposition longer than guessed: grow, retry
      codepoints_.resize(static_cast<size_t>(n));
      continue;
    }
    n = utf8proc_normalize_utf32(codepoints_.data(), n, options);
    if (n < 0) return false;
    append_codepoints(codepoints_.data(), static_cast<size_t>(n), out);
    return true;
  }
}

bool Normalizer::lower(std::string_view s, std::string& out) {
  if (is_ascii(s)) {
    append_ascii_lower(s, out);
    return true;
  }
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) return false;
    int32_t lowered = utf8proc_tolower(cp);
    append_codepoints(&lowered, 1, out);
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace trendtop
