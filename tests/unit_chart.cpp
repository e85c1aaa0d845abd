#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "terminal/chart.h"

using namespace trendtop;

namespace {
constexpr int64_t kT0 = 1609486140000;  // 2021-01-01T07:29:00Z
size_t occurrences(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("chart: xml text escaping", "[chart]") {
  std::string out;
  append_xml_text(out, "#a<b>&\"c'\x01\xff");
  CHECK(out == "#a&lt;b&gt;&amp;&quot;c&apos;\\x01\\xff");
}

TEST_CASE("chart: one line per top key, legend by records, bounded keys", "[chart]") {
  History h(3, 10);
  CHECK(chart_svg(h, 10).find("no window closed yet") != std::string::npos);
  for (int i = 0; i < 4; ++i) {  // the first window falls out of the history
    std::vector<RankedKey> top = {{"#a", 10}, {"#b", static_cast<uint64_t>(i)}, {"#c", 1}};
    if (i == 2) top.pop_back();  // #c not ranked: a gap in its line
    h.add({kT0 + i * 60'000, kT0 + (i + 1) * 60'000, 1, 1, top});
  }
  std::string svg = chart_svg(h, 2);
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(occurrences(svg, "class=\"series\"") == 2);  // #a (30) and #b (6); #c (2) left out
  CHECK(svg.find(">#a (30)</text>") != std::string::npos);
  CHECK(svg.find(">#b (6)</text>") != std::string::npos);
  CHECK(svg.find("#c") == std::string::npos);
  CHECK(svg.find("07:30:00 .. 07:33:00 UTC") != std::string::npos);
  svg = chart_svg(h, 10);
  CHECK(svg.find(">#c (2)</text>") != std::string::npos);
  // #c: two points and two separate pieces of line (M starts a piece).
  size_t c = svg.find("<g class=\"series\" stroke=\"#e15759\"");
  REQUIRE(c != std::string::npos);
  std::string c_group = svg.substr(c, svg.find("</g>", c) - c);
  CHECK(occurrences(c_group, "<circle") == 2);
  CHECK(occurrences(c_group, "M") == 2);
}

TEST_CASE("chart: written atomically, replacing the old file", "[chart]") {
  char dir[] = "/tmp/unit_chart_XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string path = std::string(dir) + "/c.svg", err;
  REQUIRE(write_file_atomic(path, "old", err));
  REQUIRE(write_file_atomic(path, "new", err));
  std::ifstream in(path);
  std::stringstream got;
  got << in.rdbuf();
  CHECK(got.str() == "new");
  CHECK(std::remove(path.c_str()) == 0);
  CHECK(rmdir(dir) == 0);  // nothing else left in the directory
  CHECK_FALSE(write_file_atomic(std::string(dir) + "/gone/c.svg", "x", err));
  CHECK(err.find("cannot write") != std::string::npos);
}
