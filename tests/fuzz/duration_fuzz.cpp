// libFuzzer target for the --at / duration parser (app/sim duration.h).
//
// Properties: a text is a duration or refused with a sentence that starts
// by quoting it; an accepted duration is never negative, and its format_duration() form
// reads back as the same duration (and formats the same again).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "sim/duration.h"

using wmq::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr const char* kTarget = "duration_fuzz";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = wmq::sim::parse_duration(text);
  if (!d.is_ok()) {
    require(d.status().code() == wmq::Code::kInvalid, kTarget, "an error is kInvalid");
    // A sentence that quotes what was written ("0.5us" is finer than a
    // microsecond; ...), whatever the fault.
    require(!d.status().message().empty() && d.status().message().front() == '"', kTarget,
            "an error quotes the text", d.status().message());
    return 0;
  }
  require(d.value() >= 0, kTarget, "a duration is not negative");
  const std::string shown = wmq::sim::format_duration(d.value());
  auto back = wmq::sim::parse_duration(shown);
  require(back.is_ok() && back.value() == d.value(), kTarget, "format_duration reads back", shown);
  require(wmq::sim::format_duration(back.value()) == shown, kTarget, "the form is stable", shown);
  return 0;
}
