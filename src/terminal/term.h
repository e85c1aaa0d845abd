// The terminal: whether to colour, how to show a key safely, how wide a screen is. Shared by the live view,
// the progress line and the text sink.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "config.h"
#include "util/escape.h"

namespace trendtop {

// --color: never colours when mode is never; always does when always (a person asked); auto only onto a
// terminal (`is_tty`), and not when NO_COLOR is set to anything non-empty (no-color.org) or TERM is dumb or
// unset. `no_color` and `term` are the environment's values (nullptr: unset).
bool use_color(ColorMode mode, bool is_tty, const char* no_color, const char* term);
// Whether the terminal can move its cursor (TERM set and not dumb): the live view needs it.
bool capable_terminal(const char* term);

// Appends the longest prefix of `s` (already terminal-safe) that takes at most `columns` terminal columns,
// then spaces up to `columns` when `pad`; returns the columns used.
size_t append_clipped(std::string& out, std::string_view s, size_t columns, bool pad);

// The terminal size of fd (columns, rows); false when fd is no terminal.
bool terminal_size(int fd, int& columns, int& rows);

// SGR sequences, or "" when colour is off.
struct Palette {
  bool on = false;
  const char* reset() const { return on ? "\x1b[0m" : ""; }
  const char* bold() const { return on ? "\x1b[1m" : ""; }
  const char* dim() const { return on ? "\x1b[2m" : ""; }
  const char* inverse() const { return on ? "\x1b[7m" : ""; }
  const char* green() const { return on ? "\x1b[32m" : ""; }
  const char* red() const { return on ? "\x1b[31m" : ""; }
  const char* yellow() const { return on ? "\x1b[33m" : ""; }
  const char* cyan() const { return on ? "\x1b[36m" : ""; }
  const char* blue() const { return on ? "\x1b[34m" : ""; }
};

}  // namespace trendtop
