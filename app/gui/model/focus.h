// Focus: what the current narration is about (a scenario event's `focus`,
// sim/scenario.h), turned into the things the scene can point at — a ticket,
// a cook, a cashier, a queue's row on the board, the broker, a shelf tray —
// and what the inspector opens on.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <string>
#include <vector>

#include "gui/model/selection.h"
#include "sim/simulation.h"

namespace wmq::gui {

struct FocusTarget {
  std::string name;     // as the scenario wrote it: "order:1", "shelf:lost"
  Selection selection;  // what the inspector can show; kNone for the expired and lost trays
  std::string shelf;    // "dead-letters", "expired" or "lost" for a shelf tray, else empty
  bool operator==(const FocusTarget&) const = default;
};

// The targets of `focus` in `sim` (names the scenario reader checked; a cook or cashier not
// there any more is left out).
std::vector<FocusTarget> focus_targets(const std::vector<std::string>& focus,
                                       const sim::Simulation& sim);

// The focus of the narration current in `sim`, or none.
std::vector<FocusTarget> current_focus(const sim::Simulation& sim);

}  // namespace wmq::gui
