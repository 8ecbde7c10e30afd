// CompareView: the A/B split — choose what run B changes (durable or
// transient queues, broker or direct mode, prefetch, cooks, customers, queue
// limits) and see both runs' figures side by side, the ones that differ
// highlighted. Both runs share the seed, the controls and the clicks.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <vector>

#include "gui/model/actions.h"
#include "gui/model/state_json.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class CompareView : public View {
 public:
  CompareView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.68f, 0.27f, 0.32f, 0.73f}; }

 private:
  void draw_editor(ViewContext& ctx);
  void draw_figures(ViewContext& ctx);

  // UI-only: the variant being edited, and the figures last computed (reports are not free, so
  // they are refreshed when the clock moves, not every frame).
  struct Ui {
    Variant draft;
    std::vector<FigureDiff> figures;
    Micros figures_at = -1;
    uint64_t figures_epoch = ~uint64_t{0};
  };

  const Workbench& bench_;
  Actions& actions_;
  Ui ui_;
};

}  // namespace wmq::gui
