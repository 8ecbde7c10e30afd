// Reading an event's `when` and checking the {cook} / {order} / {queue}
// names its narration may use (sim/condition.h). Internal to wmq_sim; throws
// detail::LoadError like the other readers (toml_read.h).
#pragma once

#include <string>
#include <vector>

#include "sim/condition.h"
#include "toml_read.h"

namespace wmq::sim::detail {

// The `when` table `v`. `cooks`, `stations` and `queues` (the stations and
// the others) are the names that exist at the event's time (for the error's
// suggestion).
Condition read_condition(const Reader& r, const TValue& v, const std::vector<std::string>& cooks,
                         const std::vector<std::string>& stations,
                         const std::vector<std::string>& queues);

// Fails at `at` when `text` (narration of `key`, "en" or "id") uses a name in
// braces the event cannot fill: an unknown one, or one nothing picks
// (`can_cook`: the event targets or waits for a cook; `can_order`: it picks
// an order, itself or through a cook; `can_queue`: it waits for a queue).
void check_names(const Reader& r, const TValue& at, const std::string& key, const std::string& text,
                 bool can_cook, bool can_order, bool can_queue);

}  // namespace wmq::sim::detail
