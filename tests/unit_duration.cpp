#include <catch2/catch.hpp>

#include "util/duration.h"

using namespace trendtop;

TEST_CASE("duration: units and sums", "[duration]") {
  CHECK(parse_duration("250ms") == 250);
  CHECK(parse_duration("10s") == 10'000);
  CHECK(parse_duration("10") == 10'000);
  CHECK(parse_duration("1m30s") == 90'000);
  CHECK(parse_duration("2h") == 7'200'000);
  CHECK(parse_duration("1d") == 86'400'000);
  CHECK(parse_duration("1h30m15s250ms") == 5'415'250);
  CHECK(parse_duration("1.5s") == 1'500);
  CHECK(parse_duration("0.25") == 250);
  CHECK(parse_duration("0") == 0);
}

TEST_CASE("duration: rejects what it cannot read exactly", "[duration]") {
  for (const char* bad : {"", "s", "10x", "1m30", "-5s", "1.5ms", "0.0001s", "1..5s", "5.s", " 10s", "10s ",
                          "99999999999999999999d", "1e3s"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad));
  }
}

TEST_CASE("duration: sizes", "[duration]") {
  CHECK(parse_size("123") == 123u);
  CHECK(parse_size("64K") == 65536u);
  CHECK(parse_size("16MiB") == 16u << 20);
  CHECK(parse_size("1G") == 1u << 30);
  CHECK_FALSE(parse_size("1T"));
  CHECK_FALSE(parse_size("M"));
  CHECK_FALSE(parse_size("-1"));
  CHECK_FALSE(parse_size("99999999999999999999"));
}

TEST_CASE("duration: formatting reads back", "[duration]") {
  CHECK(format_duration(90'000) == "1m30s");
  CHECK(format_duration(250) == "250ms");
  CHECK(format_duration(86'400'000 + 1) == "1d1ms");
  for (int64_t ms : {1, 999, 1000, 61'001, 7'200'000, 90'061'001})
    CHECK(parse_duration(format_duration(ms)) == ms);
}

TEST_CASE("duration: waits are written unrounded, 1.6s not 1s (issue 17)", "[duration]") {
  // The --connect backoff: 100 ms doubling to 30 s.
  CHECK(format_wait(100) == "100ms");
  CHECK(format_wait(800) == "800ms");
  CHECK(format_wait(1600) == "1.6s");
  CHECK(format_wait(3200) == "3.2s");
  CHECK(format_wait(25'600) == "25.6s");
  CHECK(format_wait(30'000) == "30s");
  CHECK(format_wait(1250) == "1250ms");  // finer than tenths: exact in ms
}
