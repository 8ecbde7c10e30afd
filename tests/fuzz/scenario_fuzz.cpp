// libFuzzer target for the scenario loader (app/sim scenario.h).
//
// Properties: bytes as a scenario file give a scenario, or an error of the
// form "fuzz.toml:LINE: sentence"; an accepted scenario then runs one
// virtual minute on the memory store without an assert (asserts are armed
// in this build) or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

using wmq::fuzz::names_a_line;
using wmq::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr const char* kTarget = "scenario_fuzz";
  const std::string text(reinterpret_cast<const char*>(data), size);
  wmq::sim::LoadOptions lo;
  lo.default_menu = WMQ_ASSETS_DIR "/menu.toml";
  // The file sits in the scenarios folder, so a relative menu path names a
  // shipped file or none.
  auto scenario = wmq::sim::parse_scenario(text, WMQ_SCENARIOS_DIR "/fuzz.toml", lo);
  if (!scenario.is_ok()) {
    const std::string m = scenario.status().message();
    require(scenario.status().code() == wmq::Code::kInvalid ||
                scenario.status().code() == wmq::Code::kIoError,
            kTarget, "an error is kInvalid or kIoError (a menu file)", m);
    if (scenario.status().code() == wmq::Code::kInvalid) {
      require(names_a_line(m, WMQ_SCENARIOS_DIR "/fuzz.toml"), kTarget,
              "an error is file:line: sentence", m);
    }
    return 0;
  }
  wmq::sim::SimOptions o;
  o.seed = scenario->seed;
  o.storage = wmq::sim::Storage::kMemory;
  o.history = false;
  auto sim = wmq::sim::Simulation::create(scenario.value(), o);
  require(sim.is_ok(), kTarget, "an accepted scenario starts",
          sim.is_ok() ? "" : sim.status().message());
  (void)sim.value()->run_until(60 * wmq::kSeconds);
  return 0;
}
