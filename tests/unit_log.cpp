// util/log.h: messages go through the hook the live view installs; NoteLimiter lets one message per interval
// through and says how many it held back.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "util/log.h"

using namespace trendtop;

namespace {
std::vector<std::string> g_said;
void capture(std::string_view line) {
  g_said.emplace_back(line);
}

struct Capture {
  Capture() {
    g_said.clear();
    g_message_hook.store(capture);
  }
  ~Capture() { g_message_hook.store(nullptr); }
};
}  // namespace

TEST_CASE("warn and error go through the message hook, prefixed", "[log]") {
  Capture c;
  warn("a source ended");
  error("cannot open x");
  REQUIRE(g_said == std::vector<std::string>{"trendtop: a source ended", "trendtop: error: cannot open x"});
}

TEST_CASE("NoteLimiter: one message per interval, the held-back ones counted in the next", "[log]") {
  Capture c;
  NoteLimiter n;
  n.note(1'000, "refused; retrying in 1s");  // the first always goes out
  n.note(1'500, "refused; retrying in 2s");
  n.note(10'999, "refused; retrying in 4s");  // 9 999 ms after the first: still held
  REQUIRE(g_said == std::vector<std::string>{"trendtop: refused; retrying in 1s"});
  n.note(11'000, "refused; retrying in 8s");  // 10 000 ms after: out, with the two held back
  REQUIRE(g_said.size() == 2);
  CHECK(g_said[1] == "trendtop: refused; retrying in 8s (2 more messages about it since)");
  n.note(12'000, "connected to host:1");
  n.note(20'999, "refused");
  CHECK(g_said.size() == 2);
  n.note(21'000, "refused again");
  REQUIRE(g_said.size() == 3);
  CHECK(g_said[2] == "trendtop: refused again (2 more messages about it since)");
  n.note(50'000, "connected to host:1");  // nothing held back: no count
  CHECK(g_said.back() == "trendtop: connected to host:1");
}

TEST_CASE("NoteLimiter: one held-back message is singular; limiters are independent", "[log]") {
  Capture c;
  NoteLimiter a, b;
  a.note(0, "a1");
  b.note(0, "b1");  // another server's limiter is not held by a's
  a.note(1, "a2");
  a.note(20'000, "a3");
  REQUIRE(g_said == std::vector<std::string>{"trendtop: a1", "trendtop: b1",
                                             "trendtop: a3 (1 more message about it since)"});
}
