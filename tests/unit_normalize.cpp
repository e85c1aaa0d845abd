#include <catch2/catch.hpp>

#include "extract/normalize.h"

using namespace trendtop;

TEST_CASE("normalize: NFC and full case folding", "[normalize]") {
  Normalizer n;
  std::string out;
  CHECK(n.fold("RedVelvet", out));
  CHECK(out == "redvelvet");
  out.clear();
  CHECK(
      n.fold("E\xcc\x81"
             "COLE",
             out));  // E + COMBINING ACUTE -> é (composed), folded
  CHECK(out ==
        "\xc3\xa9"
        "cole");
  out.clear();
  CHECK(n.fold("\xce\xa3\xce\x99\xce\xa3", out));  // ΣΙΣ -> σισ (fold maps final sigma too)
  CHECK(out == "\xcf\x83\xce\xb9\xcf\x83");
  out.clear();
  CHECK(n.fold("\xef\xbc\xa1", out));  // FULLWIDTH A -> fullwidth a (folding, not compatibility mapping)
  CHECK(out == "\xef\xbd\x81");
}

TEST_CASE("normalize: invalid UTF-8 is refused and leaves the output alone", "[normalize]") {
  Normalizer n;
  std::string out = "keep";
  CHECK_FALSE(n.fold("bad\xff", out));
  CHECK(out == "keep");
  CHECK_FALSE(n.lower("\xc3", out));
}

TEST_CASE("normalize: long keys grow the buffers, appends accumulate", "[normalize]") {
  Normalizer n;
  std::string out;
  std::string big;
  for (int i = 0; i < 500; ++i) big += "\xc3\x89";  // É
  CHECK(n.fold(big, out));
  CHECK(out.size() == 1000);
  CHECK(out.substr(0, 2) == "\xc3\xa9");
  CHECK(n.fold("X", out));
  CHECK(out.back() == 'x');
}

TEST_CASE("normalize: ascii detection", "[normalize]") {
  CHECK(is_ascii("abc#_1"));
  CHECK_FALSE(is_ascii("caf\xc3\xa9"));
  CHECK(is_ascii(""));
}

TEST_CASE("normalize: lower() is Python's str.lower(), final sigma and dotted I included", "[normalize]") {
  // Expected values are what CPython 3.11 prints for s.lower().
  const std::pair<const char*, const char*> cases[] = {
      {"#ΟΔΟΣ", "#οδος"},                // a word-final capital sigma is ς
      {"ΟΔΟΣ.", "οδος."},                // also before punctuation
      {"Σ", "σ"},                        // not final: nothing cased before it
      {"ΑΣΑ", "ασα"},                    // inside a word
      {"ΑΣ'Α", "ασ'α"},                  // the apostrophe is case-ignorable: the word goes on
      {"ΑΣ'", "ας'"},                    //
      {"#ΣΑΣ_ΣΑΣ", "#σας_σας"},          // '_' is not case-ignorable: it ends the word
      {"ΑΣ\u0301", "ας\u0301"},          // a combining mark after it is ignored
      {"#İstanbul", "#i\u0307stanbul"},  // U+0130: i + combining dot above
      {"#ÉCOLE", "#école"},
  };
  Normalizer n;
  for (auto [in, expected] : cases) {
    std::string out;
    INFO(in);
    CHECK(n.lower(in, out));
    CHECK(out == expected);
  }
}
