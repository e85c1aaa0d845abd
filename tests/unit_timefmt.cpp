#include <catch2/catch.hpp>

#include <string>

#include "util/timefmt.h"

using namespace trendtop;

static std::string rfc3339(int64_t ms) {
  fmt::memory_buffer b;
  append_rfc3339(b, ms);
  return fmt::to_string(b);
}

TEST_CASE("timefmt: Twitter's created_at", "[timefmt]") {
  CHECK(parse_twitter_time("Fri Jan 01 07:29:00 +0000 2021") == 1609486140000);
  CHECK(parse_twitter_time("Fri Mar 30 00:47:14 +0000 2018") == 1522370834000);
  // An offset is honoured: 09:29 at +0200 is 07:29 UTC.
  CHECK(parse_twitter_time("Fri Jan 01 09:29:00 +0200 2021") == 1609486140000);
  CHECK(parse_twitter_time("Thu Dec 31 23:29:00 -0800 2020") == 1609486140000);
  CHECK(parse_twitter_time("Thu Jan 01 00:00:00 +0000 1970") == 0);
  CHECK(parse_twitter_time("Wed Feb 29 12:00:00 +0000 2012") == 1330516800000);
  CHECK_FALSE(parse_twitter_time("Fri Jan 01 07:29:00 +0000 21"));
  CHECK_FALSE(parse_twitter_time("Fri Foo 01 07:29:00 +0000 2021"));
  CHECK_FALSE(parse_twitter_time("2021-01-01T07:29:00Z"));
  CHECK_FALSE(parse_twitter_time("Fri Jan 01 25:29:00 +0000 2021"));
}

TEST_CASE("timefmt: epoch milliseconds", "[timefmt]") {
  CHECK(parse_epoch_ms("1609486140658") == 1609486140658);
  CHECK(parse_epoch_ms("-5") == -5);
  CHECK_FALSE(parse_epoch_ms(""));
  CHECK_FALSE(parse_epoch_ms("12a"));
  CHECK_FALSE(parse_epoch_ms("1234567890123456789012"));
}

TEST_CASE("timefmt: RFC 3339 with milliseconds only when needed", "[timefmt]") {
  CHECK(rfc3339(1609486140000) == "2021-01-01T07:29:00Z");
  CHECK(rfc3339(1609486140250) == "2021-01-01T07:29:00.250Z");
  CHECK(rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(rfc3339(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(rfc3339(951782400000) == "2000-02-29T00:00:00Z");
  // The extremes print without overflowing (found by fuzz_time; UBSan flagged INT64_MIN).
  CHECK(rfc3339(INT64_MIN).ends_with("T16:47:04.192Z"));
  CHECK(rfc3339(INT64_MAX).ends_with("T07:12:55.807Z"));
}

TEST_CASE("timefmt: floor division for negative times", "[timefmt]") {
  CHECK(floor_to(-1, 1000) == -1000);
  CHECK(floor_to(-1000, 1000) == -1000);
  CHECK(floor_to(999, 1000) == 0);
  CHECK(floor_div(-7, 2) == -4);
}
