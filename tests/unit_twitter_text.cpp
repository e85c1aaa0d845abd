#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <simdjson.h>

#include "extract/twitter_text.h"

using namespace trendtop;

namespace {

using V = std::vector<std::string>;

// "value [start,end]" for every entity, so a mismatch prints whole.
V with_indices(const std::vector<TextEntity>& es) {
  V v;
  for (const TextEntity& e : es) {
    v.push_back(std::string(e.value) + " [" + std::to_string(e.start) + "," + std::to_string(e.end) + "]");
  }
  return v;
}
V values(const std::vector<TextEntity>& es) {
  V v;
  for (const TextEntity& e : es) v.emplace_back(e.value);
  return v;
}

V hashtags(std::string_view text) {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.hashtags(text, out);
  return with_indices(out);
}
V mentions(std::string_view text) {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.mentions(text, out);
  return with_indices(out);
}
V lists(std::string_view text) {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.mentions_or_lists(text, out);
  return with_indices(out);
}
V cashtags(std::string_view text) {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.cashtags(text, out);
  return with_indices(out);
}
V urls(std::string_view text) {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.urls(text, out);
  return with_indices(out);
}
std::string reply(std::string_view text) {
  TextExtractor x;
  TextEntity e;
  return x.reply(text, e) ? std::string(e.value) : "<none>";
}

}  // namespace

TEST_CASE("twitter_text: hashtags with code point indices", "[twitter_text]") {
  CHECK(hashtags("#RedVelvet and #nct!") == V{"RedVelvet [0,10]", "nct [15,19]"});
  CHECK(hashtags("caf\xc3\xa9 #caf\xc3\xa9") == V{"caf\xc3\xa9 [5,10]"});  // é is one index
  CHECK(hashtags("\xf0\x9f\x98\x80 #tag") == V{"tag [2,6]"});              // so is an emoji
  // Fullwidth ＃ after a Japanese full stop; the tag stops at the next ideographic full stop.
  CHECK(hashtags("\xe3\x80\x82\xef\xbc\x83\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x82") ==
        V{"\xe6\x97\xa5\xe6\x9c\xac [1,4]"});
  CHECK(hashtags("#1st #2020 #_ #a_1") == V{"1st [0,4]", "a_1 [14,18]"});  // needs a letter
  CHECK(hashtags("").empty());
  CHECK(hashtags("#").empty());
  CHECK(hashtags("no sigil here").empty());
}

TEST_CASE("twitter_text: what may come before and after a hashtag", "[twitter_text]") {
  CHECK(hashtags("a#b &#c (#d) .#e _#f") == V{"d [9,11]", "e [14,16]"});
  CHECK(hashtags("#a#b").empty());             // followed by '#': dropped, and it swallows its neighbour
  CHECK(hashtags("##tag") == V{"tag [1,5]"});  // '#' may precede one
  CHECK(hashtags("#http://x.com").empty());    // followed by "://"
  CHECK(hashtags("\xe2\x9c\x8c\xef\xb8\x8f#tag") == V{"tag [2,6]"});  // after an emoji's U+FE0F
  CHECK(hashtags("#\xef\xb8\x8f\xe2\x83\xa3").empty());               // keycap #️⃣
  // ZWNJ inside a Persian tag; KATAKANA MIDDLE DOT inside a Japanese one.
  CHECK(hashtags("#\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85") ==
        V{"\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85 [0,9]"});
  CHECK(hashtags("#\xe3\x83\x8f\xe3\x83\xbb\xe3\x83\x8f") == V{"\xe3\x83\x8f\xe3\x83\xbb\xe3\x83\x8f [0,4]"});
  CHECK(hashtags("#\xee\x88\x80").empty());  // private use (not one of twitter-text's extra ranges)
}

