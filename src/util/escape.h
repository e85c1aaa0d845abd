// Keys shown to people: a key is whatever a record held (--extract split keeps a newline, a tweet can carry
// an ESC sequence), so everything that prints a key for a terminal or a page escapes it the same way. Shared
// by the text sink, the live view, the chart and the messages.
#pragma once
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace trendtop {

// Appends `s` for a terminal: control characters as \n, \t, \r, and \xNN for the other C0 controls, DEL and
// the C1 controls (U+0080..U+009F); a backslash as \\; bytes that are not UTF-8 as \xNN. What comes out can
// never move the cursor or change colours, and reads back unambiguously.
void append_terminal_safe(std::string& out, std::string_view s);
void append_terminal_safe(fmt::memory_buffer& out, std::string_view s);
// Whether `s` holds nothing append_terminal_safe() would change (the common case: no copy needed).
bool terminal_safe(std::string_view s);

}  // namespace trendtop
