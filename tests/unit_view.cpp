// The live view's frames, rendered for a given screen size (no terminal needed).
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "terminal/view.h"

using namespace trendtop;

namespace {
constexpr int64_t kT0 = 1609486140000;  // 2021-01-01T07:29:00Z

// The frame's lines without escape sequences.
std::vector<std::string> screen(const std::string& frame) {
  std::string plain = std::regex_replace(frame, std::regex("\x1b\\[[0-9;?]*[A-Za-z]"), "");
  std::vector<std::string> lines;
  size_t at = 0;
  for (;;) {
    size_t nl = plain.find("\r\n", at);
    lines.push_back(plain.substr(at, nl - at));
    if (nl == std::string::npos) break;
    at = nl + 2;
  }
  return lines;
}

ViewStatus status() {
  ViewStatus s;
  s.sources = "stdin";
  s.windowing = "window 10s";
  s.stats.lines = 12;
  s.stats.counted = 9;
  s.stats.malformed = 3;
  s.stats.windows = 2;
  return s;
}

// Two closed windows and an open one: #a 4 -> 8 (stays 1st), #b 2 -> 6, #c new, and #nl\n a key with a
// newline.
LiveView fed(bool color = false) {
  LiveView v(-1, color, false);
  std::vector<RankedKey> w0 = {{"#a", 4}, {"#b", 2}};
  v.window({kT0, kT0 + 10'000, 6, 2, w0, true});
  std::vector<RankedKey> w1 = {{"#a", 8, {}, 4, 1}, {"#b", 6, {}, 2, 2}, {"#c", 2}};
  v.window({kT0 + 10'000, kT0 + 20'000, 16, 3, w1, true});
  std::vector<RankedKey> open = {{"#c", 5, {}, 2, 3}, {"#a", 1, {}, 8, 1}, {"#nl\nx", 1}};
  v.running({kT0 + 20'000, kT0 + 30'000, 7, 3, open, false});
  return v;
}
}  // namespace

TEST_CASE("view: a frame's header, sections and rows", "[view]") {
  LiveView v = fed();
  auto lines = screen(v.frame(status(), 100, 30));
  REQUIRE(lines.size() >= 13);
  CHECK(lines[0].find("trendtop") != std::string::npos);
  CHECK(lines[0].find("stdin") != std::string::npos);
  CHECK(lines[1].find("windows 2") != std::string::npos);
  CHECK(lines[2].find("lines 12  counted 9  malformed 3  late 0  filtered 0") != std::string::npos);
  CHECK(lines[4] == "open    2021-01-01 07:29:20 .. 07:29:30 UTC  7 records, 3 keys");
  // rank, key, count, bar (against the table's largest count, 40 columns at most), move, sparkline (the
  // closed windows, then the running count; blank where the key was not ranked).
  CHECK(lines[5] == " 1  #c      5  ████████████████████████████████████████     ↑2   ▃█");
  CHECK(lines[6] == " 2  #a      1  ████████                                     ↓1  ▄█▁");
  CHECK(lines[7] ==
        " 3  #nl\\nx  1  ████████                                    new    █");  // the newline escaped
  CHECK(lines[9] == "closed  2021-01-01 07:29:10 .. 07:29:20 UTC  16 records, 3 keys");
  CHECK(lines[10] == " 1  #a   8  ████████████████████████████████████████      =  ▄█");
  CHECK(lines[11] == " 2  #b   6  ██████████████████████████████                =  ▃█");
  CHECK(lines[12] == " 3  #c   2  ██████████                                  new   █");
}

TEST_CASE("view: skewed records and approximate windows are shown", "[view]") {
  LiveView v(-1, false, false);
  std::vector<RankedKey> top = {{"#a", 9}};
  v.window({kT0, kT0 + 10'000, 9, 1, top, true, /*max_error=*/3});
  ViewStatus st = status();
  st.stats.skewed = 2;
  auto lines = screen(v.frame(st, 120, 30));
  CHECK(lines[2].find("skewed 2") != std::string::npos);
  bool marked = false;
  for (const std::string& l : lines)
    marked = marked || l.find("9 records, 1 key  approximate: +3 at most") != std::string::npos;
  CHECK(marked);
}

TEST_CASE("view: the slowest source's lag is shown with several sources", "[view]") {
  LiveView v = fed();
  ViewStatus st = status();
  st.clocks = "sources 3  slowest kafka tweets[2] lag 4s";
  auto lines = screen(v.frame(st, 160, 30));
  CHECK(lines[2].find("late 0  filtered 0  skipped 0  sources 3  slowest kafka tweets[2] lag 4s") !=
        std::string::npos);
}

TEST_CASE("view: every frame fits its screen, whatever the size", "[view]") {
  for (bool color : {false, true}) {
    LiveView v = fed(color);
    for (int cols : {1, 2, 10, 20, 33, 50, 80, 132, 250})
      for (int rows : {1, 2, 3, 7, 8, 12, 24, 60}) {
        std::string f = v.frame(status(), cols, rows);
        CHECK(f.rfind("\x1b[H", 0) == 0);  // one frame: home, lines, erase below
        CHECK(f.size() >= 3);
        CHECK(f.substr(f.size() - 3) == "\x1b[J");
        auto lines = screen(f);
        CHECK(lines.size() <= static_cast<size_t>(rows));
        for (const std::string& l : lines) CHECK(display_width(l) <= static_cast<size_t>(cols));
      }
  }
}

TEST_CASE("view: the scrollback keeps the last final window as text, keys escaped", "[view]") {
  LiveView v(-1, false, false);
  CHECK(v.scrollback().empty());
  std::vector<RankedKey> w = {{"#x\ny", 3}, {"#z", 1}};
  v.window({kT0, kT0 + 10'000, 3, 2, w, true});
  CHECK(v.scrollback() ==
        "2021-01-01 07:29:00 .. 07:29:10 UTC  3 records, 2 keys\n"
        "  1  #x\\ny  3  +3  new\n"
        "  2  #z     1  +1  new\n");
  // A partial window (--emit every) does not replace it.
  v.window({kT0 + 10'000, kT0 + 20'000, 1, 1, w, false});
  CHECK(v.scrollback().find("07:29:00 .. 07:29:10") != std::string::npos);
}

TEST_CASE("view: colour only when asked", "[view]") {
  CHECK(fed(false).frame(status(), 80, 24).find("\x1b[3") == std::string::npos);
  CHECK(fed(true).frame(status(), 80, 24).find("\x1b[36m") != std::string::npos);  // bars
}

TEST_CASE("view: narrow screens show header words whole or not at all (issue 17)", "[view]") {
  LiveView v = fed();
  ViewStatus st = status();
  st.sources = "a.ndjson, listen 127.0.0.1:9999";
  st.windowing = "window 1m, slide 10s, event time";
  st.stats.lines = 123'456;
  st.stats.counted = 120'000;
  auto wide = screen(v.frame(st, 300, 30));
  for (int columns : {40, 50, 60, 70, 80}) {
    auto narrow = screen(v.frame(st, columns, 30));
    // The header lines and the two section headers: a prefix of the full line, cut where a space follows
    // (or at its end), never inside a word.
    for (size_t i : {size_t{0}, size_t{1}, size_t{2}, size_t{4}, size_t{9}}) {
      INFO(columns << " columns, line " << i << ": [" << narrow[i] << "] of [" << wide[i] << "]");
      std::string cut = narrow[i];
      while (!cut.empty() && cut.back() == ' ') cut.pop_back();  // the title bar pads
      REQUIRE(wide[i].compare(0, cut.size(), cut) == 0);
      CHECK((cut.size() == wide[i].size() || wide[i][cut.size()] == ' ' || wide[i][cut.size()] == ','));
    }
  }
  auto at60 = screen(v.frame(st, 60, 30));
  CHECK(at60[0] == " trendtop  a.ndjson, listen 127.0.0.1:9999  ·  window 1m");
  CHECK(at60[4] == "open    2021-01-01 07:29:20 .. 07:29:30 UTC  7 records,");
}
