#include "gui/model/focus.h"

#include <cstdlib>

namespace wmq::gui {

std::vector<FocusTarget> focus_targets(const std::vector<std::string>& focus,
                                       const sim::Simulation& sim) {
  std::vector<FocusTarget> out;
  for (const std::string& text : focus) {
    FocusTarget t{text, Selection::none(), {}};
    const size_t colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    const std::string name = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (kind == "broker") {
      t.selection = Selection::broker();
    } else if (kind == "order") {
      // "order:-": an event that waited picked no order.
      const auto n = static_cast<uint32_t>(std::strtoul(name.c_str(), nullptr, 10));
      if (n != 0) t.selection = Selection::order(n);
    } else if (kind == "cook") {
      for (const sim::Cook& k : sim.cooks()) {
        if (k.name == name) t.selection = Selection::cook(k.index);
      }
    } else if (kind == "cashier") {
      for (const sim::Cashier& c : sim.cashiers()) {
        if (c.name == name) t.selection = Selection::cashier(c.index);
      }
    } else if (kind == "queue") {
      t.selection = Selection::of_queue(name);
    } else if (kind == "shelf") {
      t.shelf = name;
      if (name == "dead-letters") t.selection = Selection::of_queue(name);
    }
    if (t.selection.kind != Selection::Kind::kNone || !t.shelf.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::vector<FocusTarget> current_focus(const sim::Simulation& sim) {
  const sim::TimelineEvent* said = sim.narration();
  if (said == nullptr) return {};
  return focus_targets(said->focus, sim);
}

}  // namespace wmq::gui
