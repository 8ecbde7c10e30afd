// Targets: whom a keyboard shortcut acts on. A teacher at a projector
// presses C to crash a cook without aiming the mouse: the selected cook if
// there is one (or the cook holding the selected order), else the first cook
// the action makes sense for — crash and freeze prefer a cook holding orders,
// so something visibly happens.
//
// Thread-safety: pure functions of the workbench's state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "broker/snapshot.h"
#include "gui/model/workbench.h"
#include "sim/injection.h"

namespace wmq::gui {

// The cook for kCrashCook, kFreezeCook or kReviveCook; nullopt when no cook fits.
std::optional<std::string> cook_for(const Workbench& bench, sim::InjectionKind kind);
// The cashier for kCrashCashier or kReviveCashier; nullopt when none fits.
std::optional<std::string> cashier_for(const Workbench& bench, sim::InjectionKind kind);
// The queue for a settings shortcut: the selected queue, else the station of the selected cook
// or order, else the first station.
std::string queue_for(const Workbench& bench);

// The queue named `name` in `run`'s broker now (its settings, depth and counters), or nullopt when
// the broker is down or has no such queue. Each call takes one broker snapshot: the broker has no
// call that answers for one queue.
std::optional<QueueSnapshot> find_queue(const Run& run, std::string_view name);

}  // namespace wmq::gui
