#include <catch2/catch.hpp>

#include "util/stats.h"

using namespace trendtop;

TEST_CASE("stats: balance and key=value line", "[stats]") {
  Stats s;
  s.lines = 11;
  s.counted = 5;
  s.malformed = 1;
  s.skipped = 1;
  s.late = 1;
  s.oversized = 1;
  CHECK_FALSE(s.balanced());
  s.blank = 1;
  CHECK_FALSE(s.balanced());
  s.filtered = 1;
  CHECK(s.balanced());
  s.lines = 13;
  s.skewed = 1;
  CHECK_FALSE(s.balanced());
  s.held = 1;  // a jump waiting for its verdict is accounted for too
  CHECK(s.balanced());
  s.lines = 14;
  CHECK_FALSE(s.balanced());
  s.discarded = 1;  // and a line read after the run was over
  CHECK(s.balanced());
  s.bytes = 2'000'000;
  std::string line = s.format(2.0);
  CHECK(
      line.rfind("lines=14 counted=5 malformed=1 skipped=1 filtered=1 late=1 oversized=1 blank=1 skewed=1 "
                 "held=1 discarded=1 windows=0 partials=0 keys=0 bytes=2000000 elapsed=2.000s lines_per_s=7 "
                 "mb_per_s=1.0",
                 0) == 0);
  // A resumed run: every run's counters, this run's rates.
  Stats before = s;
  before.lines = 10;
  before.counted = 1;
  before.bytes = 1'000'000;
  Stats run = s.since(before);
  CHECK(run.lines == 4);
  CHECK(run.counted == 4);
  CHECK(run.bytes == 1'000'000);
  CHECK(s.format(2.0, run).find("lines=14 ") == 0);
  CHECK(s.format(2.0, run).find("bytes=2000000 elapsed=2.000s lines_per_s=2 mb_per_s=0.5") !=
        std::string::npos);
}

TEST_CASE("stats: the summary of the lines not counted, each reason with its option", "[stats]") {
  Stats s;
  s.lines = 3480;
  s.counted = 2800;
  s.skipped = 26;  // notices, blank lines and --track's choices are no loss
  s.blank = 0;
  CHECK(s.dropped() == 0);
  CHECK(s.dropped_summary().empty());
  s.late = 654;
  CHECK(s.dropped_summary() == "654 of 3480 lines not counted: 654 late (see --lateness)");
  s.malformed = 2;
  s.oversized = 1;
  s.skewed = 3;
  CHECK(s.dropped() == 660);
  CHECK(
      s.dropped_summary() ==
      "660 of 3480 lines not counted: 2 malformed, 654 late (see --lateness), 1 oversized (see --max-line), "
      "3 skewed (see --max-skew)");
}
