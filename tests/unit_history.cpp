#include <catch2/catch.hpp>

#include "terminal/history.h"

using namespace trendtop;

TEST_CASE("history: bounded to the last N windows, keys copied", "[history]") {
  History h(2, 10);
  for (int i = 0; i < 5; ++i) {
    std::string key = "#k" + std::to_string(i);
    std::vector<RankedKey> top = {{key, static_cast<uint64_t>(10 + i), i == 3 ? "#K3" : ""}};
    h.add({i * 1000, i * 1000 + 1000, 1, 1, top});
    key = "overwritten";  // the history holds its own copy
  }
  REQUIRE(h.windows().size() == 2);
  CHECK(h.windows()[0].start == 3000);
  CHECK(h.windows()[0].top[0].key == "#k3");
  CHECK(h.windows()[0].top[0].display == "#K3");
  CHECK(h.windows()[1].top[0].display == "#k4");
  CHECK(h.windows()[1].count_of("#k4") == 14);
  CHECK(h.windows()[1].count_of("#k3") == -1);
  History none(0, 10);
  none.add({0, 1, 0, 0, {}});
  CHECK(none.windows().empty());
  History few(1, 2);  // the first ranked keys only
  std::vector<RankedKey> top = {{"#a", 3}, {"#b", 2}, {"#c", 1}};
  few.add({0, 1, 3, 3, top});
  REQUIRE(few.windows()[0].top.size() == 2);
  CHECK(few.windows()[0].top[1].key == "#b");
}
