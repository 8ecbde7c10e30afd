// Follow: when a view scrolls by itself so the reader sees what matters now.
//
// The inspector's timeline follows an order's newest step, like a log that
// follows: a newly selected order opens on its latest step, and new steps
// keep coming into view while the reader is at the end; a reader who
// scrolled up to older steps is left there. The broker panel brings the
// session of the selected cook (or cashier) into view once, when the
// selection changes or the person gets a new session (a cook that came back).
// Both decide here, without ImGui; the views measure and scroll.
//
// Thread-safety: values; the GUI thread owns them.
#pragma once

#include <cstddef>
#include <optional>

#include "broker/session.h"
#include "gui/model/selection.h"

namespace wmq::sim {
class Simulation;
}

namespace wmq::gui {

// A list that follows its newest row.
class TailFollow {
 public:
  // Called once a frame before the list is drawn. `subject`: what the list shows (another one
  // scrolls to the end); `rows`: how many rows it has now; `at_end`: whether the reader was at
  // its end when it was drawn last (true before the first drawing). True when the view should
  // scroll to the end this frame.
  bool scroll_to_end(const Selection& subject, size_t rows, bool at_end);

 private:
  std::optional<Selection> subject_;  // what was shown last frame; none before the first
  size_t rows_ = 0;                   // rows it had then
};

// A row brought into view once per change of what it is about.
class RowFollow {
 public:
  // Called when the row of `session` (the selection's, see session_of) is drawn. True the first
  // time this selection is drawn with this session: the view scrolls to the row then.
  bool scroll_to(const Selection& selection, SessionId session);

 private:
  std::optional<Selection> selection_;
  SessionId session_ = 0;
};

// The broker session of the selected cook or cashier; 0 when the selection is neither, or the
// person has none now (crashed, not connected yet, or the broker is down).
SessionId session_of(const sim::Simulation& sim, const Selection& selection);

// The inverse of session_of: the cook or cashier who holds `session` now (a row of the broker
// panel's sessions stands for them), or Selection::none() when nobody simulated does (0, a
// session that died, a STOMP program's).
Selection selection_of_session(const sim::Simulation& sim, SessionId session);

}  // namespace wmq::gui
