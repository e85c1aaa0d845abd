#include <catch2/catch.hpp>

#include <string>

#include "terminal/term.h"

using namespace trendtop;

TEST_CASE("term: colour rules", "[term]") {
  // never always wins; always wins over NO_COLOR and a pipe; auto needs a capable terminal and no NO_COLOR.
  CHECK_FALSE(use_color(ColorMode::Never, true, nullptr, "xterm"));
  CHECK(use_color(ColorMode::Always, false, "1", "dumb"));
  CHECK(use_color(ColorMode::Auto, true, nullptr, "xterm-256color"));
  CHECK(use_color(ColorMode::Auto, true, "", "xterm"));  // NO_COLOR set but empty: ignored
  CHECK_FALSE(use_color(ColorMode::Auto, true, "1", "xterm"));
  CHECK_FALSE(use_color(ColorMode::Auto, false, nullptr, "xterm"));
  CHECK_FALSE(use_color(ColorMode::Auto, true, nullptr, "dumb"));
  CHECK_FALSE(use_color(ColorMode::Auto, true, nullptr, nullptr));
  CHECK_FALSE(capable_terminal(""));
}

TEST_CASE("term: keys are made terminal-safe", "[term]") {
  auto safe = [](std::string_view s) {
    std::string out;
    append_terminal_safe(out, s);
    return out;
  };
  CHECK(safe("#ok") == "#ok");
  CHECK(safe("#a\nb\tc\rd") == "#a\\nb\\tc\\rd");
  CHECK(safe("#\x1b[31mred") == "#\\x1b[31mred");  // no escape sequence gets through
  CHECK(safe("#\x7f") == "#\\x7f");
  CHECK(safe("#\xc2\x9b") == "#\\x9b");       // C1 CSI
  CHECK(safe("#\xff\xfe") == "#\\xff\\xfe");  // not UTF-8
  CHECK(safe("#back\\slash") == "#back\\\\slash");
  CHECK(safe("#\xe3\x81\x82") == "#\xe3\x81\x82");  // あ
}

TEST_CASE("term: clipping by terminal columns", "[term]") {
  std::string out;
  CHECK(append_clipped(out, "#\xe3\x81\x82\xe3\x81\x84", 4, true) == 4);  // # + one wide character + pad
  CHECK(out == "#\xe3\x81\x82 ");
  out.clear();
  CHECK(append_clipped(out, "abcdef", 3, false) == 3);
  CHECK(out == "abc");
  out.clear();
  CHECK(append_clipped(out, "ab", 4, true) == 4);
  CHECK(out == "ab  ");
}
