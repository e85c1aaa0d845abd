// RangeFramer against Framer: the lines of consecutive ranges, whatever their sizes and wherever they cut,
// are exactly the lines a Framer gives reading the whole file in one stream (the independent reference:
// framer.h's rules, tested on their own in unit_framer.cpp).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "input/framer.h"
#include "input/range.h"

using namespace trendtop;

namespace {

using V = std::vector<std::string>;

std::string show(const Line& line) {
  return line.kind == Line::Kind::Oversized ? "<oversized>" : std::string(line.text);
}

// The reference: a Framer reading the whole input (in reads of `step` bytes), then finish().
V framer_lines(const std::string& input, size_t max_line, size_t step = 7) {
  Framer f(max_line, 4096);
  V out;
  Line line;
  for (size_t pos = 0, n = 0; pos < input.size(); pos += n) {
    auto area = f.write_area();
    n = std::min({step, input.size() - pos, area.size()});
    std::memcpy(area.data(), input.data() + pos, n);
    f.commit(n);
    while (f.next(line)) out.push_back(show(line));
  }
  if (f.finish(line)) out.push_back(show(line));
  return out;
}

// A temporary file holding `bytes`, removed at the end.
struct TempFile {
  explicit TempFile(const std::string& bytes) {
    char name[] = "/tmp/trendtop_unit_range_XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    path = name;
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

RangeFile open_range_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  return RangeFile(fd, path);
}

// One range's lines, checking that every one has Framer::kPadding readable bytes after it.
V range_lines(RangeFramer& framer, RangeFile& file, uint64_t begin, uint64_t end, uint64_t* bytes = nullptr) {
  std::vector<char> text;
  std::vector<RangeLine> lines;
  uint64_t n = 0;
  std::string error;
  REQUIRE(framer.read(file, begin, end, text, lines, n, error));
  REQUIRE(error.empty());
  if (bytes) *bytes = n;
  V out;
  for (const RangeLine& l : lines) {
    if (l.oversized) {
      out.push_back("<oversized>");
      continue;
    }
    REQUIRE(size_t{l.offset} + l.length + Framer::kPadding <= text.size());
    out.push_back(std::string(text.data() + l.offset, l.length));
  }
  return out;
}

// The lines of `input` read by consecutive ranges cut at `cuts` (ascending, the last one the input's size).
V ranges_lines(const std::string& input, const std::vector<uint64_t>& cuts, size_t max_line,
               size_t range_size) {
  TempFile tmp(input);
  RangeFile file = open_range_file(tmp.path);
  RangeFramer framer(max_line, range_size);  // one framer for all: ranges must not leak into one another
  V out;
  uint64_t begin = 0, bytes = 0;
  for (uint64_t end : cuts) {
    uint64_t n = 0;
    for (std::string& s : range_lines(framer, file, begin, end, &n)) out.push_back(std::move(s));
    CHECK(n == end - begin);
    bytes += n;
    begin = end;
  }
  CHECK(bytes == input.size());
  return out;
}

// Every range size from 1 byte to past the input: every byte position is a boundary for some size, and
// every pair of positions at some distance.
void check_every_size(const std::string& input, size_t max_line) {
  V expect = framer_lines(input, max_line);
  for (size_t size = 1; size <= input.size() + 1; ++size) {
    std::vector<uint64_t> cuts;
    for (uint64_t at = size; at < input.size(); at += size) cuts.push_back(at);
    if (!input.empty()) cuts.push_back(input.size());
    INFO("range size " << size << ", max_line " << max_line);
    REQUIRE(ranges_lines(input, cuts, max_line, size) == expect);
  }
}

}  // namespace

TEST_CASE("range: the reference itself, by hand", "[range]") {
  // So that the comparisons below compare with something known.
  CHECK(framer_lines("a\r\nbb\n\n\r\nc\rd\nlast", 100) == V{"a", "bb", "", "", "c\rd", "last"});
  CHECK(framer_lines("x\n0123456789\ny", 5) == V{"x", "<oversized>", "y"});
}

TEST_CASE("range: a line starting exactly at a range's start or end", "[range]") {
  // "ab\n" | "cd\n": the second line starts at 3, the first range's end and the second's start.
  CHECK(ranges_lines("ab\ncd\n", {3, 6}, 100, 3) == V{"ab", "cd"});
  // Cut one byte earlier: the first range reads on past its end to finish "ab"; the line starting at 3 is
  // the second range's, which starts at the '\n' before it.
  CHECK(ranges_lines("ab\ncd\n", {2, 6}, 100, 4) == V{"ab", "cd"});
  // Cut one byte later: the second range starts inside "cd", which the first range reads on to finish.
  CHECK(ranges_lines("ab\ncd\n", {4, 6}, 100, 4) == V{"ab", "cd"});
  // A range that starts right after a '\n' owns the line there, and one whose only line start is its end owns
  // nothing.
  TempFile tmp("ab\ncd\nef\n");
  RangeFile file = open_range_file(tmp.path);
  RangeFramer framer(100, 16);
  CHECK(range_lines(framer, file, 3, 4) == V{"cd"});
  CHECK(range_lines(framer, file, 4, 6) == V{});
  CHECK(range_lines(framer, file, 4, 7) == V{"ef"});
  CHECK(range_lines(framer, file, 0, 1) == V{"ab"});
  CHECK(range_lines(framer, file, 8, 9) == V{});  // the last '\n': no line starts after it
}

TEST_CASE("range: CRLF split across a boundary", "[range]") {
  // '\r' the last byte of the first range, '\n' the first of the second.
  CHECK(ranges_lines("ab\r\ncd\r\n", {3, 8}, 100, 5) == V{"ab", "cd"});
  // '\r\n' as the whole of a range, and a lone CR (not a line end) at a boundary.
  CHECK(ranges_lines("ab\r\ncd\r\n", {2, 4, 8}, 100, 4) == V{"ab", "cd"});
  CHECK(ranges_lines("a\rb\nc", {2, 5}, 100, 3) == V{"a\rb", "c"});
  check_every_size("x\r\n\r\ny\r\r\n\rz\r\n\r", 100);
}

TEST_CASE("range: an over-long line spanning several ranges comes out once", "[range]") {
  std::string big(50, 'x');
  std::string input = "ok\n" + big + "\r\nok2\n" + big + "\n\n" + big;  // the last one without a newline
  V expect = framer_lines(input, 8);
  CHECK(expect == V{"ok", "<oversized>", "ok2", "<oversized>", "", "<oversized>"});
  check_every_size(input, 8);
  // At the limit: exactly max_line bytes (with and without "\r") is a line; one more is not.
  check_every_size("12345678\n123456789\n12345678\r\n123456789\r\n", 8);
  check_every_size("12345678\r", 8);
  check_every_size("123456789\r", 8);
}

TEST_CASE("range: no final newline, blank lines, an empty file", "[range]") {
  check_every_size("", 100);
  check_every_size("\n", 100);
  check_every_size("\n\n\n", 100);
  check_every_size("only", 100);
  check_every_size("a\n\n  \n\t\nb", 100);
  check_every_size("{\"a\":1}\n{\"b\":2}", 100);
  CHECK(ranges_lines("", {}, 100, 4).empty());
}

TEST_CASE("range: random lines, random cuts", "[range]") {
  std::mt19937 rng(20);
  for (int round = 0; round < 200; ++round) {
    std::string input;
    int lines = static_cast<int>(rng() % 30);
    for (int i = 0; i < lines; ++i) {
      size_t len = rng() % 4 == 0 ? rng() % 40 : rng() % 6;
      for (size_t k = 0; k < len; ++k) input += "ab\r "[rng() % 4];
      if (i + 1 < lines || rng() % 2) input += rng() % 3 == 0 ? "\r\n" : "\n";
    }
    size_t max_line = 1 + rng() % 20;
    std::vector<uint64_t> cuts;
    for (uint64_t at = 0; at < input.size();) {
      at = std::min<uint64_t>(at + 1 + rng() % 12, input.size());
      cuts.push_back(at);
    }
    INFO("input '" << input << "', max_line " << max_line);
    REQUIRE(ranges_lines(input, cuts, max_line, 12) == framer_lines(input, max_line));
  }
}

TEST_CASE("range: lines longer than the framer's read room, a buffer reused across ranges", "[range]") {
  // The last line of a range is read on past the range in growing chunks: lines of 100 KiB with 1 KiB ranges.
  std::string input;
  for (int i = 0; i < 5; ++i)
    input += std::string(100'000 + static_cast<size_t>(i), static_cast<char>('a' + i)) + "\n";
  std::vector<uint64_t> cuts;
  for (uint64_t at = 1024; at < input.size(); at += 1024) cuts.push_back(at);
  cuts.push_back(input.size());
  CHECK(ranges_lines(input, cuts, 1 << 20, 1024) == framer_lines(input, 1 << 20, 4096));
}

TEST_CASE("range: a file truncated while read", "[range]") {
  std::string input;
  for (int i = 0; i < 100; ++i) input += "line " + std::to_string(i) + "\n";
  TempFile tmp(input);
  RangeFile file = open_range_file(tmp.path);
  RangeFramer framer(100, 64);
  V got = range_lines(framer, file, 0, 64);
  // Cut in the middle of a line: the ranges before it read up to there, a range past it owns nothing.
  REQUIRE(::truncate(tmp.path.c_str(), 201) == 0);  // 10 lines of 7 bytes, 16 of 8, then 'lin'
  uint64_t bytes = 0;
  for (uint64_t begin = 64; begin < input.size(); begin += 64) {
    uint64_t n = 0;
    for (std::string& s : range_lines(framer, file, begin, std::min<uint64_t>(begin + 64, input.size()), &n))
      got.push_back(std::move(s));
    bytes += n;
  }
  CHECK(bytes == 201 - 64);
  CHECK(got == framer_lines(input.substr(0, 201), 100));
  CHECK(got.size() == 27);
  CHECK(got.back() == "lin");  // what was left of "line 26": a line of its own
}
