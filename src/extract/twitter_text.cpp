#include "extract/twitter_text.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <utf8proc.h>

namespace trendtop {
namespace {

using u8 = unsigned char;
constexpr size_t npos = static_cast<size_t>(-1);

// ---------------------------------------------------------------------------------------------------------------
// UTF-8. Every position the scanners hand around is a boundary of this decoder: a valid sequence is one unit,
// any other byte is one unit of its own (kInvalid). ASCII bytes and lead bytes never sit inside a unit, so a
// byte found by memchr is a boundary too.

constexpr uint32_t kInvalid = 0xFFFFFFFFu;

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

// UTF-16 length of valid UTF-8 (the URL length limit is Java's String.length()).
size_t utf16_length(const u8* p, size_t len) {
  size_t units = 0;
  for (size_t i = 0; i < len; ++i) units += is_cont(p[i]) ? 0 : (p[i] >= 0xF0 ? 2 : 1);
  return units;
}

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
constexpr u8 kFullwidthHash = 0x83;  // ＃ U+FF03
constexpr u8 kFullwidthAt = 0xA0;    // ＠ U+FF20

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
constexpr std::array<uint16_t, 256> kClass = make_classes();

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
constexpr std::array<Range, 151> kExtraLettersAndMarks = {
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
constexpr std::array<Range, 12> kExtraNumerals = {{
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

// ---------------------------------------------------------------------------------------------------------------
// Hashtags, mentions, cashtags.

inline bool may_precede_hashtag(uint32_t cp) {
  return cp == 0xFE0E || cp == 0xFE0F || (cp != '&' && tag_class(cp) == kNotTag);
}
// A URL can only contain a hashtag in its path or query, so the character before the '#' is one of their
// non-letters: ASCII punctuation, EN DASH or CYRILLIC THOUSANDS SIGN. Otherwise hashtags() skips the URL
// scan.
inline bool may_precede_hashtag_in_url(uint32_t cp) {
  return ascii_has(cp, kPosixPunct) || cp == 0x2013 || cp == 0x482;
}

// INVALID_HASHTAG_MATCH_END
inline bool hashtag_end_invalid(const u8* s, size_t n, size_t e) {
  if (e >= n) return false;
  return s[e] == '#' || is_fullwidth(s, n, e, kFullwidthHash) ||
         (s[e] == ':' && e + 3 <= n && s[e + 1] == '/' && s[e + 2] == '/');
}
// INVALID_MENTION_MATCH_END
inline bool mention_end_invalid(const u8* s, size_t n, size_t e) {
  if (e >= n) return false;
  if (s[e] == '@' || is_fullwidth(s, n, e, kFullwidthAt)) return true;
  if (s[e] == ':') return e + 3 <= n && s[e + 1] == '/' && s[e + 2] == '/';
  return s[e] >= 0x80 && is_latin_accent(decode(s + e, s + n).cp);
}

// "RT" or "RT:" (any case) right before the at sign at b, itself at the start or after a character other than
// [A-Za-z0-9_+~.-]; nothing of it inside the previous match.
bool rt_before(const u8* s, size_t b, size_t consumed) {
  size_t rt;
  if (b >= 3 && s[b - 1] == ':' && ascii_lower(s[b - 3]) == 'r' && ascii_lower(s[b - 2]) == 't') {
    rt = b - 3;
  } else if (b >= 2 && ascii_lower(s[b - 2]) == 'r' && ascii_lower(s[b - 1]) == 't') {
    rt = b - 2;
  } else {
    return false;
  }
  if (rt == 0) return consumed == 0;
  return rt > consumed && !ascii_has(cp_before(s, rt), kNotRtBefore);
}

// (?=$|\s|\p{Punct}) after a cashtag; Java's $ also matches before a line terminator that ends the input.
inline bool cashtag_end_ok(const u8* s, size_t n, size_t e) {
  if (e >= n) return true;
  if (s[e] < 0x80) return has(s[e], kSpace | kPosixPunct);
  const std::string_view rest(reinterpret_cast<const char*>(s + e), n - e);
  return rest == "\xC2\x85" || rest == "\xE2\x80\xA8" || rest == "\xE2\x80\xA9";
}

// [a-z]{1,6}(?:[._][a-z]{1,2})? and the lookahead at q, tried in the regex's backtracking order. Returns the
// end.
size_t match_cashtag(const u8* s, size_t n, size_t q) {
  size_t letters = 0;
  while (letters < 6 && q + letters < n && has(s[q + letters], kAlpha)) ++letters;
  for (size_t l = letters; l >= 1; --l) {
    const size_t e = q + l;
    if (e + 1 < n && (s[e] == '.' || s[e] == '_')) {
      size_t more = 0;
      while (more < 2 && e + 1 + more < n && has(s[e + 1 + more], kAlpha)) ++more;
      for (size_t m = more; m >= 1; --m) {
        if (cashtag_end_ok(s, n, e + 1 + m)) return e + 1 + m;
      }
    }
    if (cashtag_end_ok(s, n, e)) return e;
  }
  return npos;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: TLDs. The lists are twitter-text's (conformance/tld_lib.yml, as in its Java TldLists and JS regexps),
// in its order, which the regex alternation follows: longer names come before their prefixes.

constexpr std::string_view kGenericTlds =
    "삼성|닷컴|닷넷|香格里拉|餐厅|食品|飞利浦|電訊盈科|集团|通販|购物|谷歌|诺基亚|联通|网络|网站|"
    "网店|网址|组织机构|移动|珠宝|点看|游戏|淡马锡|机构|書籍|时尚|新闻|政府|政务|手表|手机|我爱你|"
    "慈善|微博|广东|工行|家電|娱乐|天主教|大拿|大众汽车|在线|嘉里大酒店|嘉里|商标|商店|商城|公益|"
    "公司|八卦|健康|信息|佛山|企业|中文网|中信|世界|ポイント|ファッション|セール|ストア|コム|"
    "グーグル|クラウド|みんな|คอม|संगठन|नेट|कॉम|همراه|موقع|موبايلي|كوم|كاثوليك|عرب|شبكة|بيتك|بازار|"
    "العليان|ارامكو|اتصالات|ابوظبي|קום|сайт|рус|орг|онлайн|москва|ком|католик|дети|zuerich|zone|"
    "zippo|zip|zero|zara|zappos|yun|youtube|you|yokohama|yoga|yodobashi|yandex|yamaxun|yahoo|yachts|"
    "xyz|xxx|xperia|xin|xihuan|xfinity|xerox|xbox|wtf|wtc|wow|world|works|work|woodside|"
    "wolterskluwer|wme|winners|wine|windows|win|williamhill|wiki|wien|whoswho|weir|weibo|wedding|wed|"
    "website|weber|webcam|weatherchannel|weather|watches|watch|warman|wanggou|wang|walter|walmart|"
    "wales|vuelos|voyage|voto|voting|vote|volvo|volkswagen|vodka|vlaanderen|vivo|viva|vistaprint|"
    "vista|vision|visa|virgin|vip|vin|villas|viking|vig|video|viajes|vet|versicherung|"
    "vermögensberatung|vermögensberater|verisign|ventures|vegas|vanguard|vana|vacations|ups|uol|uno|"
    "university|unicom|uconnect|ubs|ubank|tvs|tushu|tunes|tui|tube|trv|trust|travelersinsurance|"
    "travelers|travelchannel|travel|training|trading|trade|toys|toyota|town|tours|total|toshiba|"
    "toray|top|tools|tokyo|today|tmall|tkmaxx|tjx|tjmaxx|tirol|tires|tips|tiffany|tienda|tickets|"
    "tiaa|theatre|theater|thd|teva|tennis|temasek|telefonica|telecity|tel|technology|tech|team|tdk|"
    "tci|taxi|tax|tattoo|tatar|tatamotors|target|taobao|talk|taipei|tab|systems|symantec|sydney|"
    "swiss|swiftcover|swatch|suzuki|surgery|surf|support|supply|supplies|sucks|style|study|studio|"
    "stream|store|storage|stockholm|stcgroup|stc|statoil|statefarm|statebank|starhub|star|staples|"
    "stada|srt|srl|spreadbetting|spot|spiegel|space|soy|sony|song|solutions|solar|sohu|software|"
    "softbank|social|soccer|sncf|smile|smart|sling|skype|sky|skin|ski|site|singles|sina|silk|shriram|"
    "showtime|show|shouji|shopping|shop|shoes|shiksha|shia|shell|shaw|sharp|shangrila|sfr|sexy|sex|"
    "sew|seven|ses|services|sener|select|seek|security|secure|seat|search|scot|scor|scjohnson|"
    "science|schwarz|schule|school|scholarships|schmidt|schaeffler|scb|sca|sbs|sbi|saxo|save|sas|"
    "sarl|sapo|sap|sanofi|sandvikcoromant|sandvik|samsung|samsclub|salon|sale|sakura|safety|safe|"
    "saarland|ryukyu|rwe|run|ruhr|rugby|rsvp|room|rogers|rodeo|rocks|rocher|rmit|rip|rio|ril|"
    "rightathome|ricoh|richardli|rich|rexroth|reviews|review|restaurant|rest|republican|report|"
    "repair|rentals|rent|ren|reliance|reit|reisen|reise|rehab|redumbrella|redstone|red|recipes|"
    "realty|realtor|realestate|read|raid|radio|racing|qvc|quest|quebec|qpon|pwc|pub|prudential|pru|"
    "protection|property|properties|promo|progressive|prof|productions|prod|pro|prime|press|praxi|"
    "pramerica|post|porn|politie|poker|pohl|pnc|plus|plumbing|playstation|play|place|pizza|pioneer|"
    "pink|ping|pin|pid|pictures|pictet|pics|piaget|physio|photos|photography|photo|phone|philips|phd|"
    "pharmacy|pfizer|pet|pccw|pay|passagens|party|parts|partners|pars|paris|panerai|panasonic|"
    "pamperedchef|page|ovh|ott|otsuka|osaka|origins|orientexpress|organic|org|orange|oracle|open|ooo|"
    "onyourside|online|onl|ong|one|omega|ollo|oldnavy|olayangroup|olayan|okinawa|office|off|observer|"
    "obi|nyc|ntt|nrw|nra|nowtv|nowruz|now|norton|northwesternmutual|nokia|nissay|nissan|ninja|nikon|"
    "nike|nico|nhk|ngo|nfl|nexus|nextdirect|next|news|newholland|new|neustar|network|netflix|netbank|"
    "net|nec|nba|navy|natura|nationwide|name|nagoya|nadex|nab|mutuelle|mutual|museum|mtr|mtpc|mtn|"
    "msd|movistar|movie|mov|motorcycles|moto|moscow|mortgage|mormon|mopar|montblanc|monster|money|"
    "monash|mom|moi|moe|moda|mobily|mobile|mobi|mma|mls|mlb|mitsubishi|mit|mint|mini|mil|microsoft|"
    "miami|metlife|merckmsd|meo|menu|men|memorial|meme|melbourne|meet|media|med|mckinsey|mcdonalds|"
    "mcd|mba|mattel|maserati|marshalls|marriott|markets|marketing|market|map|mango|management|man|"
    "makeup|maison|maif|madrid|macys|luxury|luxe|lupin|lundbeck|ltda|ltd|lplfinancial|lpl|love|lotto|"
    "lotte|london|lol|loft|locus|locker|loans|loan|lixil|living|live|lipsy|link|linde|lincoln|limo|"
    "limited|lilly|like|lighting|lifestyle|lifeinsurance|life|lidl|liaison|lgbt|lexus|lego|legal|"
    "lefrak|leclerc|lease|lds|lawyer|law|latrobe|latino|lat|lasalle|lanxess|landrover|land|lancome|"
    "lancia|lancaster|lamer|lamborghini|ladbrokes|lacaixa|kyoto|kuokgroup|kred|krd|kpn|kpmg|kosher|"
    "komatsu|koeln|kiwi|kitchen|kindle|kinder|kim|kia|kfh|kerryproperties|kerrylogistics|kerryhotels|"
    "kddi|kaufen|juniper|juegos|jprs|jpmorgan|joy|jot|joburg|jobs|jnj|jmp|jll|jlc|jio|jewelry|jetzt|"
    "jeep|jcp|jcb|java|jaguar|iwc|iveco|itv|itau|istanbul|ist|ismaili|iselect|irish|ipiranga|"
    "investments|intuit|international|intel|int|insure|insurance|institute|ink|ing|info|infiniti|"
    "industries|immobilien|immo|imdb|imamat|ikano|iinet|ifm|ieee|icu|ice|icbc|ibm|hyundai|hyatt|"
    "hughes|htc|hsbc|how|house|hotmail|hotels|hoteles|hot|hosting|host|hospital|horse|honeywell|"
    "honda|homesense|homes|homegoods|homedepot|holiday|holdings|hockey|hkt|hiv|hitachi|hisamitsu|"
    "hiphop|hgtv|hermes|here|helsinki|help|healthcare|health|hdfcbank|hdfc|hbo|haus|hangout|hamburg|"
    "hair|guru|guitars|guide|guge|gucci|guardian|group|grocery|gripe|green|gratis|graphics|grainger|"
    "gov|got|gop|google|goog|goodyear|goodhands|goo|golf|goldpoint|gold|godaddy|gmx|gmo|gmbh|gmail|"
    "globo|global|gle|glass|glade|giving|gives|gifts|gift|ggee|george|genting|gent|gea|gdn|gbiz|"
    "garden|gap|games|game|gallup|gallo|gallery|gal|fyi|futbol|furniture|fund|fun|fujixerox|fujitsu|"
    "ftr|frontier|frontdoor|frogans|frl|fresenius|free|fox|foundation|forum|forsale|forex|ford|"
    "football|foodnetwork|food|foo|fly|flsmidth|flowers|florist|flir|flights|flickr|fitness|fit|"
    "fishing|fish|firmdale|firestone|fire|financial|finance|final|film|fido|fidelity|fiat|ferrero|"
    "ferrari|feedback|fedex|fast|fashion|farmers|farm|fans|fan|family|faith|fairwinds|fail|fage|"
    "extraspace|express|exposed|expert|exchange|everbank|events|eus|eurovision|etisalat|esurance|"
    "estate|esq|erni|ericsson|equipment|epson|epost|enterprises|engineering|engineer|energy|emerck|"
    "email|education|edu|edeka|eco|eat|earth|dvr|dvag|durban|dupont|duns|dunlop|duck|dubai|dtv|drive|"
    "download|dot|doosan|domains|doha|dog|dodge|doctor|docs|dnp|diy|dish|discover|discount|directory|"
    "direct|digital|diet|diamonds|dhl|dev|design|desi|dentist|dental|democrat|delta|deloitte|dell|"
    "delivery|degree|deals|dealer|deal|dds|dclk|day|datsun|dating|date|data|dance|dad|dabur|cyou|"
    "cymru|cuisinella|csc|cruises|cruise|crs|crown|cricket|creditunion|creditcard|credit|courses|"
    "coupons|coupon|country|corsica|coop|cool|cookingchannel|cooking|contractors|contact|consulting|"
    "construction|condos|comsec|computer|compare|company|community|commbank|comcast|com|cologne|"
    "college|coffee|codes|coach|clubmed|club|cloud|clothing|clinique|clinic|click|cleaning|claims|"
    "cityeats|city|citic|citi|citadel|cisco|circle|cipriani|church|chrysler|chrome|christmas|chloe|"
    "chintai|cheap|chat|chase|channel|chanel|cfd|cfa|cern|ceo|center|ceb|cbs|cbre|cbn|cba|catholic|"
    "catering|cat|casino|cash|caseih|case|casa|cartier|cars|careers|career|care|cards|caravan|car|"
    "capitalone|capital|capetown|canon|cancerresearch|camp|camera|cam|calvinklein|call|cal|cafe|cab|"
    "bzh|buzz|buy|business|builders|build|bugatti|budapest|brussels|brother|broker|broadway|"
    "bridgestone|bradesco|box|boutique|bot|boston|bostik|bosch|boots|booking|book|boo|bond|bom|bofa|"
    "boehringer|boats|bnpparibas|bnl|bmw|bms|blue|bloomberg|blog|blockbuster|blanco|blackfriday|"
    "black|biz|bio|bingo|bing|bike|bid|bible|bharti|bet|bestbuy|best|berlin|bentley|beer|beauty|"
    "beats|bcn|bcg|bbva|bbt|bbc|bayern|bauhaus|basketball|baseball|bargains|barefoot|barclays|"
    "barclaycard|barcelona|bar|bank|band|bananarepublic|banamex|baidu|baby|azure|axa|aws|avianca|"
    "autos|auto|author|auspost|audio|audible|audi|auction|attorney|athleta|associates|asia|asda|arte|"
    "art|arpa|army|archi|aramco|arab|aquarelle|apple|app|apartments|aol|anz|anquan|android|analytics|"
    "amsterdam|amica|amfam|amex|americanfamily|americanexpress|alstom|alsace|ally|allstate|allfinanz|"
    "alipay|alibaba|alfaromeo|akdn|airtel|airforce|airbus|aigo|aig|agency|agakhan|africa|afl|"
    "afamilycompany|aetna|aero|aeg|adult|ads|adac|actor|active|aco|accountants|accountant|accenture|"
    "academy|abudhabi|abogado|able|abc|abbvie|abbott|abb|abarth|aarp|aaa|onion";

constexpr std::string_view kCountryTlds =
    "한국|香港|澳門|新加坡|台灣|台湾|中國|中国|გე|ລາວ|ไทย|ලංකා|ഭാരതം|ಭಾರತ|భారత్|சிங்கப்பூர்|இலங்கை|இந்தியா|"
    "ଭାରତ|ભારત|ਭਾਰਤ|ভাৰত|ভারত|বাংলা|भारोत|भारतम्|भारत|ڀارت|پاکستان|موريتانيا|مليسيا|مصر|قطر|فلسطين|"
    "عمان|عراق|سورية|سودان|تونس|بھارت|بارت|ایران|امارات|المغرب|السعودية|الجزائر|البحرين|الاردن|հայ|"
    "қаз|укр|срб|рф|мон|мкд|ею|бел|бг|ευ|ελ|zw|zm|za|yt|ye|ws|wf|vu|vn|vi|vg|ve|vc|va|uz|uy|us|um|uk|"
    "ug|ua|tz|tw|tv|tt|tr|tp|to|tn|tm|tl|tk|tj|th|tg|tf|td|tc|sz|sy|sx|sv|su|st|ss|sr|so|sn|sm|sl|sk|"
    "sj|si|sh|sg|se|sd|sc|sb|sa|rw|ru|rs|ro|re|qa|py|pw|pt|ps|pr|pn|pm|pl|pk|ph|pg|pf|pe|pa|om|nz|nu|"
    "nr|np|no|nl|ni|ng|nf|ne|nc|na|mz|my|mx|mw|mv|mu|mt|ms|mr|mq|mp|mo|mn|mm|ml|mk|mh|mg|mf|me|md|mc|"
    "ma|ly|lv|lu|lt|ls|lr|lk|li|lc|lb|la|kz|ky|kw|kr|kp|kn|km|ki|kh|kg|ke|jp|jo|jm|je|it|is|ir|iq|io|"
    "in|im|il|ie|id|hu|ht|hr|hn|hm|hk|gy|gw|gu|gt|gs|gr|gq|gp|gn|gm|gl|gi|gh|gg|gf|ge|gd|gb|ga|fr|fo|"
    "fm|fk|fj|fi|eu|et|es|er|eh|eg|ee|ec|dz|do|dm|dk|dj|de|cz|cy|cx|cw|cv|cu|cr|co|cn|cm|cl|ck|ci|ch|"
    "cg|cf|cd|cc|ca|bz|by|bw|bv|bt|bs|br|bq|bo|bn|bm|bl|bj|bi|bh|bg|bf|be|bd|bb|ba|az|ax|aw|au|at|as|"
    "ar|aq|ao|an|am|al|ai|ag|af|ae|ad|ac";

struct Tld {
  uint16_t key;    // its first two bytes
  uint16_t order;  // gTLDs first, then ccTLDs, each in list order
  std::string_view name;
};

inline uint16_t tld_key(u8 a, u8 b) {
  return static_cast<uint16_t>(ascii_lower(a) << 8 | ascii_lower(b));
}

const std::vector<Tld>& tld_index() {
  static const std::vector<Tld> index = [] {
    std::vector<Tld> v;
    uint16_t order = 0;
    for (std::string_view list : {kGenericTlds, kCountryTlds}) {
      while (!list.empty()) {
        const size_t bar = list.find('|');
        const std::string_view name = list.substr(0, bar);
        v.push_back({tld_key(static_cast<u8>(name[0]), static_cast<u8>(name[1])), order++, name});
        list = bar == std::string_view::npos ? std::string_view() : list.substr(bar + 1);
      }
    }
    std::sort(v.begin(), v.end(),
              [](const Tld& a, const Tld& b) { return a.key != b.key ? a.key < b.key : a.order < b.order; });
    return v;
  }();
  return index;
}

// (gTLD | ccTLD) each followed by (?=[^a-z0-9@+-]|$), then the punycode alternative (xn--[-0-9a-z]+), at r.
size_t match_tld(const u8* s, size_t n, size_t r, bool punycode) {
  if (r + 2 > n) return npos;
  const std::vector<Tld>& index = tld_index();
  const uint16_t key = tld_key(s[r], s[r + 1]);
  auto it =
      std::lower_bound(index.begin(), index.end(), key, [](const Tld& t, uint16_t k) { return t.key < k; });
  for (; it != index.end() && it->key == key; ++it) {
    const size_t e = r + it->name.size();
    if (e > n || !ci_equal(s + r, it->name)) continue;
    if (e == n || !(has(s[e], kAlnum) || s[e] == '@' || s[e] == '+' || s[e] == '-')) return e;
  }
  if (punycode && ci_prefix(s + r, n - r, "xn--") && r + 4 < n && has(s[r + 4], kLdh)) {
    size_t e = r + 5;
    while (e < n && has(s[e], kLdh)) ++e;
    return e;
  }
  return npos;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: path and query.

// A run of URL_VALID_GENERAL_PATH_CHARS from q; *last_end is the end of its last URL_VALID_PATH_ENDING_CHARS
// character (npos if none).
size_t scan_path_chars(const u8* s, size_t n, size_t q, size_t* last_end) {
  *last_end = npos;
  while (q < n) {
    if (s[q] < 0x80) {
      if (!has(s[q], kPath)) break;
      if (has(s[q], kPathEnd)) *last_end = q + 1;
      ++q;
      continue;
    }
    const Decoded c = decode(s + q, s + n);
    if (!is_path_char(c.cp)) break;
    q += c.len;
    if (is_path_end(c.cp)) *last_end = q;
  }
  return q;
}

// URL_BALANCED_PARENS at q (s[q] == '('): "(chars)" or "(chars(chars)chars)". Returns the end or npos.
size_t match_parens(const u8* s, size_t n, size_t q) {
  size_t unused;
  const size_t a = scan_path_chars(s, n, q + 1, &unused);
  if (a > q + 1 && a < n && s[a] == ')') return a + 1;
  if (a < n && s[a] == '(') {
    const size_t b = scan_path_chars(s, n, a + 1, &unused);
    if (b > a + 1 && b < n && s[b] == ')') {
      const size_t c = scan_path_chars(s, n, b + 1, &unused);
      if (c < n && s[c] == ')') return c + 1;
    }
  }
  return npos;
}

// URL_VALID_PATH*+ after the '/' at q-1. The regex takes path characters and balanced parentheses greedily,
// then backs off to the last ending character of the last run, or else to the end of the last parentheses;
// what is left can never start another repetition, so one pass decides it.
size_t match_path(const u8* s, size_t n, size_t q) {
  size_t last_end, parens_end = npos;
  size_t e = scan_path_chars(s, n, q, &last_end);
  while (e < n && s[e] == '(') {
    const size_t pe = match_parens(s, n, e);
    if (pe == npos) break;
    parens_end = pe;
    e = scan_path_chars(s, n, pe, &last_end);
  }
  if (last_end != npos) return last_end;
  return parens_end != npos ? parens_end : q;
}

// \?URL_VALID_URL_QUERY_CHARS*URL_VALID_URL_QUERY_ENDING_CHARS at q (s[q] == '?'), within [q, limit). Returns
// the end, or q when there is no query.
size_t match_query(const u8* s, size_t limit, size_t q) {
  size_t end = q;
  for (size_t i = q + 1; i < limit && has(s[i], kQuery); ++i) {
    if (has(s[i], kQueryEnd)) end = i + 1;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs: IDNA ToASCII of the host, as Java's IDN.toASCII(host, ALLOW_UNASSIGNED) does it.

// RFC 3454 table B.1: mapped to nothing.
inline bool nameprep_drops(uint32_t cp) {
  return cp == 0xAD || cp == 0x34F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D) ||
         (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

// RFC 3491 section 5: nameprep prohibits RFC 3454 tables C.1.2 and C.2.2 to C.9, merged here.
// clang-format off
constexpr std::array<Range, 20> kNameprepProhibited = {{
    {0x80, 0xA0},                           // C.2.2 controls, C.1.2 no-break space
    {0x340, 0x341},                         // C.8
    {0x6DD, 0x6DD}, {0x70F, 0x70F},         // C.2.2
    {0x1680, 0x1680},                       // C.1.2
    {0x180E, 0x180E},                       // C.2.2
    {0x2000, 0x200F},                       // C.1.2 spaces, C.2.2 ZWNJ and ZWJ, C.8 LRM and RLM
    {0x2028, 0x202F},                       // C.2.2 separators, C.8 embeddings, C.1.2
    {0x205F, 0x2063},                       // C.1.2, C.2.2
    {0x206A, 0x206F},                       // C.2.2, C.8
    {0x2FF0, 0x2FFB},                       // C.7
    {0x3000, 0x3000},                       // C.1.2
    {0xD800, 0xF8FF},                       // C.5 surrogates, C.3 private use
    {0xFDD0, 0xFDEF},                       // C.4
    {0xFEFF, 0xFEFF},                       // C.2.2
    {0xFFF9, 0xFFFF},                       // C.2.2, C.6, C.4
    {0x1D173, 0x1D17A},                     // C.2.2
    {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, // C.9
    {0xF0000, 0x10FFFF}}};                  // C.3
// clang-format on

inline bool nameprep_prohibits(uint32_t cp) {
  return (cp & 0xFFFE) == 0xFFFE || (cp >= 0x80 && in_ranges(kNameprepProhibited, cp));  // C.4 in every plane
}

inline bool is_rand_al(int32_t cp) {
  const int bidi = utf8proc_get_property(cp)->bidi_class;
  return bidi == UTF8PROC_BIDI_CLASS_R || bidi == UTF8PROC_BIDI_CLASS_AL;
}

// RFC 3492 punycode: the length of the encoding of cps, counted rather than written.
size_t punycode_length(const int32_t* cps, size_t n) {
  constexpr uint64_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  auto adapt = [](uint64_t delta, uint64_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint64_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  size_t basic = 0;
  for (size_t i = 0; i < n; ++i) basic += cps[i] < 0x80 ? 1 : 0;
  size_t out = basic + (basic > 0 ? 1 : 0);
  uint64_t delta = 0, bias = 72, next = 0x80;
  for (size_t h = basic; h < n;) {
    uint64_t m = UINT64_MAX;
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint64_t>(cps[i]);
      if (c >= next && c < m) m = c;
    }
    delta += (m - next) * (h + 1);
    next = m;
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint64_t>(cps[i]);
      if (c < next) ++delta;
      if (c != next) continue;
      uint64_t q = delta;
      for (uint64_t k = kBase;; k += kBase) {
        const uint64_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
        if (q < t) break;
        ++out;
        q = (q - t) / (kBase - t);
      }
      ++out;
      bias = adapt(delta, h + 1, h == basic);
      delta = 0;
      ++h;
    }
    ++delta;
    ++next;
  }
  return out;
}

}  // namespace

// The length of one label of the host after ToASCII, or 0 when ToASCII fails. An ASCII label is kept as it
// is; any other goes through nameprep (map, NFKC, prohibit, bidi) and, unless that made it ASCII, punycode.
size_t TextExtractor::ascii_label_length(const u8* s, size_t begin, size_t end) {
  bool ascii = true;
  for (size_t i = begin; i < end; ++i) ascii = ascii && s[i] < 0x80;
  if (ascii) return end - begin;
  prep_in_.clear();
  for (size_t q = begin; q < end;) {
    const Decoded c = decode(s + q, s + end);
    if (c.cp == kInvalid) return 0;  // (a matched host is valid UTF-8)
    if (!nameprep_drops(c.cp)) prep_in_.append(reinterpret_cast<const char*>(s + q), c.len);
    q += c.len;
  }
  if (prep_in_.empty()) return 0;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                      UTF8PROC_CASEFOLD);
  const auto* str = reinterpret_cast<const utf8proc_uint8_t*>(prep_in_.data());
  const auto len = static_cast<utf8proc_ssize_t>(prep_in_.size());
  if (prep_out_.size() < prep_in_.size() * 2 + 16) prep_out_.resize(prep_in_.size() * 2 + 16);
  utf8proc_ssize_t n;
  for (;;) {
    n = utf8proc_decompose(str, len, prep_out_.data(), static_cast<utf8proc_ssize_t>(prep_out_.size()),
                           options);
    if (n < 0) return 0;
    if (static_cast<size_t>(n) <= prep_out_.size()) break;
    prep_out_.resize(static_cast<size_t>(n));
  }
  n = utf8proc_normalize_utf32(prep_out_.data(), n, options);
  if (n <= 0) return 0;
  const int32_t* cps = prep_out_.data();
  const auto count = static_cast<size_t>(n);
  bool rand_al = false, left_to_right = false;
  ascii = true;
  for (size_t i = 0; i < count; ++i) {
    if (nameprep_prohibits(static_cast<uint32_t>(cps[i]))) return 0;
    const int bidi = utf8proc_get_property(cps[i])->bidi_class;
    rand_al = rand_al || bidi == UTF8PROC_BIDI_CLASS_R || bidi == UTF8PROC_BIDI_CLASS_AL;
    left_to_right = left_to_right || bidi == UTF8PROC_BIDI_CLASS_L;
    ascii = ascii && cps[i] < 0x80;
  }
  if (rand_al && (left_to_right || !is_rand_al(cps[0]) || !is_rand_al(cps[count - 1]))) return 0;
  if (ascii) return count;
  if (count >= 4 && cps[0] == 'x' && cps[1] == 'n' && cps[2] == '-' && cps[3] == '-') return 0;  // ACE prefix
  if (count > 59) return 0;  // every code point takes at least one character: over 63 with "xn--"
  return 4 + punycode_length(cps, count);
}

// Extractor.isValidHostAndLength: ToASCII of every label (separated by . 。 ． ｡) succeeds and is 1-63
// characters, and the URL with its host punycoded (plus "https://" when it has no protocol) fits 4096 UTF-16
// units.
bool TextExtractor::valid_host_and_length(const u8* s, const UrlMatch& m, size_t url_end) {
  size_t ascii_host = 0, label = m.domain_start;
  for (size_t q = m.domain_start;; ++q) {
    size_t sep = 0;
    if (q < m.domain_end) {
      if (s[q] == '.') {
        sep = 1;
      } else if (q + 3 <= m.domain_end &&
                 (std::memcmp(s + q, "\xE3\x80\x82", 3) == 0 || std::memcmp(s + q, "\xEF\xBC\x8E", 3) == 0 ||
                  std::memcmp(s + q, "\xEF\xBD\xA1", 3) == 0)) {
        sep = 3;
      } else {
        continue;  // (byte steps: no separator byte occurs inside another character)
      }
    }
    const size_t len = ascii_label_length(s, label, q);
    if (len == 0 || len > 63) return false;
    ascii_host += len;
    if (q >= m.domain_end) break;
    ascii_host += 1;
    label = q + sep;
    q = label - 1;
  }
  const size_t url16 = utf16_length(s + m.start, url_end - m.start);
  const size_t host16 = utf16_length(s + m.domain_start, m.domain_end - m.domain_start);
  return url16 - host16 + ascii_host + (m.protocol ? 0 : 8) <= 4096;
}

// URL_VALID_DOMAIN at d. Returns the end of the host or npos.
size_t TextExtractor::match_domain(const u8* s, size_t n, size_t d) {
  // URL_VALID_SUBDOMAIN* URL_VALID_DOMAIN_NAME (gTLD | ccTLD | punycode): collect the labels that can be
  // subdomains, then try the domain name at the last of them first, as the regex backtracks.
  labels_.clear();
  for (size_t q = d; q < n;) {
    size_t t = q;
    bool first = false, last = false, underscore = false;
    while (t < n) {
      const Decoded c = decode(s + t, s + n);
      const bool domain_char = is_domain_char(c.cp);
      if (!domain_char && c.cp != '-' && c.cp != '_') break;
      if (t == q) first = domain_char;
      last = domain_char;
      underscore = underscore || c.cp == '_';
      t += c.len;
    }
    if (t == q || !first || !last || t >= n || s[t] != '.') break;
    labels_.push_back({t + 1, underscore});
    q = t + 1;
  }
  for (size_t j = labels_.size(); j-- > 0;) {
    if (labels_[j].underscore) continue;  // a domain name has no '_'
    const size_t e = match_tld(s, n, labels_[j].next, true);
    if (e != npos) return e;
  }
  // (?<=https?://) URL_VALID_UNICODE_DOMAIN_NAME (gTLD | ccTLD): one label of anything but punctuation and
  // spaces. (URL_VALID_DOMAIN's other alternatives never match where the ones here fail.)
  if ((d >= 7 && ci_equal(s + d - 7, "http://")) || (d >= 8 && ci_equal(s + d - 8, "https://"))) {
    size_t t = d;
    bool first = false, last = false;
    while (t < n) {
      const Decoded c = decode(s + t, s + n);
      const bool unicode_char = is_unicode_domain_char(c.cp);
      if (!unicode_char && c.cp != '-') break;
      if (t == d) first = unicode_char;
      last = unicode_char;
      t += c.len;
    }
    if (t > d && first && last && t < n && s[t] == '.') return match_tld(s, n, t + 1, false);
  }
  return npos;
}

// The rest of VALID_URL from p, where its preceding-character group has matched: protocol, domain, port,
// path, query. Everything after the domain is optional, so the first domain the regex would find decides the
// match.
bool TextExtractor::match_url(const u8* s, size_t n, size_t p, UrlMatch& m) {
  if (p >= n) return false;
  // Every alternative starts with a letter or digit ('h' of the protocol, a domain label), a Latin accented
  // letter, or follows "//" (a Unicode host after the protocol): reject the rest at once.
  const bool may_start = s[p] < 0x80 ? has(s[p], kAlnum) : is_latin_accent(decode(s + p, s + n).cp);
  if (!may_start && !(p >= 2 && s[p - 1] == '/' && s[p - 2] == '/')) return false;
  size_t d = p, de = npos;
  if (ci_prefix(s + p, n - p, "https://")) {
    d = p + 8;
  } else if (ci_prefix(s + p, n - p, "http://")) {
    d = p + 7;
  }
  if (d != p) de = match_domain(s, n, d);
  const bool protocol = de != npos;
  if (!protocol) {
    d = p;
    de = match_domain(s, n, p);
    if (de == npos) return false;
  }
  size_t e = de;
  if (e + 1 < n && s[e] == ':' && has(s[e + 1], kDigit)) {  // port
    e += 2;
    while (e < n && has(s[e], kDigit)) ++e;
  }
  if (e < n && s[e] == '/') e = match_path(s, n, e + 1);
  if (e < n && s[e] == '?') e = match_query(s, n, e);
  m = {p, e, d, de, protocol};
  return true;
}

void TextExtractor::urls(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  if (n == 0 || !std::memchr(s, '.', n)) return;  // every host has a '.'
  Cursor cursor(s, n);
  UrlMatch m;
  for (size_t k = 0; k < n;) {
    // VALID_URL's preceding group: the character at k, then the URL; at the very start also the URL alone
    // (tried second, as the alternation is ordered).
    const Decoded c = decode(s + k, s + n);
    const bool may_precede = !ascii_has(c.cp, kNotUrlBefore) && c.cp != 0xFF20 && c.cp != 0xFF03 &&
                             c.cp != 0xFFFE && c.cp != 0xFEFF && c.cp != 0xFFFF;
    bool found = may_precede && match_url(s, n, k + c.len, m);
    if (!found && k == 0) found = match_url(s, n, 0, m);
    if (!found) {
      k += c.len;
      continue;
    }
    k = m.end;  // the next search starts after the match, even when the match is dropped below
    if (!m.protocol && m.start > 0 && std::memchr("-_./", s[m.start - 1], 4)) continue;
    size_t end = m.end;
    if (m.protocol && ci_prefix(s + m.domain_start, m.end - m.domain_start, "t.co/")) {
      // VALID_TCO_URL: a t.co link is its slug and query only; a slug over 40 characters is no link at all.
      const size_t slug = m.domain_start + 5;
      size_t e = slug;
      while (e < m.end && has(s[e], kAlnum)) ++e;
      if (e > slug) {
        if (e - slug > 40) continue;
        end = e < m.end && s[e] == '?' ? match_query(s, m.end, e) : e;
      }
    }
    if (!valid_host_and_length(s, m, end)) continue;
    const uint32_t start = cursor.at(m.start);
    out.push_back({text.substr(m.start, end - m.start), start, cursor.at(end)});
  }
}

void TextExtractor::hashtags(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  SigilFinder find(s, n, '#', kFullwidthHash);
  size_t b = find.next(0);
  if (b >= n) return;
  Cursor cursor(s, n);
  size_t consumed = 0;  // end of the last match: the next one's preceding character comes after it
  bool near_url = false;
  while (b < n) {
    const size_t sigil = s[b] == '#' ? 1 : 3;
    uint32_t prev = 0;
    bool ok = b == 0;
    if (b > consumed) {
      prev = cp_before(s, b);
      ok = may_precede_hashtag(prev);
    }
    size_t q = b + sigil;
    if (ok && q < n) {
      uint32_t count = 0;
      bool letter = false;
      const Decoded first = decode(s + q, s + n);
      if (first.cp != 0xFE0F && first.cp != 0x20E3) {
        while (q < n) {
          int cls;
          size_t len = 1;
          if (s[q] < 0x80) {
            cls = ascii_tag_class(s[q]);
          } else {
            const Decoded c = decode(s + q, s + n);
            cls = tag_class(c.cp);
            len = c.len;
          }
          if (cls == kNotTag) break;
          letter = letter || cls == kTagLetter;
          q += len;
          ++count;
        }
      }
      if (letter) {
        consumed = q;
        if (!hashtag_end_invalid(s, n, q)) {
          const uint32_t start = cursor.at(b);
          out.push_back({text.substr(b + sigil, q - b - sigil), start, start + 1 + count});
          cursor.set(q, start + 1 + count);
          near_url = near_url || (b > 0 && may_precede_hashtag_in_url(prev));
        }
        b = find.next(q);
        continue;
      }
    }
    b = find.next(b + sigil);
  }
  if (near_url) drop_hashtags_inside_urls(text, out);
}

// Extractor.extractHashtagsWithIndices(text, checkUrlOverlap=true): sort hashtags and URLs by start (hashtags
// first on a tie), drop every entity that starts before the end of the last one kept, keep the hashtags.
void TextExtractor::drop_hashtags_inside_urls(std::string_view text, std::vector<TextEntity>& tags) {
  urls(text, urls_);
  if (urls_.empty()) return;
  size_t kept = 0, u = 0;
  uint32_t kept_end = 0;
  bool any = false;
  for (const TextEntity& tag : tags) {
    for (; u < urls_.size() && urls_[u].start < tag.start; ++u) {
      if (!any || kept_end <= urls_[u].start) kept_end = urls_[u].end;
      any = true;
    }
    if (any && kept_end > tag.start) continue;
    kept_end = tag.end;
    any = true;
    tags[kept++] = tag;
  }
  tags.resize(kept);
}

void TextExtractor::mentions(std::string_view text, std::vector<TextEntity>& out) {
  scan_mentions(text, out, false);
}

void TextExtractor::mentions_or_lists(std::string_view text, std::vector<TextEntity>& out) {
  scan_mentions(text, out, true);
}

void TextExtractor::scan_mentions(std::string_view text, std::vector<TextEntity>& out, bool lists) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  SigilFinder find(s, n, '@', kFullwidthAt);
  size_t b = find.next(0);
  if (b >= n) return;
  Cursor cursor(s, n);
  size_t consumed = 0;
  while (b < n) {
    // [@＠]+ from b, which starts the run (a match can only begin at the start of one).
    size_t r = b, last_at = b;
    for (;;) {
      if (r < n && s[r] == '@') {
        last_at = r++;
      } else if (is_fullwidth(s, n, r, kFullwidthAt)) {
        last_at = r;
        r += 3;
      } else {
        break;
      }
    }
    bool ok = b == 0;
    if (b > consumed) {
      const uint32_t prev = cp_before(s, b);
      ok = (!ascii_has(prev, kNotMentionBefore) && prev != 0xFF20) || rt_before(s, b, consumed);
    }
    size_t u = r;
    while (ok && u < n && u - r < 20 && has(s[u], kWord)) ++u;
    if (u == r) {
      b = find.next(r);
      continue;
    }
    size_t end = u;
    bool list = false;
    if (u + 1 < n && s[u] == '/' && has(s[u + 1], kAlpha)) {  // (/[a-z][a-z0-9_\-]{0,24})?
      end = u + 2;
      while (end < n && end - (u + 2) < 24 && has(s[end], kListChar)) ++end;
      list = true;
    }
    consumed = end;
    if (!mention_end_invalid(s, n, end) && (lists || !list)) {
      const uint32_t start = cursor.at(last_at);  // the indices start at the last at sign
      const uint32_t stop = start + 1 + static_cast<uint32_t>(end - r);
      out.push_back({text.substr(r, end - r), start, stop});
      cursor.set(end, stop);
    }
    b = find.next(end);
  }
}

bool TextExtractor::reply(std::string_view text, TextEntity& out) {
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  size_t q = 0;
  uint32_t index = 0;
  while (q < n) {
    const Decoded c = decode(s + q, s + n);
    if (!is_unicode_space(c.cp)) break;
    q += c.len;
    ++index;
  }
  size_t r;
  if (q < n && s[q] == '@') {
    r = q + 1;
  } else if (is_fullwidth(s, n, q, kFullwidthAt)) {
    r = q + 3;
  } else {
    return false;
  }
  size_t u = r;
  while (u < n && u - r < 20 && has(s[u], kWord)) ++u;
  if (u == r || mention_end_invalid(s, n, u)) return false;
  out = {text.substr(r, u - r), index, index + 1 + static_cast<uint32_t>(u - r)};
  return true;
}

void TextExtractor::cashtags(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  const void* dollar = n ? std::memchr(s, '$', n) : nullptr;
  if (!dollar) return;
  Cursor cursor(s, n);
  size_t consumed = 0;
  for (size_t b = static_cast<size_t>(static_cast<const u8*>(dollar) - s);;) {
    const bool ok = b == 0 || (b > consumed && is_unicode_space(cp_before(s, b)));
    const size_t end = ok ? match_cashtag(s, n, b + 1) : npos;
    if (end != npos) {
      consumed = end;
      const uint32_t start = cursor.at(b);
      const auto stop = start + static_cast<uint32_t>(end - b);  // ASCII
      out.push_back({text.substr(b + 1, end - b - 1), start, stop});
      cursor.set(end, stop);
    }
    const size_t from = end != npos ? end : b + 1;
    dollar = from < n ? std::memchr(s + from, '$', n - from) : nullptr;
    if (!dollar) break;
    b = static_cast<size_t>(static_cast<const u8*>(dollar) - s);
  }
}

}  // namespace trendtop
