#include <catch2/catch.hpp>

#include "normalize.h"

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
