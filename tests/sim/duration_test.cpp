#include <doctest.h>

#include "sim/duration.h"

using namespace wmq;
using namespace wmq::sim;

TEST_CASE("durations read as people write them") {
  CHECK(*parse_duration("90s") == 90 * kSeconds);
  CHECK(*parse_duration("2m30s") == 150 * kSeconds);
  CHECK(*parse_duration("1h") == 3600 * kSeconds);
  CHECK(*parse_duration("500ms") == 500 * kMillis);
  CHECK(*parse_duration("1.5s") == 1500 * kMillis);
  CHECK(*parse_duration("0.25m") == 15 * kSeconds);
  CHECK(*parse_duration("250us") == 250);
  CHECK(*parse_duration("0s") == 0);
  CHECK(*parse_duration("1h2m3s4ms") == 3723 * kSeconds + 4 * kMillis);
}

TEST_CASE("a malformed duration says how to write one") {
  for (const char* bad : {"", "5", "5 minutes", "m", "1.s", "5d", "-1s", "1s2"}) {
    Result<Micros> r = parse_duration(bad);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().message() == "\"" + std::string(bad) +
                                      "\" is not a duration; write it like \"90s\", \"2m30s\", "
                                      "\"1h\" or \"500ms\"");
  }
  CHECK(parse_duration("0.0000001s").status().message() ==
        "\"0.0000001s\" is finer than a microsecond; virtual time counts whole microseconds");
}

TEST_CASE("format_duration writes the shortest form parse_duration reads back") {
  for (Micros d : {Micros{0}, 1 * kSeconds, 90 * kSeconds, 3600 * kSeconds, 1500 * kMillis,
                   250 * kMillis, Micros{7}, 3723 * kSeconds + 250 * kMillis}) {
    CHECK(*parse_duration(format_duration(d)) == d);
  }
  CHECK(format_duration(150 * kSeconds) == "2m30s");
  CHECK(format_duration(3600 * kSeconds) == "1h");
  CHECK(format_duration(1500 * kMillis) == "1.5s");
  CHECK(format_duration(250 * kMillis) == "250ms");
  CHECK(format_clock(150 * kSeconds) == "02:30");
  CHECK(format_clock(3723 * kSeconds) == "1:02:03");
}

TEST_CASE("format_countdown shows the time left in whole seconds, rounded up") {
  CHECK(format_countdown(27'598'591) == "28s");  // a crashed cook in lesson 10 at 1m45s
  CHECK(format_countdown(28 * kSeconds) == "28s");
  CHECK(format_countdown(1) == "1s");
  CHECK(format_countdown(64 * kSeconds + 200 * kMillis) == "1m5s");
  CHECK(format_countdown(0) == "0s");
  CHECK(format_countdown(-3 * kSeconds) == "0s");
}
