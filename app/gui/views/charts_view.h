// ChartsView: the run over time — orders waiting on the boards, publish /
// deliver / ack rates, order-to-served latency, lost and redelivered orders —
// drawn with ImDrawList (Debian has no ImPlot). In the split view, run B is
// drawn dashed over run A, so the difference shows as it happens.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class ChartsView : public View {
 public:
  explicit ChartsView(const Workbench& bench);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.38f, 0.76f, 0.30f, 0.24f}; }

 private:
  const Workbench& bench_;
};

}  // namespace wmq::gui
