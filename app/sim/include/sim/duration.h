// Durations as people write them in scenario files and on the command line.
//
// "90s", "2m30s", "1h", "500ms", "1.5s", "250us": one or more <number><unit>
// parts, units h, m, s, ms, us; a part may have a decimal fraction as long as
// the total is a whole number of microseconds. Virtual time is integer
// microseconds (wmq::Micros) everywhere in the simulator.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "broker/clock.h"
#include "broker/status.h"

namespace wmq::sim {

// Parses a duration. Error (kInvalid), a sentence saying what to write:
// `"5 minutes" is not a duration; write it like "90s", "2m30s", "1h" or "500ms"`.
Result<Micros> parse_duration(std::string_view text);

// The shortest form parse_duration reads back: "2m30s", "1h", "0s", "1.5s", "250ms".
std::string format_duration(Micros d);

// The time left on a countdown as a person reads it: whole seconds, rounded up, in the form of
// format_duration ("28s", "1m5s"), so it shows "0s" only once the time is up. A negative time
// left counts as none.
std::string format_countdown(Micros left);

// A clock reading for timelines: "02:30" under an hour, "1:02:30" from an hour on.
std::string format_clock(Micros t);

}  // namespace wmq::sim
