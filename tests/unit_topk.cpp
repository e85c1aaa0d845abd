#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "count/topk.h"

using namespace trendtop;

static std::vector<std::string> keys(const std::vector<RankedKey>& r) {
  std::vector<std::string> out;
  for (const auto& k : r) out.push_back(std::string(k.key) + "=" + std::to_string(k.count));
  return out;
}

TEST_CASE("topk: count descending, ties by key bytewise", "[topk]") {
  CountMap m;
  m.add("#b", 3);
  m.add("#a", 3);
  m.add("#c", 5);
  m.add("#\xc3\xa9", 3);  // é sorts after ASCII: bytes are compared unsigned
  m.add("#z", 1);
  std::vector<RankedKey> out;
  top_k(m, 0, 1, out);
  CHECK(keys(out) == std::vector<std::string>{"#c=5", "#a=3", "#b=3", "#\xc3\xa9=3", "#z=1"});
  top_k(m, 2, 1, out);
  CHECK(keys(out) == std::vector<std::string>{"#c=5", "#a=3"});
  top_k(m, 3, 1, out);
  CHECK(keys(out) == std::vector<std::string>{"#c=5", "#a=3", "#b=3"});
}

TEST_CASE("topk: min-count leaves keys out", "[topk]") {
  CountMap m;
  m.add("#a", 1);
  m.add("#b", 2);
  std::vector<RankedKey> out;
  top_k(m, 10, 2, out);
  CHECK(keys(out) == std::vector<std::string>{"#b=2"});
  top_k(m, 10, 3, out);
  CHECK(out.empty());
}

TEST_CASE("topk: agrees with a full sort on many ties", "[topk]") {
  CountMap m;
  for (int i = 0; i < 1000; ++i) m.add("#k" + std::to_string(i), static_cast<uint64_t>(i % 7 + 1));
  std::vector<RankedKey> all, some;
  top_k(m, 0, 1, all);
  for (uint64_t k : {1, 10, 143, 999, 1000, 5000}) {
    top_k(m, k, 1, some);
    REQUIRE(some.size() == std::min<size_t>(k, all.size()));
    for (size_t i = 0; i < some.size(); ++i) CHECK(some[i].key == all[i].key);
  }
}
