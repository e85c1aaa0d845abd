#include "extract/words.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include <utf8proc.h>

namespace trendtop {

namespace {

enum class Class { Other, Word, Single, Apostrophe, Sigil, Amp };

bool is_han_or_hiragana(int32_t cp) {
  return (cp >= 0x3040 && cp <= 0x309F) ||  // Hiragana
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);  // Han
}

// The other scripts written without spaces between words (UAX #14's complex-context and ideographic
// scripts): a run of them is one "word" here (no dictionary), and a run of one character is noise.
bool is_unspaced_script(int32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) ||                                    // Thai, Lao
         (cp >= 0x1000 && cp <= 0x109F) ||                                    // Myanmar
         (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0x19E0 && cp <= 0x19FF) ||  // Khmer
         (cp >= 0x1950 && cp <= 0x19DF) || (cp >= 0x1A20 && cp <= 0x1AAF) ||  // Tai Le, New Tai Lue, Tai Tham
         (cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||  // Katakana
         (cp >= 0xFF66 && cp <= 0xFF9F) ||                                    // halfwidth Katakana
         (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0x31A0 && cp <= 0x31BF) ||  // Bopomofo
         (cp >= 0xA000 && cp <= 0xA4CF) ||                                    // Yi
         (cp >= 0xA9E0 && cp <= 0xA9FF) || (cp >= 0xAA60 && cp <= 0xAADF);    // Myanmar ext., Tai Viet
}

Class classify(int32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_')
      return Class::Word;
    if (cp == '\'' || cp == '.') return Class::Apostrophe;  // MidLetter/MidNumLet: "don't", "U.S"
    if (cp == '#' || cp == '@' || cp == '$') return Class::Sigil;
    if (cp == '&') return Class::Amp;
    return Class::Other;
  }
  if (cp == 0x2019 || cp == 0x2018 || cp == 0x2024 || cp == 0xFE52 || cp == 0xFF07 || cp == 0xFF0E)
    return Class::Apostrophe;
  if (cp == 0xFF03 || cp == 0xFF20) return Class::Sigil;  // fullwidth # and @
  if (is_han_or_hiragana(cp)) return Class::Single;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_PC:
      return Class::Word;
    default:
      return Class::Other;
  }
}

// One code point at `at`: its class and length (an invalid byte is Other, length 1).
std::pair<Class, size_t> next(std::string_view text, size_t at) {
  auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return {classify(c), 1};
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + at),
                                        static_cast<utf8proc_ssize_t>(text.size() - at), &cp);
  if (n <= 0) return {Class::Other, 1};
  return {classify(cp), static_cast<size_t>(n)};
}

// Not a word: marks alone (an emoji's variation selector U+FE0F after a symbol), or one character (a base
// and its marks, e.g. Thai ก + U+0E34) of a script written without spaces.
bool noise(std::string_view w) {
  if (static_cast<unsigned char>(w[0]) < 0x80) return false;
  size_t bases = 0;
  bool unspaced = false;
  for (size_t at = 0; at < w.size();) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(w.data() + at),
                                          static_cast<utf8proc_ssize_t>(w.size() - at), &cp);
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
    auto cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) continue;
    if (++bases > 1) return false;
    unspaced = is_unspaced_script(cp);
  }
  return bases == 0 || unspaced;
}

bool all_digits(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void split_words(std::string_view text, const std::vector<std::pair<size_t, size_t>>& skip,
                 std::vector<std::string_view>& out) {
  out.clear();
  size_t at = 0, next_skip = 0;
  while (at < text.size()) {
    while (next_skip < skip.size() && skip[next_skip].second <= at) ++next_skip;
    if (next_skip < skip.size() && skip[next_skip].first <= at) {
      at = skip[next_skip].second;
      continue;
    }
    auto [cls, len] = next(text, at);
    if (cls == Class::Single) {  // a Han or Hiragana character: a word of one character, left out
      at += len;
      continue;
    }
    if (cls == Class::Amp) {  // &amp; &lt; &#39; ...: an escape, not words
      size_t end = at + 1;
      while (end < text.size() && end - at < 10 &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '#'))
        ++end;
      at = (end < text.size() && text[end] == ';') ? end + 1 : at + 1;
      continue;
    }
    bool tagged = cls == Class::Sigil;  // #tag, @user, $SYM: counted as such, not as words
    if (tagged) {
      at += len;
      if (at >= text.size()) break;
      std::tie(cls, len) = next(text, at);
    }
    if (cls != Class::Word) {
      at += len;
      continue;
    }
    size_t start = at;
    while (at < text.size()) {
      auto [c, l] = next(text, at);
      if (c == Class::Word) {
        at += l;
      } else if (c == Class::Apostrophe && at + l < text.size() && next(text, at + l).first == Class::Word) {
        at += l;  // don't, l'amour
      } else {
        break;
      }
    }
    std::string_view word = text.substr(start, at - start);
    if (!tagged && !all_digits(word) && !noise(word)) out.push_back(word);
  }
}

const std::vector<std::string_view>& english_stopwords() {
  static const std::vector<std::string_view> words = [] {
    std::vector<std::string_view> w = {
        "a",    "about", "after", "again",   "all",    "also",   "am",     "an",    "and",   "any",   "are",
        "as",   "at",    "be",    "been",    "before", "being",  "but",    "by",    "can",   "could", "did",
        "do",   "does",  "doing", "don't",   "down",   "during", "each",   "for",   "from",  "get",   "got",
        "had",  "has",   "have",  "having",  "he",     "her",    "here",   "hers",  "him",   "his",   "how",
        "i",    "i'm",   "if",    "in",      "into",   "is",     "it",     "it's",  "its",   "just",  "me",
        "more", "most",  "my",    "no",      "not",    "now",    "of",     "off",   "on",    "once",  "one",
        "only", "or",    "other", "our",     "out",    "over",   "own",    "rt",    "same",  "she",   "so",
        "some", "such",  "than",  "that",    "that's", "the",    "their",  "them",  "then",  "there", "these",
        "they", "this",  "those", "through", "to",     "too",    "u",      "under", "until", "up",    "us",
        "very", "via",   "was",   "we",      "were",   "what",   "when",   "where", "which", "while", "who",
        "whom", "why",   "will",  "with",    "would",  "you",    "you're", "your",  "yours",
    };
    std::sort(w.begin(), w.end());
    return w;
  }();
  return words;
}

}  // namespace trendtop