TEST_CASE("twitter_text: a hashtag inside a URL is not a hashtag", "[twitter_text]") {
  CHECK(hashtags("http://twitter.com/#hashtag and #real").size() == 1);
  CHECK(hashtags("http://twitter.com/#hashtag and #real") == V{"real [32,37]"});
  CHECK(hashtags("see x.com?a=1&b=#c #d") == V{"d [19,21]"});
  CHECK(hashtags("not a url/#tag") == V{"tag [10,14]"});  // '/' before it, but no URL around
  CHECK(hashtags("#tag http://t.co/abc") == V{"tag [0,4]"});
}

TEST_CASE("twitter_text: invalid UTF-8 is scanned, never trusted", "[twitter_text]") {
  // Each invalid byte is one non-letter unit: it ends a tag and may precede one.
  CHECK(hashtags("#ab\xff"
                 "cd") == V{"ab [0,3]"});
  CHECK(hashtags("\xff#tag") == V{"tag [1,5]"});
  CHECK(hashtags("\xe6\x97#tag") == V{"tag [2,6]"});  // truncated sequence: two units
  CHECK(hashtags("#caf\xc3") == V{"caf [0,4]"});      // cut at the end of the text
  CHECK(hashtags("\xed\xa0\x80#x") == V{"x [3,5]"});  // an encoded surrogate: three units
  CHECK(mentions("\x80@user") == V{"user [1,6]"});
  CHECK(urls("\xc0http://a.com\xc1") == V{"http://a.com [1,13]"});

  // Random bytes with sigils sprinkled in: no crash, no read outside the text (run under ASan), and entities
  // that lie inside the text with start < end.
  std::mt19937 rng(42);
  const char alphabet[] = "#@$./:h t_-aZ9\xef\xbc\x83\xa0\xc3\xa9\xe3\x80\x82\xf0\x9f\x98\x80\xff\xed";
  TextExtractor x;
  std::vector<TextEntity> out;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t len = rng() % 40;
    for (size_t i = 0; i < len; ++i) text.push_back(alphabet[rng() % (sizeof alphabet - 1)]);
    std::string_view v = text;
    auto check = [&](const std::vector<TextEntity>& es) {
      for (const TextEntity& e : es) {
        REQUIRE(e.start < e.end);
        REQUIRE(e.value.data() >= v.data());
        REQUIRE(e.value.data() + e.value.size() <= v.data() + v.size());
      }
    };
    x.hashtags(v, out);
    check(out);
    x.mentions_or_lists(v, out);
    check(out);
    x.cashtags(v, out);
    check(out);
    x.urls(v, out);
    check(out);
    TextEntity e;
    x.reply(v, e);
  }
}

TEST_CASE("twitter_text: outputs are cleared and refilled", "[twitter_text]") {
  TextExtractor x;
  std::vector<TextEntity> out;
  x.hashtags("#one #two #three", out);
  REQUIRE(out.size() == 3);
  const TextEntity* data = out.data();
  x.hashtags("#four", out);
  CHECK(values(out) == V{"four"});
  CHECK(out.data() == data);  // the same storage
  x.hashtags("none", out);
  CHECK(out.empty());
}

TEST_CASE("twitter_text: mentions, lists and replies", "[twitter_text]") {
  CHECK(mentions("@alice hi @bob_2") == V{"alice [0,6]", "bob_2 [10,16]"});
  CHECK(mentions("mail a@b.com or x@y") == V{});
  CHECK(mentions("RT @a rt:@b Rt@c") == V{"a [3,5]", "b [9,11]", "c [14,16]"});
  CHECK(mentions("ART@c").empty());  // "RT" inside a word does not count
  CHECK(mentions("\xef\xbc\xa0zenkaku") == V{"zenkaku [0,8]"});
  CHECK(mentions("@@double") == V{"double [1,8]"});  // the indices start at the last at sign
  CHECK(mentions("@abcdefghijklmnopqrstuvwxyz") ==
        V{"abcdefghijklmnopqrst [0,21]"});  // cut at 20, as in Java
  CHECK(mentions("@user/list is a list") == V{});
  CHECK(lists("@user/list is a list, @u/7 is not") == V{"user/list [0,10]", "u [22,24]"});
  CHECK(mentions("@jos\xc3\xa9").empty());  // followed by a Latin accented letter
  CHECK(reply("  @alice hi") == "alice");
  CHECK(reply("\xe3\x80\x80@alice") == "alice");  // after an ideographic space
  CHECK(reply("hi @alice") == "<none>");
  CHECK(reply(".@alice") == "<none>");
  CHECK(reply("@alice@bob") == "<none>");
}

