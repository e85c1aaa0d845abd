#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "input/framer.h"

using namespace trendtop;

namespace {

// Feeds `input` in reads of `step` bytes and returns the lines, oversized ones as "<oversized>".
std::vector<std::string> frame(const std::string& input, size_t step, size_t max_line,
                               size_t read_size = 4096) {
  Framer f(max_line, read_size);
  std::vector<std::string> out;
  Line line;
  auto take = [&] {
    out.push_back(line.kind == Line::Kind::Oversized ? "<oversized>" : std::string(line.text));
  };
  for (size_t pos = 0, n = 0; pos < input.size(); pos += n) {
    auto area = f.write_area();
    REQUIRE(area.size() >= read_size);
    n = std::min({step, input.size() - pos, area.size()});
    std::memcpy(area.data(), input.data() + pos, n);
    f.commit(n);
    while (f.next(line)) take();
  }
  if (f.finish(line)) take();
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("framer: LF, CRLF and a last line without newline", "[framer]") {
  CHECK(frame("a\nbb\r\nccc", 1000, 100) == V{"a", "bb", "ccc"});
  CHECK(frame("a\r\n\r\n\nb\n", 1000, 100) == V{"a", "", "", "b"});
  CHECK(frame("", 1000, 100) == V{});
  CHECK(frame("only\r", 1000, 100) == V{"only"});
}

TEST_CASE("framer: a line split across reads of any size", "[framer]") {
  std::string input;
  V expect;
  for (int i = 0; i < 200; ++i) {
    expect.push_back(std::string(static_cast<size_t>(i * 7 % 300), static_cast<char>('a' + i % 26)));
    input += expect.back() + (i % 3 == 0 ? "\r\n" : "\n");
  }
  for (size_t step : {1, 2, 3, 7, 64, 333, 4096, 100000}) {
    INFO("step " << step);
    CHECK(frame(input, step, 1000, 512) == expect);
  }
}

TEST_CASE("framer: over-long lines are skipped once and reading goes on", "[framer]") {
  std::string big(5000, 'x');
  std::string input = "ok1\n" + big + "\nok2\n" + big + "\r\nok3\n" + big;
  for (size_t step : {1, 100, 1000, 20000}) {
    INFO("step " << step);
    CHECK(frame(input, step, 100, 256) ==
          V{"ok1", "<oversized>", "ok2", "<oversized>", "ok3", "<oversized>"});
  }
  // The limit is inclusive, and a CR does not count.
  CHECK(frame(std::string(100, 'y') + "\r\n", 7, 100, 256) == V{std::string(100, 'y')});
  CHECK(frame(std::string(101, 'y') + "\n", 7, 100, 256) == V{"<oversized>"});
}

TEST_CASE("framer: padding after each line is inside the buffer", "[framer]") {
  Framer f(1 << 20, 4096);
  auto area = f.write_area();
  std::string input = "{\"a\":1}\n";
  std::memcpy(area.data(), input.data(), input.size());
  f.commit(input.size());
  Line line;
  REQUIRE(f.next(line));
  // The readable span after the line's end, in the same allocation, covers the padding.
  CHECK(area.size() + Framer::kPadding >= line.text.size() + Framer::kPadding);
  CHECK(line.text == "{\"a\":1}");
}

TEST_CASE("framer: memory stays bounded by max_line plus a read", "[framer]") {
  Framer f(1000, 4096);
  Line line;
  for (int i = 0; i < 1000; ++i) {  // 4 MB of one endless line
    auto area = f.write_area();
    CHECK(area.size() <= 4096 + 1000 + 4096);
    std::memset(area.data(), 'z', 4096);
    f.commit(4096);
    while (f.next(line)) {
    }
  }
  CHECK(f.buffered() <= 4096 + 1001);
  REQUIRE(f.finish(line));
  CHECK(line.kind == Line::Kind::Oversized);
}

namespace {
void feed(Framer& f, const std::string& bytes) {
  auto area = f.write_area();
  REQUIRE(area.size() >= bytes.size());
  std::memcpy(area.data(), bytes.data(), bytes.size());
  f.commit(bytes.size());
}
}  // namespace

TEST_CASE("framer: drop_unfinished drops the unfinished line, once, as oversized, and reading goes on",
          "[framer]") {
  Framer f(1 << 20, 4096);
  Line line;
  feed(f, "abc\ndefghij");
  REQUIRE(f.next(line));
  CHECK(line.text == "abc");
  REQUIRE_FALSE(f.next(line));
  CHECK(f.buffered() == 7);
  f.drop_unfinished();
  CHECK(f.buffered() == 0);
  feed(f, "klm");  // more of the dropped line: skipped
  CHECK_FALSE(f.next(line));
  feed(f, "nop\nnext\n");
  REQUIRE(f.next(line));
  CHECK(line.kind == Line::Kind::Oversized);
  REQUIRE(f.next(line));
  CHECK(line.kind == Line::Kind::Text);
  CHECK(line.text == "next");
  CHECK_FALSE(f.next(line));
  // Dropped at the end of the stream: still one line, oversized.
  feed(f, "unfinished");
  CHECK_FALSE(f.next(line));
  f.drop_unfinished();
  REQUIRE(f.finish(line));
  CHECK(line.kind == Line::Kind::Oversized);
  CHECK_FALSE(f.finish(line));
}

TEST_CASE("framer: a long line's memory is given back once the line is done", "[framer]") {
  Framer f(1 << 20, 4096);
  Line line;
  std::string chunk(4096, 'y');
  for (int i = 0; i < 128; ++i) feed(f, chunk);  // a line of 512 KiB, unfinished
  CHECK_FALSE(f.next(line));
  feed(f, "\nshort\n");
  REQUIRE(f.next(line));
  CHECK(line.text.size() == 128 * 4096);
  REQUIRE(f.next(line));
  CHECK(line.text == "short");
  // The next read's area is one read again, not the 512 KiB the line grew the buffer to.
  CHECK(f.write_area().size() < 3 * 4096);
}

TEST_CASE("framer: swap_buffer hands over the lines without copying and goes on with the tail", "[framer]") {
  std::string input;
  for (int i = 0; i < 400; ++i)
    input +=
        "line " + std::to_string(i) + std::string(static_cast<size_t>(i % 37), 'x') + (i % 3 ? "\n" : "\r\n");
  input += "last without newline";
  for (size_t step : {size_t{7}, size_t{100}, size_t{1000}}) {
    Framer f(1 << 20, 512);
    std::vector<std::vector<char>> kept;  // the buffers given away, holding the lines
    std::vector<std::string_view> views;
    std::vector<char> spare;
    Line line;
    for (size_t pos = 0, n = 0; pos < input.size(); pos += n) {
      auto area = f.write_area();
      n = std::min({step, input.size() - pos, area.size()});
      std::memcpy(area.data(), input.data() + pos, n);
      f.commit(n);
      const char* base = f.data();
      size_t before = views.size();
      while (f.next(line)) views.push_back(line.text);
      if (views.size() == before) continue;
      for (size_t i = before; i < views.size(); ++i) {
        REQUIRE(views[i].data() >= base);
        // Every line has the parser's padding readable after it, inside the buffer.
        REQUIRE(views[i].data() + views[i].size() + Framer::kPadding <=
                base + area.size() + (area.data() - base) + Framer::kPadding);
      }
      f.swap_buffer(spare);
      kept.push_back(std::move(spare));  // the lines now live here, still valid
      spare = {};
    }
    if (f.finish(line)) views.push_back(line.text);
    // Every view is still valid and the lines are those of the input.
    std::string joined;
    for (std::string_view v : views) joined.append(v).push_back('\n');
    std::string expected = input;
    for (size_t at; (at = expected.find("\r\n")) != std::string::npos;) expected.erase(at, 1);
    CHECK(joined == expected + "\n");
  }
}
