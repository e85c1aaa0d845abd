// Word splitting for --keys words, on hand-checked texts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "extract/words.h"

using namespace trendtop;

namespace {
std::vector<std::string> words(std::string_view text, std::vector<std::pair<size_t, size_t>> skip = {}) {
  std::vector<std::string_view> out;
  split_words(text, skip, out);
  return {out.begin(), out.end()};
}
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("words: runs of letters and digits; apostrophes and full stops inside words", "[words]") {
  CHECK(words("Hello, world!") == V{"Hello", "world"});
  CHECK(words("don't stop l\u2019amour") == V{"don't", "stop", "l\u2019amour"});
  CHECK(words("the U.S. economy. End") == V{"the", "U.S", "economy", "End"});
  CHECK(words("snake_case and caf\u00e9 na\u0303o") == V{"snake_case", "and", "caf\u00e9", "na\u0303o"});
  CHECK(words("'quoted' .dot") == V{"quoted", "dot"});
}

TEST_CASE("words: tags, mentions, cashtags, entities, numbers and skipped ranges are left out", "[words]") {
  CHECK(words("#Tag @user $TSLA \uff03full \uff20at word") == V{"word"});
  CHECK(words("fish &amp; chips &lt;3 &#39;x&#39;") == V{"fish", "chips", "x"});
  CHECK(words("2021 was 365 days, 3.5 of them r2d2") == V{"was", "days", "3.5", "of", "them", "r2d2"});
  std::string t = "see https://t.co/AbC now";
  CHECK(words(t, {{4, 20}}) == V{"see", "now"});
}

TEST_CASE("words: scripts written without spaces lose their one-character words (issue 17)", "[words]") {
  // 東京に行く: Han and Hiragana are one character a word without a dictionary: none is kept.
  CHECK(words("\u6771\u4eac\u306b\u884c\u304f") == V{});
  // テスト ア 한국어: Katakana and Hangul runs whole; a lone Katakana character is left out.
  CHECK(words("\u30c6\u30b9\u30c8 \u30a2 \ud55c\uad6d\uc5b4") ==
        V{"\u30c6\u30b9\u30c8", "\ud55c\uad6d\uc5b4"});
  // 東京タワー: the Katakana run between Han characters stays, with its prolonged sound mark.
  CHECK(words("\u6771\u4eac\u30bf\u30ef\u30fc") == V{"\u30bf\u30ef\u30fc"});
  // Thai ก, กิ (a base and a vowel mark) alone are left out; ขอบคุณ (a run) stays; Latin x and Hangul 한 alone
  // stay (written with spaces, a one-letter word is a word).
  CHECK(words("\u0e01 \u0e01\u0e34 \u0e02\u0e2d\u0e1a\u0e04\u0e38\u0e13 x \ud55c") ==
        V{"\u0e02\u0e2d\u0e1a\u0e04\u0e38\u0e13", "x", "\ud55c"});
  // Halfwidth Katakana ｱ alone, Khmer ក alone, Lao ກ alone: left out.
  CHECK(words("\uff71 \u1780 \u0e81 ok") == V{"ok"});
  // ❤️ (a symbol and the emoji variation selector, a mark): the mark alone is no word.
  CHECK(words("I \u2764\ufe0f it") == V{"I", "it"});
}

TEST_CASE("words: invalid UTF-8 separates words and never crashes", "[words]") {
  CHECK(words("ab\xff"
              "cd \xc3") == V{"ab", "cd"});
}

TEST_CASE("words: the built-in stop words are sorted lower-case English", "[words]") {
  const auto& s = english_stopwords();
  CHECK(std::is_sorted(s.begin(), s.end()));
  CHECK(std::binary_search(s.begin(), s.end(), "the"));
  CHECK(std::binary_search(s.begin(), s.end(), "rt"));
  CHECK_FALSE(std::binary_search(s.begin(), s.end(), "economy"));
}
