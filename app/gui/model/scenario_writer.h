// Save as scenario: the text of a scenario file that replays a GUI session.
//
// The file is the scenario as it was loaded (comments, narration and all)
// with its seed set to the session's and one [[event]] per injection the
// teacher made, appended in the order they were made. TOML lets [[event]]
// tables continue anywhere in the file, and the loader keeps file order among
// events of one instant, which is the order the live session applied them in
// (scenario events first, then clicks), so `warungmq run` replays it exactly.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "broker/status.h"
#include "sim/injection.h"

namespace wmq::gui {

// `source` with `seed = <seed>` in its [scenario] table (replacing a seed line there, or added
// right under the header) and the injections appended as [[event]] tables after a comment
// naming `origin` (the file it came from). kInvalid when `source` has no "[scenario]" header
// line to put the seed under.
Result<std::string> scenario_with_injections(std::string_view source, std::string_view origin,
                                             uint64_t seed,
                                             const std::vector<sim::Injection>& injections);

}  // namespace wmq::gui
