// InspectorView: what was clicked, in full. An order shows its whole life as
// a timeline (placed, validated, routed, persisted, confirmed, delivered to
// grill-2, grill-2 crashed, back on the board, delivered again x2, acked,
// served); a cook shows the tickets it holds; a cashier its receipts; a queue
// its counters and settings; the broker its file; a STOMP program on the
// scene what it was given, acked and sent.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/actions.h"
#include "gui/model/follow.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class InspectorView : public View {
 public:
  InspectorView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.68f, 0.63f, 0.32f, 0.37f}; }

 private:
  void draw_order(ViewContext& ctx, uint32_t number);
  void draw_cook(ViewContext& ctx, uint32_t index);
  void draw_cashier(ViewContext& ctx, uint32_t index);
  void draw_queue(ViewContext& ctx, const std::string& name);
  void draw_broker(ViewContext& ctx);
  void draw_external(ViewContext& ctx, const sim::ExternalClient& client);

  // UI-only state: the order's timeline follows its newest step (model/follow.h).
  struct Ui {
    TailFollow timeline;
    bool at_end = true;  // the timeline was scrolled to its end when drawn last
  };

  const Workbench& bench_;
  Actions& actions_;
  Ui ui_;
};

}  // namespace wmq::gui
