#include "extract/normalize.h"

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

bool Normalizer::compose(std::string_view s, bool casefold, std::string& out) {
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | (casefold ? UTF8PROC_CASEFOLD : 0));
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

bool Normalizer::fold(std::string_view s, std::string& out) {
  if (is_ascii(s)) {  // ASCII is already NFC; folding is lower-casing
    append_ascii_lower(s, out);
    return true;
  }
  return compose(s, true, out);
}

bool Normalizer::nfc(std::string_view s, std::string& out) {
  if (is_ascii(s)) {  // ASCII is already NFC
    out.append(s);
    return true;
  }
  return compose(s, false, out);
}

namespace {

// Unicode's Cased and Case_Ignorable properties, as far as lower-casing needs them (utf8proc has no table
// for either): cased letters change under some case mapping (or are titlecase); case-ignorable ones are
// marks, format characters, modifiers and the word-internal punctuation of Word_Break MidLetter/MidNumLet.
bool is_cased(int32_t cp) {
  return utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}
bool is_case_ignorable(int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_SK:
      return true;
    default:
      break;
  }
  switch (cp) {
    case 0x27:
    case 0x2E:
    case 0x3A:
    case 0xB7:
    case 0x387:
    case 0x5F4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xFE13:
    case 0xFE52:
    case 0xFE55:
    case 0xFF07:
    case 0xFF0E:
    case 0xFF1A:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool Normalizer::lower(std::string_view s, std::string& out) {
  if (is_ascii(s)) {
    append_ascii_lower(s, out);
    return true;
  }
  // Decode first: final sigma looks at the letters around it.
  codepoints_.clear();
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) return false;
    codepoints_.push_back(cp);
    p += n;
    left -= n;
  }
  // Python's str.lower(): the full lower-case mapping, whose only unconditional special case is U+0130
  // (I with dot above -> i + combining dot), and Final_Sigma: a capital sigma that ends a word is ς.
  const size_t count = codepoints_.size();
  for (size_t i = 0; i < count; ++i) {
    int32_t cp = codepoints_[i];
    if (cp == 0x130) {
      const int32_t full[] = {0x69, 0x307};
      append_codepoints(full, 2, out);
      continue;
    }
    int32_t lowered = utf8proc_tolower(cp);
    if (cp == 0x3A3) {
      size_t b = i, a = i + 1;
      while (b > 0 && is_case_ignorable(codepoints_[b - 1])) --b;
      while (a < count && is_case_ignorable(codepoints_[a])) ++a;
      if (b > 0 && is_cased(codepoints_[b - 1]) && !(a < count && is_cased(codepoints_[a]))) lowered = 0x3C2;
    }
    append_codepoints(&lowered, 1, out);
  }
  return true;
}

}  // namespace trendtop
