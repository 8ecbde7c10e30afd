// LogView: every event of the run, newest at the bottom, filtered by kind
// (a group or one kind), by order and by who it concerns (a cook or a cashier,
// through their broker sessions). Only the rows on screen are drawn, so a
// long run with tens of thousands of events costs the same as a short one.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/actions.h"
#include "gui/model/event_log.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class LogView : public View {
 public:
  LogView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.0f, 0.76f, 0.38f, 0.24f}; }

 private:
  void draw_filters(ViewContext& ctx);

  // UI-only state: the filter, the rows it lets through, whether to follow new events.
  struct Ui {
    LogFilter filter;
    FilteredLog rows;
    bool follow = true;
    char order[12] = {};  // the order box; empty or 0 = any
    size_t seen = 0;
  };

  const Workbench& bench_;
  Actions& actions_;
  Ui ui_;
};

}  // namespace wmq::gui
