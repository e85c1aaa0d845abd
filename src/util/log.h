// Messages for people, on stderr, one line each: "trendtop: <what>" for news (a source ended, a producer
// was refused) and "trendtop: error: <what>" for failures. The exit status says the rest.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
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

// Messages about one server (a --connect endpoint, a --url stream), at most one per `every_ms`: the ones in
// between are counted and the next one says how many were held back, so a server that fails in a loop
// cannot flood stderr. Times are wall milliseconds; the first message always goes out.
struct NoteLimiter {
  static constexpr int64_t kEveryMs = 10'000;
  int64_t last_ms = INT64_MIN;  // when the last message went out (INT64_MIN: none yet)
  uint64_t unsaid = 0;          // messages held back since

  void note(int64_t now_ms, const std::string& what, int64_t every_ms = kEveryMs) {
    if (last_ms != INT64_MIN && now_ms - last_ms < every_ms) {
      ++unsaid;
      return;
    }
    warn(unsaid == 0
             ? what
             : fmt::format("{} ({} more message{} about it since)", what, unsaid, unsaid == 1 ? "" : "s"));
    last_ms = now_ms;
    unsaid = 0;
  }
};

}  // namespace trendtop
