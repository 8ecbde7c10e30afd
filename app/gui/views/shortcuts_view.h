// ShortcutsView: Help > Keyboard shortcuts — every key, from the same table
// the key handler uses.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include "gui/view.h"

namespace wmq::gui {

class ShortcutsView : public View {
 public:
  ShortcutsView();

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.3f, 0.12f, 0.4f, 0.75f}; }
};

}  // namespace wmq::gui
