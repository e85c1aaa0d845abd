// Internals of TextExtractor (twitter_text.cpp, twitter_text_url.cpp): UTF-8 units as the scanners see them,
// the character classes of twitter-text's regexes and the Unicode range tables behind them. Everything here
// is inline or constexpr: one definition, inlined where it is used.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <utf8proc.h>

namespace trendtop::tt_detail {

using u8 = unsigned char;
inline constexpr size_t npos = static_cast<size_t>(-1);

// ---------------------------------------------------------------------------------------------------------------
// UTF-8. Every position the scanners hand around is a boundary of this decoder: a valid sequence is one unit,
// any other byte is one unit of its own (kInvalid). ASCII bytes and lead bytes never sit inside a unit, so a
// byte found by memchr is a boundary too.

inline constexpr uint32_t kInvalid = 0xFFFFFFFFu;

struct Decoded {
  uint32_t cp;
  uint32_t len;
};

inline bool is_cont(u8 c) {
  return (c & 0xC0) == 0x80;
}

inline Decoded decode(const u8* p, const u8* end) {
  const u8 c = p[0];
  if (c < 0x80) return {c, 1};
  const size_t left = static_cast<size_t>(end - p);
  if (c >= 0xC2 && c < 0xE0) {
    if (left >= 2 && is_cont(p[1])) return {(uint32_t{c} & 0x1F) << 6 | (p[1] & 0x3Fu), 2};
  } else if (c >= 0xE0 && c < 0xF0) {
    if (left >= 3 && is_cont(p[1]) && is_cont(p[2])) {
      uint32_t cp = (uint32_t{c} & 0x0F) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
    }
  } else if (c >= 0xF0 && c < 0xF5) {
    if (left >= 4 && is_cont(p[1]) && is_cont(p[2]) && is_cont(p[3])) {
      uint32_t cp = (uint32_t{c} & 0x07) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
      if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
    }
  }
  return {kInvalid, 1};
}

// The unit that ends at boundary b > 0, as a forward decode sees it.
inline uint32_t cp_before(const u8* s, size_t b) {
  const u8 c = s[b - 1];
  if (c < 0x80) return c;
  if (!is_cont(c)) return kInvalid;
  const size_t lo = b >= 4 ? b - 4 : 0;
  for (size_t i = b - 1; i-- > lo;) {
    if (is_cont(s[i])) continue;
    Decoded d = decode(s + i, s + b);
    return i + d.len == b ? d.cp : kInvalid;
  }
  return kInvalid;
}

// Code point index of a byte offset, counted forward from the last offset asked for (offsets only grow).
class Cursor {
 public:
  Cursor(const u8* s, size_t n) : s_(s), n_(n) {}
  uint32_t at(size_t to) {
    while (pos_ < to) {
      if (to - pos_ >= 8) {
        uint64_t w;
        std::memcpy(&w, s_ + pos_, 8);
        if ((w & 0x8080808080808080ull) == 0) {
          pos_ += 8;
          index_ += 8;
          continue;
        }
      }
      pos_ += s_[pos_] < 0x80 ? 1 : decode(s_ + pos_, s_ + n_).len;
      ++index_;
    }
    return index_;
  }
  void set(size_t pos, uint32_t index) {
    pos_ = pos;
    index_ = index;
  }

 private:
  const u8* s_;
  size_t n_;
  size_t pos_ = 0;
  uint32_t index_ = 0;
};

// Finds the next ASCII sigil or its fullwidth form (U+FF00 block: EF BC xx).
class SigilFinder {
 public:
  SigilFinder(const u8* s, size_t n, u8 ascii, u8 fullwidth_last)
      : s_(s), n_(n), ascii_(ascii), fw_(fullwidth_last) {
    ascii_at_ = find_ascii(0);
    fw_at_ = find_fullwidth(0);
  }
  size_t next(size_t from) {
    if (ascii_at_ < from) ascii_at_ = find_ascii(from);
    if (fw_at_ < from) fw_at_ = find_fullwidth(from);
    return std::min(ascii_at_, fw_at_);
  }

