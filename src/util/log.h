// Messages for people, on stderr, one line each: "trendtop: <what>" for news (a source ended, a producer
// was refused) and "trendtop: error: <what>" for failures. The exit status says the rest.
#pragma once
#include <atomic>
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

namespace trendtop {

// While the live view holds the terminal stderr writes to, it takes the messages (terminal/view.cpp): written
// at once they would be glued to its last line, and gone with the next frame. Any thread may send one.
using MessageHook = void (*)(std::string_view line);
inline std::atomic<MessageHook> g_message_hook{nullptr};

inline void say(std::string_view line) {
  if (MessageHook hook = g_message_hook.load())
    hook(line);
  else
    fmt::print(stderr, "{}\n", line);
}
inline void warn(std::string_view what) {
  say(fmt::format("trendtop: {}", what));
}
inline void error(std::string_view what) {
  say(fmt::format("trendtop: error: {}", what));
}

}  // namespace trendtop