TEST_CASE("twitter_text: cashtags", "[twitter_text]") {
  CHECK(cashtags("$AAPL up, $goog.b down") == V{"AAPL [0,5]", "goog.b [10,17]"});
  CHECK(cashtags("$ab.cde $ab_c, $TOOLONG $12") == V{"ab [0,3]", "ab_c [8,13]"});
  CHECK(cashtags("x$AB ($AB) $AB$CD") == V{"AB [11,14]"});
  CHECK(cashtags("\xc2\xa0$NBSP\n$NL") == V{"NBSP [1,6]", "NL [7,10]"});
  CHECK(cashtags("$A\xe2\x80\xa8") == V{"A [0,2]"});  // Java's $ before a final line terminator
  CHECK(cashtags("$A\xe2\x80\xa8x").empty());
}

TEST_CASE("twitter_text: URLs", "[twitter_text]") {
  CHECK(urls("go to https://example.com/a/b?c=d#e now") == V{"https://example.com/a/b?c=d#e [6,35]"});
  CHECK(urls("example.com, foo.co.jp. bar.baz") == V{"example.com [0,11]", "foo.co.jp [13,22]"});
  CHECK(urls("http://example.com:8080/x.") == V{"http://example.com:8080/x [0,25]"});
  CHECK(urls("http://en.wikipedia.org/wiki/Foo_(bar)!") ==
        V{"http://en.wikipedia.org/wiki/Foo_(bar) [0,38]"});
  CHECK(urls("http://t.co/abc123's") == V{"http://t.co/abc123 [0,18]"});
  CHECK(urls("http://t.co/" + std::string(41, 'a')).empty());
  CHECK(urls("http://\xe4\xbe\x8b\xe3\x81\x88.jp/x") == V{"http://\xe4\xbe\x8b\xe3\x81\x88.jp/x [0,14]"});
  CHECK(urls("\xe4\xbe\x8b\xe3\x81\x88.jp").empty());  // a Unicode host needs the protocol
  CHECK(urls("@x.com #y.com $z.com /w.com -v.com").empty());
  CHECK(urls("no dots at all").empty());
  // A match is consumed even when it is dropped: the "foo.com" in the query is not a second URL.
  CHECK(urls("http://a.com?x=foo.com") == V{"http://a.com?x=foo.com [0,22]"});
  // IDNA: an "xn--" label with non-ASCII characters, and a label mixing left-to-right and Arabic letters.
  CHECK(urls("http://xn--\xe3\x81\x82.com").empty());
  CHECK(urls("http://ab\xd8\xb9\xd8\xb1\xd8\xa8.com").empty());
  CHECK(urls("http://\xd8\xb9\xd8\xb1\xd8\xa8.com") == V{"http://\xd8\xb9\xd8\xb1\xd8\xa8.com [0,14]"});
  CHECK(urls("http://" + std::string(63, 'a') + ".com").size() == 1);
  CHECK(urls("http://" + std::string(64, 'a') + ".com").empty());
}

