#include <catch2/catch.hpp>

#include "duration.h"

using namespace trendtop;

TEST_CASE("duration: units and sums", "[duration]") {
  CHECK(parse_duration("250ms") == 250);
  CHECK(parse_duration("10s") == 10'000);
  CHECK(parse_duration("10") == 10'000);
  CHECK(parse_duration("1m30s") == 90'000);
  CHECK(parse_duration("2h") == 7'200'000);
  CHECK(parse_duration("1d") == 86'400'000);
  CHECK(parse_duration("1.5s") == 1'500);
  CHECK(parse_duration("0") == 0);
}
