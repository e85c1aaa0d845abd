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

TEST_CASE("count_map: adjust adds and subtracts, a key at zero leaves, against a std::map", "[count_map]") {
  std::mt19937 rng(7);
  CountMap m;
  std::map<std::string, uint64_t> ref;
  std::uniform_int_distribution<int> key(0, 3000), delta(1, 5), coin(0, 2);
  for (int i = 0; i < 200'000; ++i) {
    std::string k = std::to_string(key(rng));
    k.insert(0, i % 2 ? "#" : "#long-enough-to-make-garbage-");
    uint64_t& r = ref[k];
    int64_t d = delta(rng);
    // Subtract at most what is there (running totals never go below zero), and often all of it.
    if (r > 0 && coin(rng) != 0) d = coin(rng) == 0 ? -static_cast<int64_t>(r) : -std::min<int64_t>(d, r);
    uint64_t now = m.adjust_hashed(k, hash_key(k), d);
    r = static_cast<uint64_t>(static_cast<int64_t>(r) + d);
    REQUIRE(now == r);
    if (r == 0) ref.erase(k);
  }
  CHECK(m.size() == ref.size());
  std::map<std::string, uint64_t> got;
  m.for_each([&](std::string_view k, uint64_t n) { got[std::string(k)] = n; });
  CHECK(got == ref);
  for (const auto& [k, n] : ref) REQUIRE(m.get(k) == n);  // every key still reachable after the shifts
  // Garbage is repacked: the arena holds about the live keys, not every key ever removed.
  size_t live = 0;
  for (const auto& [k, n] : ref) live += k.size();
  CHECK(m.memory() < m.capacity() * sizeof(CountMap::Entry) + 2 * live + 8192);
}

TEST_CASE("count_map: signed changes wrap around and cancel out", "[count_map]") {
  CountMap m;
  CHECK(m.adjust_hashed("#a", hash_key("#a"), -3) == static_cast<uint64_t>(-3));
  CHECK(m.adjust_hashed("#a", hash_key("#a"), 1) == static_cast<uint64_t>(-2));
  CHECK(m.size() == 1);
  CHECK(m.adjust_hashed("#a", hash_key("#a"), 2) == 0);
  CHECK(m.empty());
  CHECK(m.get("#a") == 0);
  CHECK(m.adjust_hashed("#b", hash_key("#b"), 0) == 0);  // nothing stored for nothing
  CHECK(m.empty());
}

TEST_CASE("count_map: keys stored under one hash are found together, and removed", "[count_map]") {
  CountMap m;
  uint64_t group = hash_key("#tag");
  for (const char* k : {"#tag/A", "#tag/B", "#tag/C"}) m.add_hashed(k, group, 2);
  for (int i = 0; i < 200; ++i) m.add("#other" + std::to_string(i));  // crowd the probe runs
  std::map<std::string, uint64_t> seen;
  m.for_each_hashed(group, [&](std::string_view k, uint64_t n) { seen[std::string(k)] = n; });
  CHECK(seen == std::map<std::string, uint64_t>{{"#tag/A", 2}, {"#tag/B", 2}, {"#tag/C", 2}});
  m.adjust_hashed("#tag/B", group, -2);
  seen.clear();
  m.for_each_hashed(group, [&](std::string_view k, uint64_t n) { seen[std::string(k)] = n; });
  CHECK(seen == std::map<std::string, uint64_t>{{"#tag/A", 2}, {"#tag/C", 2}});
  for (int i = 0; i < 200; ++i) CHECK(m.get("#other" + std::to_string(i)) == 1);
}

TEST_CASE("count_map: pack shrinks a map to fit, and it grows again when keys come", "[count_map]") {
  CountMap m;
  for (int i = 0; i < 40; ++i) m.add("#k" + std::to_string(i), i + 1);
  CHECK(m.capacity() == 128);  // under half full
  m.pack();
  CHECK(m.capacity() == 64);  // under three quarters full
  for (int i = 0; i < 40; ++i) CHECK(m.get("#k" + std::to_string(i)) == static_cast<uint64_t>(i + 1));
  for (int i = 40; i < 100; ++i) m.add("#k" + std::to_string(i), i + 1);
  CHECK(m.capacity() == 256);
  for (int i = 0; i < 100; ++i) CHECK(m.get("#k" + std::to_string(i)) == static_cast<uint64_t>(i + 1));
  CountMap empty;
  empty.pack();
  CHECK(empty.capacity() == 4);
  empty.add("#x");
  CHECK(empty.get("#x") == 1);
}
