#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "output/sink.h"

using namespace trendtop;

namespace {
std::string render(OutputFormat f, const std::vector<WindowResult>& windows) {
  auto sink = make_sink(f);
  fmt::memory_buffer b;
  sink->begin(b);
  for (const auto& w : windows) sink->window(w, b);
  return fmt::to_string(b);
}
// Against a previous window where #a,b"c ranked 1st (5) and #smtown_live 2nd (20), and あ was not ranked.
const std::vector<RankedKey> kTop = {
    {"#smtown_live", 23, {}, 20, 2}, {"#a,b\"c", 2, {}, 5, 1}, {"#\xe3\x81\x82", 1, {}, 0, 0}};
const int64_t kStart = 1609486140000;
}  // namespace

TEST_CASE("sink: tsv rows per rank, keys escaped", "[sink]") {
  std::vector<RankedKey> top = {{"#x", 2}, {"#tab\there\\", 1}};
  CHECK(render(OutputFormat::Tsv,
               {{kStart, kStart + 10'000, 3, 2, top}, {kStart + 10'000, kStart + 20'000, 0, 0, {}}}) ==
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#x\t2\t0\t2\tnew\n"
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t2\t#tab\\there\\\\\t1\t0\t1\tnew\n");
}

TEST_CASE("sink: csv with header and RFC 4180 quoting", "[sink]") {
  CHECK(render(OutputFormat::Csv, {{kStart, kStart + 250, 5, 3, kTop}}) ==
        "window_start,window_end,rank,key,count,prev,delta,rank_change\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,1,#smtown_live,23,20,3,1\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,2,\"#a,b\"\"c\",2,5,-3,-1\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,3,#\xe3\x81\x82,1,0,1,new\r\n");
  CHECK(render(OutputFormat::Csv, {}) == "window_start,window_end,rank,key,count,prev,delta,rank_change\r\n");
}

TEST_CASE("sink: json one object per window", "[sink]") {
  CHECK(render(OutputFormat::Json,
               {{kStart, kStart + 10'000, 512, 3, kTop}, {kStart, kStart + 10'000, 0, 0, {}}}) ==
        "{\"window_start\":\"2021-01-01T07:29:00Z\",\"window_end\":\"2021-01-01T07:29:10Z\",\"records\":512,"
        "\"keys\":3,\"final\":true,\"top\":[{\"key\":\"#smtown_live\",\"count\":23,\"prev\":20,\"delta\":3,"
        "\"rank_change\":1,\"new\":false},{\"key\":\"#a,b\\\"c\",\"count\":2,\"prev\":5,\"delta\":-3,"
        "\"rank_change\":-1,\"new\":false},{\"key\":\"#\xe3\x81\x82\",\"count\":1,\"prev\":0,\"delta\":1,"
        "\"rank_change\":null,\"new\":true}]}\n"
        "{\"window_start\":\"2021-01-01T07:29:00Z\",\"window_end\":\"2021-01-01T07:29:10Z\",\"records\":0,"
        "\"keys\":0,\"final\":true,\"top\":[]}\n");
  fmt::memory_buffer b;
  append_json_string(b, std::string_view("a\nb\x01\x7f", 5));
  CHECK(fmt::to_string(b) == "\"a\\nb\\u0001\\u007f\"");
}

TEST_CASE("sink: text aligns by display width", "[sink]") {
  std::string out = render(OutputFormat::Text, {{kStart, kStart + 10'000, 512, 3, kTop}});
  CHECK(out ==
        "2021-01-01 07:29:00 .. 07:29:10 UTC  512 records, 3 keys\n"
        "  1  #smtown_live  23  +3  \u21911\n"
        "  2  #a,b\"c         2  -3  \u21931\n"
        "  3  #\xe3\x81\x82            1  +1  new\n");  // あ is two columns wide
  std::string empty = render(OutputFormat::Text, {{kStart, kStart + 10'000, 1, 0, {}}});
  CHECK(empty.find("(no keys)") != std::string::npos);
  // A window crossing midnight repeats the date.
  std::string midnight = render(OutputFormat::Text, {{1609545600000 - 5000, 1609545600000 + 5000, 0, 0, {}}});
  CHECK(midnight.rfind("2021-01-01 23:59:55 .. 2021-01-02 00:00:05 UTC  0 records, 0 keys\n", 0) == 0);
  CHECK(display_width("#\xe3\x81\x82") == 3);
}

TEST_CASE("sink: partial results are marked where the format can mark them", "[sink]") {
  std::vector<RankedKey> top = {{"#x", 2}};
  WindowResult partial{kStart, kStart + 10'000, 3, 1, top, false};
  CHECK(render(OutputFormat::Json, {partial}).find("\"final\":false") != std::string::npos);
  CHECK(render(OutputFormat::Text, {partial}).find("1 key  (partial)\n") != std::string::npos);
  CHECK_FALSE(make_sink(OutputFormat::Tsv)->marks_partial());
  CHECK_FALSE(make_sink(OutputFormat::Csv)->marks_partial());
  auto tsv = make_sink(OutputFormat::Tsv, true);
  fmt::memory_buffer b;
  tsv->window(partial, b);
  CHECK(fmt::to_string(b) == "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#x\t2\t0\t2\tnew\tfalse\n");
  auto csv = make_sink(OutputFormat::Csv, true);
  fmt::memory_buffer c;
  csv->begin(c);
  csv->window({kStart, kStart + 10'000, 3, 1, top, true}, c);
  CHECK(fmt::to_string(c) ==
        "window_start,window_end,rank,key,count,prev,delta,rank_change,final\r\n2021-01-01T07:29:00Z,2021-01-"
        "01T07:29:10Z,1,#x,2,0,2,new,true\r\n");
}

TEST_CASE("sink: --rank trend adds score and baseline", "[sink]") {
  // #burst: 45 against a baseline of 2 per window, score (45 - 2) / sqrt(2 + 5) = 16.25; unchanged rank.
  std::vector<RankedKey> top = {{"#burst", 45, {}, 3, 1, 16.2525, 2.0}, {"#old", 9, {}, 9, 0, -0.001, 9.0}};
  WindowResult w{kStart, kStart + 10'000, 60, 2, top, true};
  fmt::memory_buffer t;
  make_sink(OutputFormat::Tsv, false, true)->window(w, t);
  CHECK(fmt::to_string(t) ==
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#burst\t45\t3\t42\t0\t16.25\t2.00\n"
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t2\t#old\t9\t9\t0\tnew\t0.00\t9.00\n");  // never -0.00
  fmt::memory_buffer c;
  auto csv = make_sink(OutputFormat::Csv, true, true);
  csv->begin(c);
  CHECK(fmt::to_string(c) ==
        "window_start,window_end,rank,key,count,prev,delta,rank_change,score,baseline,final\r\n");
  fmt::memory_buffer j;
  make_sink(OutputFormat::Json, false, true)->window(w, j);
  CHECK(fmt::to_string(j).find(
            "\"count\":45,\"prev\":3,\"delta\":42,\"rank_change\":0,\"new\":false,\"score\":16.25,"
            "\"baseline\":2.00}") != std::string::npos);
  fmt::memory_buffer x;
  make_sink(OutputFormat::Text, false, true)->window(w, x);
  CHECK(fmt::to_string(x) ==
        "2021-01-01 07:29:00 .. 07:29:10 UTC  60 records, 2 keys\n"
        "  1  #burst  45  z=16.3  +42  =\n"
        "  2  #old     9  z= 0.0   +0  new\n");
}

TEST_CASE("sink: a window of a day shows the end's date (issue 17)", "[sink]") {
  const int64_t day = 1617235200000;  // 2021-04-01T00:00:00Z
  std::string out = render(OutputFormat::Text, {{day, day + 86'400'000, 0, 0, {}}});
  CHECK(out.rfind("2021-04-01 00:00:00 .. 2021-04-02 00:00:00 UTC  0 records, 0 keys\n", 0) == 0);
  out = render(OutputFormat::Text, {{day + 43'200'000, day + 86'400'000, 0, 0, {}}});  // 12h, to midnight
  CHECK(out.rfind("2021-04-01 12:00:00 .. 2021-04-02 00:00:00 UTC", 0) == 0);
  out = render(OutputFormat::Text, {{day, day + 43'200'000, 0, 0, {}}});  // within the day: the time only
  CHECK(out.rfind("2021-04-01 00:00:00 .. 12:00:00 UTC", 0) == 0);
}

TEST_CASE("sink: every coloured text line resets its colour before its line break (issue 17)", "[sink]") {
  auto sink = make_sink(OutputFormat::Text, false, false, true);
  fmt::memory_buffer b;
  sink->window({kStart, kStart + 10'000, 512, 3, kTop}, b);
  sink->window({kStart + 10'000, kStart + 20'000, 0, 0, {}}, b);
  std::string out = fmt::to_string(b);
  size_t lines = 0, coloured = 0;
  for (size_t at = 0; at < out.size();) {
    size_t nl = out.find('\n', at);
    REQUIRE(nl != std::string::npos);
    std::string line = out.substr(at, nl - at);
    ++lines;
    if (line.find('\x1b') != std::string::npos) {
      ++coloured;
      INFO(line);
      CHECK(line.size() >= 4);
      CHECK(line.substr(line.size() - 4) == "\x1b[0m");
    }
    at = nl + 1;
  }
  CHECK(lines == 7);     // header, 3 keys, blank, header, (no keys)
  CHECK(coloured == 5);  // both headers, and the three rank changes (up, down, new)
}

TEST_CASE("sink: control characters in keys are escaped in every format (issue 17)", "[sink]") {
  // A newline (--extract split keeps one), an ESC sequence, DEL, a C1 control (U+009B, CSI) and a backslash.
  std::vector<RankedKey> top = {{"#a\nb", 3}, {"#\x1b[31mred", 2}, {"#d\x7f\xc2\x9b\\", 1}};
  WindowResult w{kStart, kStart + 10'000, 6, 3, top};
  CHECK(render(OutputFormat::Text, {w}) ==
        "2021-01-01 07:29:00 .. 07:29:10 UTC  6 records, 3 keys\n"
        "  1  #a\\nb         3  +3  new\n"  // the keys are 5, 12 and 12 columns wide as shown
        "  2  #\\x1b[31mred  2  +2  new\n"
        "  3  #d\\x7f\\x9b\\\\  1  +1  new\n");
  CHECK(render(OutputFormat::Tsv, {w}) ==
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#a\\nb\t3\t0\t3\tnew\n"
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t2\t#\\x1b[31mred\t2\t0\t2\tnew\n"
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t3\t#d\\x7f\\x9b\\\\\t1\t0\t1\tnew\n");
  // CSV: RFC 4180 quoting for the line break; the other controls as \xNN (CSV has no escapes of its own).
  CHECK(render(OutputFormat::Csv, {w}) ==
        "window_start,window_end,rank,key,count,prev,delta,rank_change\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:10Z,1,\"#a\nb\",3,0,3,new\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:10Z,2,#\\x1b[31mred,2,0,2,new\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:10Z,3,#d\\x7f\\x9b\\,1,0,1,new\r\n");
  std::string json = render(OutputFormat::Json, {w});
  CHECK(json.find("\"key\":\"#a\\nb\"") != std::string::npos);
  CHECK(json.find("\"key\":\"#\\u001b[31mred\"") != std::string::npos);
  CHECK(json.find("\"key\":\"#d\\u007f\\u009b\\\\\"") != std::string::npos);
  for (const std::string& out : {render(OutputFormat::Text, {w}), render(OutputFormat::Tsv, {w}), json}) {
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\x7f') == std::string::npos);
    CHECK(out.find("\xc2\x9b") == std::string::npos);
  }
}
