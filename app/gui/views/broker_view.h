// BrokerView: the broker underneath the warung, from its snapshot —
// queues with ready / unacked / dead-lettered counts and durable or transient
// badges, sessions with their state and the time since their last heartbeat,
// consumers with their prefetch, exchanges and bindings, and the SQLite file
// (size, pending group-commit batch, last commit, failed writes). Under the
// up/down line: a full disk, and in a live run the STOMP door (address,
// programs connected, memory held against --max-memory, the memory alarm).
// A right click on a queue offers its settings; on the title line, crash or
// restart, fill or free the disk.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/actions.h"
#include "gui/model/follow.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class BrokerView : public View {
 public:
  BrokerView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.68f, 0.27f, 0.32f, 0.36f}; }

 private:
  void draw_door(ViewContext& ctx, const sim::DoorState& door);

  const Workbench& bench_;
  Actions& actions_;
  Selection popup_target_;  // UI-only: the row a right click opened the menu for
  RowFollow session_row_;   // UI-only: brings the selected cook's session row into view
  // UI-only: how many more frames that draw the session rows scroll to the selected one. The
  // panel scrolls to the table first (a table below the fold draws no rows), and a table drawn
  // for the first time has no height to scroll yet: so twice.
  int session_row_pending_ = 0;
};

}  // namespace wmq::gui
