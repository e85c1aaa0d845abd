#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sink.h"

using namespace trendtop;

namespace {
std::string render(OutputFormat f, const std::vector<WindowResult>& windows) {
  auto sink = make_sink(f);
  fmt::memory_buffer b;
  sink->begin(b);
  for (const auto& w : windows) sink->window(w, b);
  return fmt::to_string(b);
}
const std::vector<RankedKey> kTop = {{"#smtown_live", 23}, {"#a,b\"c", 2}, {"#\xe3\x81\x82", 1}};
const int64_t kStart = 1609486140000;
}  // namespace

TEST_CASE("sink: tsv rows per rank, keys escaped", "[sink]") {
  std::vector<RankedKey> top = {{"#x", 2}, {"#tab\there\\", 1}};
  CHECK(render(OutputFormat::Tsv,
               {{kStart, kStart + 10'000, 3, 2, top}, {kStart + 10'000, kStart + 20'000, 0, 0, {}}}) ==
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#x\t2\n"
        "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t2\t#tab\\there\\\\\t1\n");
}

TEST_CASE("sink: csv with header and RFC 4180 quoting", "[sink]") {
  CHECK(render(OutputFormat::Csv, {{kStart, kStart + 250, 5, 3, kTop}}) ==
        "window_start,window_end,rank,key,count\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,1,#smtown_live,23\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,2,\"#a,b\"\"c\",2\r\n"
        "2021-01-01T07:29:00Z,2021-01-01T07:29:00.250Z,3,#\xe3\x81\x82,1\r\n");
  CHECK(render(OutputFormat::Csv, {}) == "window_start,window_end,rank,key,count\r\n");
}

TEST_CASE("sink: json one object per window", "[sink]") {
  CHECK(render(OutputFormat::Json,
               {{kStart, kStart + 10'000, 512, 3, kTop}, {kStart, kStart + 10'000, 0, 0, {}}}) ==
        "{\"window_start\":\"2021-01-01T07:29:00Z\",\"window_end\":\"2021-01-01T07:29:10Z\",\"records\":512,"
        "\"keys\":3,\"final\":true,\"top\":[{\"key\":\"#smtown_live\",\"count\":23},{\"key\":\"#a,b\\\"c\","
        "\"count\":2},"
        "{\"key\":\"#\xe3\x81\x82\",\"count\":1}]}\n"
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
        "  1  #smtown_live  23\n"
        "  2  #a,b\"c         2\n"
        "  3  #\xe3\x81\x82            1\n");  // あ is two columns wide
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
  CHECK(fmt::to_string(b) == "2021-01-01T07:29:00Z\t2021-01-01T07:29:10Z\t1\t#x\t2\tfalse\n");
  auto csv = make_sink(OutputFormat::Csv, true);
  fmt::memory_buffer c;
  csv->begin(c);
  csv->window({kStart, kStart + 10'000, 3, 1, top, true}, c);
  CHECK(fmt::to_string(c) ==
        "window_start,window_end,rank,key,count,final\r\n2021-01-01T07:29:00Z,2021-01-01T07:29:10Z,1,#x,2,"
        "true\r\n");
}
