// SceneView: the warung window — the animated scene of run A (and, in the
// split view, run B under it), panned with a drag and zoomed with the wheel;
// a click inspects a ticket, cook, cashier or queue, a right click opens its
// failure menu (crash, freeze, revive; durable, max length, TTL, delivery
// limit; crash or restart the broker).
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <vector>

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/scene_painter.h"
#include "gui/view.h"

namespace wmq::gui {

// What the scene drew in its last frame, for the "ui" section of the --state-out report, and the
// teacher's spotlight switch. Owned by WarungUi, shared with the scene view.
struct SceneReport {
  bool spotlight = true;           // the spotlight on what the story is about (View menu, H)
  TextRuns text;                   // every text run the scene drew (both halves of the split view)
  float floor_px = 0;              // the smallest size the scene may use at this window size
  float ui_px = 0;                 // the widgets' body font
  std::vector<FocusTarget> focus;  // what the story is about now, spotlight on or off
  std::vector<Rect> spotlit;       // where the spotlight fell (screen pixels), run A's scene
};

// The smallest text the scene may draw at a `width` x `height` window (pixels): a projector's
// 20 px at 1024x768, growing with the window beyond it; 12 px on a desk.
float scene_text_floor(bool projector, float width, float height, float scale = 1.0f);

class SceneView : public View {
 public:
  SceneView(const Workbench& bench, Actions& actions, SceneReport& report);

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.0f, 0.11f, 0.68f, 0.65f}; }
  ImGuiWindowFlags window_flags() const override {
    // No background: the scene's floor covers the window, and on a software renderer every
    // pixel painted twice costs.
    return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
           ImGuiWindowFlags_NoBackground;
  }

 private:
  // UI-only state: each side's zoom, pan and gliding tickets; what a right click aimed at.
  struct Ui {
    SceneUi a, b;
    Selection popup_target;
    bool b_side = false;  // the popup target was clicked on B's scene
  };

  void draw_popups(ViewContext& ctx);
  void handle_input(ViewContext& ctx, const Run& run, const std::vector<Hit>& hits, ImVec2 min,
                    ImVec2 max, SceneUi& ui);

  const Workbench& bench_;
  Actions& actions_;
  SceneReport& report_;
  Ui ui_;
  std::vector<Hit> hits_a_, hits_b_;
};

}  // namespace wmq::gui