 private:
  size_t find_ascii(size_t from) const {
    if (from >= n_) return n_;
    const void* p = std::memchr(s_ + from, ascii_, n_ - from);
    return p ? static_cast<size_t>(static_cast<const u8*>(p) - s_) : n_;
  }
  size_t find_fullwidth(size_t from) const {
    while (from + 3 <= n_) {
      const void* p = std::memchr(s_ + from, 0xEF, n_ - from - 2);
      if (!p) break;
      size_t i = static_cast<size_t>(static_cast<const u8*>(p) - s_);
      if (s_[i + 1] == 0xBC && s_[i + 2] == fw_) return i;
      from = i + 1;
    }
    return n_;
  }
  const u8* s_;
  size_t n_;
  u8 ascii_, fw_;
  size_t ascii_at_, fw_at_;
};

inline bool is_fullwidth(const u8* s, size_t n, size_t i, u8 last) {
  return i + 3 <= n && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == last;
}
inline constexpr u8 kFullwidthHash = 0x83;  // ＃ U+FF03
inline constexpr u8 kFullwidthAt = 0xA0;    // ＠ U+FF20

inline u8 ascii_lower(u8 c) {
  return c >= 'A' && c <= 'Z' ? static_cast<u8>(c + 32) : c;
}

// s starts with the lower-case `lit`, up to ASCII case (the caller checked the length).
inline bool ci_equal(const u8* s, std::string_view lit) {
  for (size_t i = 0; i < lit.size(); ++i) {
    if (ascii_lower(s[i]) != static_cast<u8>(lit[i])) return false;
  }
  return true;
}
inline bool ci_prefix(const u8* s, size_t left, std::string_view lit) {
  return left >= lit.size() && ci_equal(s, lit);
}

// ---------------------------------------------------------------------------------------------------------------
// Character classes. ASCII goes through one table (the regexes are case-insensitive, so letters are both
// cases).

enum : uint16_t {
  kAlnum = 1 << 0,         // [A-Za-z0-9]
  kAlpha = 1 << 1,         // [A-Za-z]
  kDigit = 1 << 2,         // [0-9]
  kWord = 1 << 3,          // [A-Za-z0-9_]: hashtag characters, user names
  kNotUrlBefore = 1 << 4,  // [A-Za-z0-9@$#]: may not precede a URL
  kPath = 1 << 5,          // URL path characters
  kPathEnd = 1 << 6,       // characters a URL path may end with
  kQuery = 1 << 7,         // URL query characters
  kQueryEnd = 1 << 8,      // characters a URL query may end with
  kPunct = 1 << 9,         // Java PUNCTUATION_CHARS: never part of a Unicode domain label
  kSpace = 1 << 10,        // Java \s: [ \t\n\x0B\f\r] (also the ASCII part of twitter-text's Unicode spaces)
  kNotMentionBefore = 1 << 11,  // [A-Za-z0-9_!#$%&*@]
  kNotRtBefore = 1 << 12,       // [A-Za-z0-9_+~.-]
  kPosixPunct = 1 << 13,        // Java \p{Punct}
  kListChar = 1 << 14,          // [A-Za-z0-9_-]
  kLdh = 1 << 15,               // [A-Za-z0-9-]: punycode labels
};

constexpr bool in(std::string_view set, int c) {
  for (char x : set) {
    if (static_cast<u8>(x) == c) return true;
  }
  return false;
}

constexpr std::array<uint16_t, 256> make_classes() {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    uint16_t v = 0;
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool digit = c >= '0' && c <= '9';
    if (alpha) v |= kAlpha;
    if (digit) v |= kDigit;
    if (alpha || digit) v |= kAlnum | kPath | kPathEnd | kQuery | kQueryEnd | kNotUrlBefore | kLdh;
    if (alpha || digit || c == '_') v |= kWord | kNotMentionBefore | kNotRtBefore | kListChar;
    if (in("@$#", c)) v |= kNotUrlBefore;
    if (in("!*';:=+,.$/%#[]-_~|&@", c)) v |= kPath;
    if (in("=_#/-+", c)) v |= kPathEnd;
    if (in("!?*'();:&=+$/%#[]-_.,~|@", c)) v |= kQuery;
    if (in("-_&=#/", c)) v |= kQueryEnd;
    if (in("-_!\"#$%&'()*+,./:;<=>?@[]^`{|}~", c)) v |= kPunct;
    if (in(" \t\n\x0B\f\r", c)) v |= kSpace;
    if (in("!#$%&*@", c)) v |= kNotMentionBefore;
    if (in("+~.-", c)) v |= kNotRtBefore;
    if (in("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c)) v |= kPosixPunct;
    if (c == '-') v |= kListChar | kLdh;
    t[static_cast<size_t>(c)] = v;
  }
  return t;
}
inline constexpr std::array<uint16_t, 256> kClass = make_classes();

inline bool has(u8 c, uint16_t bits) {
  return (kClass[c] & bits) != 0;
}
inline bool ascii_has(uint32_t cp, uint16_t bits) {
  return cp < 0x80 && (kClass[cp] & bits) != 0;
}

struct Range {
  uint32_t lo, hi;
};

template <size_t N>
bool in_ranges(const std::array<Range, N>& ranges, uint32_t cp) {
  auto it =
      std::upper_bound(ranges.begin(), ranges.end(), cp, [](uint32_t c, const Range& r) { return c < r.lo; });
  return it != ranges.begin() && cp <= (it - 1)->hi;
}

// twitter-text's additions to \p{L}\p{M} and \p{Nd} (Regex.java's HASHTAG_LETTERS_AND_MARKS and
// HASHTAG_NUMERALS beyond the property classes), for characters Java's Unicode tables did not know yet.
inline constexpr std::array<Range, 151> kExtraLettersAndMarks = {
    {{0x37F, 0x37F},     {0x528, 0x52F},     {0x8A0, 0x8B2},     {0x8E4, 0x8FF},     {0x978, 0x978},
     {0x980, 0x980},     {0xC00, 0xC00},     {0xC34, 0xC34},     {0xC81, 0xC81},     {0xD01, 0xD01},
     {0xEDE, 0xEDF},     {0x10C7, 0x10C7},   {0x10CD, 0x10CD},   {0x10FD, 0x10FF},   {0x16F1, 0x16F8},
     {0x17B4, 0x17B5},   {0x191D, 0x191E},   {0x1AB0, 0x1ABE},   {0x1BAB, 0x1BAD},   {0x1BBA, 0x1BBF},
     {0x1CF3, 0x1CF6},   {0x1CF8, 0x1CF9},   {0x1DE7, 0x1DF5},   {0x2CF2, 0x2CF3},   {0x2D27, 0x2D27},
     {0x2D2D, 0x2D2D},   {0x2D66, 0x2D67},   {0x9FCC, 0x9FCC},   {0xA674, 0xA67B},   {0xA698, 0xA69D},
     {0xA69F, 0xA69F},   {0xA792, 0xA79F},   {0xA7AA, 0xA7AD},   {0xA7B0, 0xA7B1},   {0xA7F7, 0xA7F9},
     {0xA9E0, 0xA9EF},   {0xA9FA, 0xA9FE},   {0xAA7C, 0xAA7F},   {0xAAE0, 0xAAEF},   {0xAAF2, 0xAAF6},
     {0xAB30, 0xAB5A},   {0xAB5C, 0xAB5F},   {0xAB64, 0xAB65},   {0xF870, 0xF87F},   {0xF882, 0xF882},
     {0xF884, 0xF89F},   {0xF8B8, 0xF8B8},   {0xF8C1, 0xF8D6},   {0xFA2E, 0xFA2F},   {0xFE27, 0xFE2D},
     {0x102E0, 0x102E0}, {0x1031F, 0x1031F}, {0x10350, 0x1037A}, {0x10500, 0x10527}, {0x10530, 0x10563},
     {0x10600, 0x10736}, {0x10740, 0x10755}, {0x10760, 0x10767}, {0x10860, 0x10876}, {0x10880, 0x1089E},
     {0x10980, 0x109B7}, {0x109BE, 0x109BF}, {0x10A80, 0x10A9C}, {0x10AC0, 0x10AC7}, {0x10AC9, 0x10AE6},
     {0x10B80, 0x10B91}, {0x1107F, 0x1107F}, {0x110D0, 0x110E8}, {0x11100, 0x11134}, {0x11150, 0x11173},
     {0x11176, 0x11176}, {0x11180, 0x111C4}, {0x111DA, 0x111DA}, {0x11200, 0x11211}, {0x11213, 0x11237},
     {0x112B0, 0x112EA}, {0x11301, 0x11303}, {0x11305, 0x1130C}, {0x1130F, 0x11310}, {0x11313, 0x11328},
     {0x1132A, 0x11330}, {0x11332, 0x11333}, {0x11335, 0x11339}, {0x1133C, 0x11344}, {0x11347, 0x11348},
     {0x1134B, 0x1134D}, {0x11357, 0x11357}, {0x1135D, 0x11363}, {0x11366, 0x1136C}, {0x11370, 0x11374},
     {0x11480, 0x114C5}, {0x114C7, 0x114C7}, {0x11580, 0x115B5}, {0x115B8, 0x115C0}, {0x11600, 0x11640},
     {0x11644, 0x11644}, {0x11680, 0x116B7}, {0x118A0, 0x118DF}, {0x118FF, 0x118FF}, {0x11AC0, 0x11AF8},
     {0x1236F, 0x12398}, {0x16A40, 0x16A5E}, {0x16AD0, 0x16AED}, {0x16AF0, 0x16AF4}, {0x16B00, 0x16B36},
     {0x16B40, 0x16B43}, {0x16B63, 0x16B77}, {0x16B7D, 0x16B8F}, {0x16F00, 0x16F44}, {0x16F50, 0x16F7E},
     {0x16F8F, 0x16F9F}, {0x1BC00, 0x1BC6A}, {0x1BC70, 0x1BC7C}, {0x1BC80, 0x1BC88}, {0x1BC90, 0x1BC99},
     {0x1BC9D, 0x1BC9E}, {0x1E800, 0x1E8C4}, {0x1E8D0, 0x1E8D6}, {0x1EE00, 0x1EE03}, {0x1EE05, 0x1EE1F},
     {0x1EE21, 0x1EE22}, {0x1EE24, 0x1EE24}, {0x1EE27, 0x1EE27}, {0x1EE29, 0x1EE32}, {0x1EE34, 0x1EE37},
     {0x1EE39, 0x1EE39}, {0x1EE3B, 0x1EE3B}, {0x1EE42, 0x1EE42}, {0x1EE47, 0x1EE47}, {0x1EE49, 0x1EE49},
     {0x1EE4B, 0x1EE4B}, {0x1EE4D, 0x1EE4F}, {0x1EE51, 0x1EE52}, {0x1EE54, 0x1EE54}, {0x1EE57, 0x1EE57},
     {0x1EE59, 0x1EE59}, {0x1EE5B, 0x1EE5B}, {0x1EE5D, 0x1EE5D}, {0x1EE5F, 0x1EE5F}, {0x1EE61, 0x1EE62},
     {0x1EE64, 0x1EE64}, {0x1EE67, 0x1EE6A}, {0x1EE6C, 0x1EE72}, {0x1EE74, 0x1EE77}, {0x1EE79, 0x1EE7C},
     {0x1EE7E, 0x1EE7E}, {0x1EE80, 0x1EE89}, {0x1EE8B, 0x1EE9B}, {0x1EEA1, 0x1EEA3}, {0x1EEA5, 0x1EEA9},
     {0x1EEAB, 0x1EEBB}}};
// clang-format off
inline constexpr std::array<Range, 12> kExtraNumerals = {{
    {0xDE6, 0xDEF}, {0xA9F0, 0xA9F9}, {0x110F0, 0x110F9}, {0x11136, 0x1113F}, {0x111D0, 0x111D9},
    {0x112F0, 0x112F9}, {0x114D0, 0x114D9}, {0x11650, 0x11659}, {0x116C0, 0x116C9}, {0x118E0, 0x118E9},
    {0x16A60, 0x16A69}, {0x16B50, 0x16B59}}};
// clang-format on

enum : int { kNotTag = 0, kTagChar = 1, kTagLetter = 2 };

inline bool is_hashtag_special(uint32_t cp) {
  switch (cp) {
    case 0x200C:  // ZERO WIDTH NON-JOINER
    case 0x200D:  // ZERO WIDTH JOINER
    case 0xA67E:  // CYRILLIC KAVYKA
    case 0x05BE:  // HEBREW PUNCTUATION MAQAF
    case 0x05F3:  // HEBREW PUNCTUATION GERESH
    case 0x05F4:  // HEBREW PUNCTUATION GERSHAYIM
    case 0xFF5E:  // FULLWIDTH TILDE
    case 0x301C:  // WAVE DASH
    case 0x309B:  // KATAKANA-HIRAGANA VOICED SOUND MARK
    case 0x309C:  // KATAKANA-HIRAGANA SEMI-VOICED SOUND MARK
    case 0x30A0:  // KATAKANA-HIRAGANA DOUBLE HYPHEN
    case 0x30FB:  // KATAKANA MIDDLE DOT
    case 0x3003:  // DITTO MARK
    case 0x0F0B:  // TIBETAN MARK INTERSYLLABIC TSHEG
    case 0x0F0C:  // TIBETAN MARK DELIMITER TSHEG BSTAR
    case 0x00B7:  // MIDDLE DOT
      return true;
    default:
      return false;
  }
}

// Whether cp may be part of a hashtag, and whether it counts as the letter a hashtag needs.
inline int ascii_tag_class(u8 c) {
  return has(c, kAlpha) ? kTagLetter : has(c, kWord) ? kTagChar : kNotTag;
}
inline int tag_class(uint32_t cp) {
  if (cp < 0x80) return ascii_tag_class(static_cast<u8>(cp));
  if (cp == kInvalid) return kNotTag;
  const int cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) return kTagLetter;
  if (cat == UTF8PROC_CATEGORY_ND || is_hashtag_special(cp)) return kTagChar;
  if (cp < 0x37F || cp > 0x1EEBB) return kNotTag;
  if (in_ranges(kExtraLettersAndMarks, cp)) return kTagLetter;
  return in_ranges(kExtraNumerals, cp) ? kTagChar : kNotTag;
}

// LATIN_ACCENTS_CHARS: part of URL labels and paths; a mention may not be followed by one.
inline bool is_latin_accent(uint32_t cp) {
  if (cp < 0xC0) return false;
  if (cp <= 0xFF) return cp != 0xD7 && cp != 0xF7;
  if (cp <= 0x24F) return true;
  switch (cp) {
    case 0x253:
    case 0x254:
    case 0x256:
    case 0x257:
    case 0x259:
    case 0x25B:  // IPA extensions
    case 0x263:
    case 0x268:
    case 0x26F:
    case 0x272:
    case 0x289:
    case 0x28B:
    case 0x2BB:  // Hawaiian
      return true;
    default:
      return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1E00 && cp <= 0x1EFF);
  }
}
inline bool is_cyrillic(uint32_t cp) {
  return cp >= 0x400 && cp <= 0x4FF;
}

