// NarrationView: the scenario speaking to the class — its title, the text
// for the current moment in the chosen language, a clear "paused here" when
// the scenario stops to let the teacher talk, and its question at the end.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class NarrationView : public View {
 public:
  NarrationView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.68f, 0.11f, 0.32f, 0.16f}; }

 private:
  const Workbench& bench_;
  Actions& actions_;
};

}  // namespace wmq::gui
