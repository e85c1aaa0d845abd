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

TEST_CASE("words: Han and Hiragana one character each, Katakana and Hangul runs whole", "[words]") {
  CHECK(words("\u6771\u4eac\u306b\u884c\u304f") == V{"\u6771", "\u4eac", "\u306b", "\u884c", "\u304f"});
  CHECK(words("\u30c6\u30b9\u30c8 \ud55c\uad6d\uc5b4") == V{"\u30c6\u30b9\u30c8", "\ud55c\uad6d\uc5b4"});
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
