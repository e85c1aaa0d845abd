#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>

#include "count/count_map.h"

using namespace trendtop;

TEST_CASE("count_map: counts match a std::map through growth and reuse", "[count_map]") {
  std::mt19937 rng(42);
  CountMap m;
  for (int round = 0; round < 3; ++round) {
    std::map<std::string, uint64_t> ref;
    std::uniform_int_distribution<int> key(0, 5000 * (round + 1));
    for (int i = 0; i < 50'000; ++i) {
      std::string k = std::to_string(key(rng));
      k.insert(0, 1, '#');  // not "#" + ...: GCC 12 -O3 warns falsely (-Wrestrict, PR 105329)
      m.add(k);
      ref[k]++;
    }
    CHECK(m.size() == ref.size());
    std::map<std::string, uint64_t> got;
    m.for_each([&](std::string_view k, uint64_t n) { got[std::string(k)] = n; });
    CHECK(got == ref);
    CHECK(m.get("#1") == (ref.count("#1") ? ref["#1"] : 0));
    CHECK(m.get("#absent") == 0);
    m.clear();
    CHECK(m.empty());
  }
}

TEST_CASE("count_map: merge adds counts, keys of any bytes", "[count_map]") {
  CountMap a, b;
  a.add("#x", 2);
  a.add(std::string_view("\0bin", 4));
  b.add("#x", 3);
  b.add("#y");
  a.merge(b);
  CHECK(a.get("#x") == 5);
  CHECK(a.get("#y") == 1);
  CHECK(a.get(std::string_view("\0bin", 4)) == 1);
  CHECK(a.size() == 3);
}

TEST_CASE("count_map: the empty key, alone in the arena", "[count_map]") {
  // Found by fuzz_state (a state file holding "" twice): comparing against an empty arena passed memcmp a
  // null pointer (UBSan).
  CountMap m;
  m.add("");
  m.add("");
  CHECK(m.get("") == 2);
  CHECK(m.size() == 1);
}

TEST_CASE("count_map: hash depends on every byte and the length", "[count_map]") {
  CHECK(hash_key("abcdefgh1") != hash_key("abcdefgh2"));
  CHECK(hash_key("a") != hash_key(std::string_view("a\0", 2)));
  CHECK(hash_key("") != hash_key(std::string_view("\0", 1)));
}

TEST_CASE("count_map: a count that would pass 2^64 - 1 is refused and left as it was", "[count_map]") {
  CountMap m;
  const uint64_t max = ~uint64_t{0};
  CHECK(m.add("#a", max - 1));
  CHECK(m.add("#a", 1));
  CHECK(m.get("#a") == max);
  CHECK_FALSE(m.add("#a", 1));
  CHECK(m.get("#a") == max);  // not wrapped to 0, which would also have emptied the slot
  CHECK(m.size() == 1);
  CHECK(m.add("#b", max));
  CHECK_FALSE(m.add("#b", max));
  CHECK(m.get("#b") == max);
}
