// The failure menus: what a right click on a cook, a cashier, a queue or the
// broker offers, shared by the scene's popups and the broker panel, so every
// way in shows the same choices with the same keyboard shortcuts.
//
// Thread-safety: the GUI thread, inside an open ImGui popup or menu.
#pragma once

#include <string>

#include "gui/model/actions.h"
#include "gui/model/run.h"
#include "gui/model/selection.h"
#include "gui/view.h"

namespace wmq::gui {

// Draws the menu items for `target` (nothing for an order or for none). Each item's rectangle
// is recorded as an anchor `anchor_prefix` + its action ("popup.crash_cook"), for the GUI tests.
void draw_failure_menu(ViewContext& ctx, const Run& run, const Selection& target, Actions& actions,
                       const std::string& anchor_prefix);

}  // namespace wmq::gui
