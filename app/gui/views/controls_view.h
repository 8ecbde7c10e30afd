// ControlsView: the toolbar across the top — back, play/pause, step, speed,
// the clock, the buttons that make things go wrong (bad order, poison order,
// lunch rush, crash or restart the broker) and, under them, the timeline:
// drag it to go back or forward in time; forks, the teacher's clicks and the
// scenario's own events are marked on it. While the run is live (STOMP clients
// can connect) a banner says so in the timeline's place, and the controls that
// would replay the run or move its clock are greyed.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class ControlsView : public View {
 public:
  ControlsView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.0f, 0.0f, 1.0f, 0.11f}; }
  ImGuiWindowFlags window_flags() const override {
    return ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
           ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoScrollbar |
           ImGuiWindowFlags_NoScrollWithMouse;
  }

 private:
  void draw_transport(ViewContext& ctx);
  void draw_failures(ViewContext& ctx);
  void draw_timeline(ViewContext& ctx);
  // Instead of the timeline while STOMP clients can connect: where, how many, and that the run
  // is not deterministic.
  void draw_live(ViewContext& ctx);

  // UI-only: the timeline being dragged and the last time it asked to seek to.
  struct Ui {
    bool dragging = false;
    Micros last_seek = -1;
  };

  const Workbench& bench_;
  Actions& actions_;
  Ui ui_;
};

}  // namespace wmq::gui