// URL_VALID_CHARS: subdomain and domain name labels.
inline bool is_domain_char(uint32_t cp) {
  return cp < 0x80 ? has(static_cast<u8>(cp), kAlnum) : is_latin_accent(cp);
}
inline bool is_path_char(uint32_t cp) {
  return cp < 0x80 ? has(static_cast<u8>(cp), kPath) : is_latin_accent(cp) || is_cyrillic(cp) || cp == 0x2013;
}
inline bool is_path_end(uint32_t cp) {
  return cp < 0x80 ? has(static_cast<u8>(cp), kPathEnd) : is_latin_accent(cp) || is_cyrillic(cp);
}
// URL_VALID_UNICODE_CHARS: anything but punctuation, spaces and the General Punctuation block.
inline bool is_unicode_domain_char(uint32_t cp) {
  if (cp < 0x80) return !has(static_cast<u8>(cp), kPunct | kSpace);
  if (cp == kInvalid || (cp >= 0x2000 && cp <= 0x206F)) return false;
  const int cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat != UTF8PROC_CATEGORY_ZS && cat != UTF8PROC_CATEGORY_ZL && cat != UTF8PROC_CATEGORY_ZP;
}
// UNICODE_SPACES
inline bool is_unicode_space(uint32_t cp) {
  if (cp < 0x80) return has(static_cast<u8>(cp), kSpace);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace trendtop::tt_detail