#ifdef TRENDTOP_TWITTER_TEXT_JSON
// twitter-text's conformance/extract.yml, converted to JSON by the build (tests/conformance/yaml_to_json.py).
// Compiled in only when the shared data folder exists; then a missing or unreadable JSON fails.
TEST_CASE("twitter_text: the official conformance suite passes", "[twitter_text][conformance]") {
  using simdjson::SUCCESS;
  namespace dom = simdjson::dom;
  INFO("suite: " << TRENDTOP_TWITTER_TEXT_JSON);
  simdjson::padded_string json;
  REQUIRE(simdjson::padded_string::load(TRENDTOP_TWITTER_TEXT_JSON).get(json) == SUCCESS);
  dom::parser parser;
  dom::object tests;
  REQUIRE(parser.parse(json)["tests"].get(tests) == SUCCESS);

  auto str = [](dom::element e, const char* key) {
    std::string_view s;
    REQUIRE(e[key].get(s) == SUCCESS);
    return std::string(s);
  };
  auto indices = [](dom::element e) {
    dom::array a;
    REQUIRE(e["indices"].get(a) == SUCCESS);
    REQUIRE(a.size() == 2);
    int64_t start = 0, end = 0;
    REQUIRE(a.at(0).get(start) == SUCCESS);
    REQUIRE(a.at(1).get(end) == SUCCESS);
    return " [" + std::to_string(start) + "," + std::to_string(end) + "]";
  };

  TextExtractor x;
  std::vector<TextEntity> out;
  std::map<std::string, int> cases;
  for (dom::key_value_pair section : tests) {
    const std::string name(section.key);
    dom::array list;
    REQUIRE(section.value.get(list) == SUCCESS);
    for (dom::element c : list) {
      const std::string text = str(c, "text");
      INFO(name << ": " << str(c, "description") << "\ntext: " << text);
      dom::element expected = c["expected"];
      ++cases[name];
      V want, got;
      if (name == "replies") {
        std::string_view s;
        const std::string w = expected.get(s) == SUCCESS ? std::string(s) : "<none>";
        CHECK(reply(text) == w);
        continue;
      }
      const bool indexed = (name.size() > 13 && name.compare(name.size() - 13, 13, "_with_indices") == 0) ||
                           name == "urls_with_directional_markers";
      dom::array expected_list;
      REQUIRE(expected.get(expected_list) == SUCCESS);
      for (dom::element e : expected_list) {
        if (!indexed) {
          std::string_view s;
          REQUIRE(e.get(s) == SUCCESS);
          want.emplace_back(s);
        } else if (name == "hashtags_with_indices") {
          want.push_back(str(e, "hashtag") + indices(e));
        } else if (name == "mentions_with_indices") {
          want.push_back(str(e, "screen_name") + indices(e));
        } else if (name == "mentions_or_lists_with_indices") {
          want.push_back(str(e, "screen_name") + str(e, "list_slug") + indices(e));
        } else if (name == "cashtags_with_indices") {
          want.push_back(str(e, "cashtag") + indices(e));
        } else {
          want.push_back(str(e, "url") + indices(e));
        }
      }
      if (name == "hashtags" || name == "hashtags_from_astral" || name == "hashtags_with_indices") {
        x.hashtags(text, out);
      } else if (name == "mentions" || name == "mentions_with_indices") {
        x.mentions(text, out);
      } else if (name == "mentions_or_lists_with_indices") {
        x.mentions_or_lists(text, out);  // "user/slug": the suite's list_slug keeps the '/'
      } else if (name == "cashtags" || name == "cashtags_with_indices") {
        x.cashtags(text, out);
      } else if (name.rfind("urls", 0) == 0 || name == "tco_urls_with_params") {
        x.urls(text, out);
      } else {
        FAIL("a section this test does not know: " << name);
      }
      CHECK((indexed ? with_indices(out) : values(out)) == want);
    }
  }
  // Every section of the suite ran, with all its cases (extract.yml of twitter-text 3.1.0).
  CHECK(cases == std::map<std::string, int>{{"cashtags", 8},
                                            {"cashtags_with_indices", 2},
                                            {"hashtags", 65},
                                            {"hashtags_from_astral", 3},
                                            {"hashtags_with_indices", 8},
                                            {"mentions", 23},
                                            {"mentions_or_lists_with_indices", 5},
                                            {"mentions_with_indices", 3},
                                            {"replies", 13},
                                            {"tco_urls_with_params", 5},
                                            {"urls", 91},
                                            {"urls_with_directional_markers", 2},
                                            {"urls_with_indices", 10}});
}
#endif
