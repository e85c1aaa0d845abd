// KeyBuilder (extract/keys.h): keys normalised into one buffer, excluded, deduplicated, with spelling
// markers or per-author keys appended. Expected values are written out by hand.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/keys.h"
#include "extract/scan.h"

using namespace trendtop;

namespace {

std::vector<std::string> finish(KeyBuilder& b, bool distinct, std::string_view user = {}) {
  std::vector<std::string_view> keys;
  b.finish(keys, user, distinct);
  return {keys.begin(), keys.end()};
}

}  // namespace

TEST_CASE("keys: folded, each distinct key once, or every occurrence", "[keys]") {
  KeyBuilder b;
  b.clear();
  CHECK(b.add('#', "Tag", KeyBuilder::Norm::Fold));
  CHECK(b.add('#', "TAG", KeyBuilder::Norm::Fold));
  CHECK(b.add('@', "Who", KeyBuilder::Norm::Fold));
  CHECK(b.add(0, "https://Example.com/A", KeyBuilder::Norm::Keep));
  CHECK(finish(b, true) == std::vector<std::string>{"#tag", "@who", "https://Example.com/A"});
  b.clear();
  b.add('#', "Tag", KeyBuilder::Norm::Fold);
  b.add('#', "tag", KeyBuilder::Norm::Fold);
  CHECK(finish(b, false) == std::vector<std::string>{"#tag", "#tag"});
}

TEST_CASE("keys: control characters and invalid UTF-8 are not keys, except in split mode", "[keys]") {
  KeyBuilder b;
  b.clear();
  CHECK_FALSE(b.add('#', std::string_view("a\0b", 3), KeyBuilder::Norm::Fold));
  CHECK_FALSE(b.add('#', "a\x1b[31m", KeyBuilder::Norm::Fold));
  CHECK_FALSE(b.add('#', "\xff", KeyBuilder::Norm::Fold));
  CHECK(b.add(0, "#a\nb", KeyBuilder::Norm::Lower));  // the tutorial's split(" ") words stay as they are
  CHECK(finish(b, true) == std::vector<std::string>{"#a\nb"});
}

TEST_CASE("keys: exclusions are normalised like keys; spellings and authors are appended", "[keys]") {
  Config c;
  c.exclude = {"#RT"};
  KeyBuilder b(c);  // case folded, spellings tracked
  b.clear();
  b.add('#', "rt", KeyBuilder::Norm::Fold);
  b.add('#', "BTS", KeyBuilder::Norm::Fold);
  b.add('#', "bts", KeyBuilder::Norm::Fold);
  const std::string marker = std::string(1, kSpellingMark) + "#bts\x1f#BTS";
  CHECK(finish(b, true) == std::vector<std::string>{"#bts", marker});

  c.exclude.clear();
  c.count = CountMode::Users;
  KeyBuilder users(c);  // each key joined with its author, then a spelling marker for every key (issue 17)
  users.clear();
  users.add('#', "A", KeyBuilder::Norm::Fold);
  users.add('#', "b", KeyBuilder::Norm::Fold);
  const std::string mark(1, kSpellingMark);
  CHECK(finish(users, true, "42") == std::vector<std::string>{"#a\x1f"
                                                              "42",
                                                              "#b\x1f"
                                                              "42",
                                                              mark + "#a\x1f#A", mark + "#b\x1f#b"});
}

TEST_CASE("keys: words from a text leave out links, numbers and stop words", "[keys]") {
  Config c;
  c.keys = kWords;
  c.stopwords = {"Extra"};
  KeyBuilder b(c);
  b.clear();
  b.from_text("The Quick fox, the extra fox https://t.co/x 2021", kWords);
  // "Quick" was folded: its spelling follows as a marker.
  CHECK(finish(b, true) ==
        std::vector<std::string>{"quick", "fox", std::string(1, kSpellingMark) + "quick\x1fQuick"});
}
