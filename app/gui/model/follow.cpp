#include "gui/model/follow.h"

#include "sim/simulation.h"

namespace wmq::gui {

bool TailFollow::scroll_to_end(const Selection& subject, size_t rows, bool at_end) {
  const bool changed = !subject_ || !(*subject_ == subject);
  const bool grew = rows > rows_;
  subject_ = subject;
  rows_ = rows;
  return changed || (grew && at_end);
}

bool RowFollow::scroll_to(const Selection& selection, SessionId session) {
  if (session == 0) return false;
  if (selection_ && *selection_ == selection && session_ == session) return false;
  selection_ = selection;
  session_ = session;
  return true;
}

SessionId session_of(const sim::Simulation& sim, const Selection& selection) {
  switch (selection.kind) {
    case Selection::Kind::kCook:
      return selection.index < sim.cooks().size() ? sim.cooks()[selection.index].session : 0;
    case Selection::Kind::kCashier:
      return selection.index < sim.cashiers().size() ? sim.cashiers()[selection.index].session : 0;
    default:
      return 0;
  }
}

Selection selection_of_session(const sim::Simulation& sim, SessionId session) {
  if (session == 0) return Selection::none();
  for (const sim::Cook& k : sim.cooks()) {
    if (k.session == session) return Selection::cook(k.index);
  }
  for (const sim::Cashier& c : sim.cashiers()) {
    if (c.session == session) return Selection::cashier(c.index);
  }
  return Selection::none();
}

}  // namespace wmq::gui
