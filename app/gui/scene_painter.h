// ScenePainter: one Run drawn as the warung — customers in line, cashiers
// with their receipts, the order board with one ticket per order in queue
// order, the trouble shelf (dead letters, expired, lost), the kitchen with
// each cook holding its prefetch window, the pickup counter — and under it
// the broker's pipeline strip lighting up as events pass.
//
// The scene is laid out in world units (scene_layout.h says where each place
// is) and drawn into any rectangle at any zoom, so it scales with the window
// and can be panned and zoomed. Tickets glide between the places events move
// them to; positions live in SceneUi (UI-only state), never in the model.
//
// The painter only reads the Run; what was clicked comes back as Hits for
// the view to turn into commands.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "gui/anchors.h"
#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/model/focus.h"
#include "gui/model/glides.h"
#include "gui/model/run.h"
#include "gui/model/selection.h"
#include "gui/model/tickets.h"
#include "gui/scene_layout.h"
#include "gui/text_runs.h"
#include "gui/theme.h"

namespace wmq::gui {

// UI-only state of one drawn scene (A or B).
struct SceneUi {
  float zoom = 1.0f;                    // 1 = the whole warung fits the rectangle
  ImVec2 pan{0.0f, 0.0f};               // world units the view is moved by
  TicketGlides tickets;                 // where each ticket is on screen, by its identity
  std::vector<uint32_t> receipts_seen;  // per cashier: receipts counted last frame
  std::vector<double> receipt_until;    // per cashier: show the receipt until (real s)
  std::array<uint64_t, kStageCount> stage_seen{};
  std::array<uint64_t, kStageCount> refused_seen{};
  std::array<double, kStageCount> lit_until{};
  std::array<double, kStageCount> refused_until{};
  uint64_t epoch = ~uint64_t{0};  // the workbench epoch the cache belongs to
  Micros last_now = 0;
  uint64_t frame = 0;
  float strip = SceneSizes{}.strip;  // the strip's height as drawn (smaller in the split view)
  float world_h = kWorldHeight;      // the world's height as drawn (SceneSizes::height)
};

// Something the pointer can click on the scene.
struct Hit {
  Selection target;
  ImVec2 min, max;  // screen rectangle
};

// What a scene is drawn with.
struct SceneEnv {
  const I18n& i18n;
  const Fonts& fonts;
  bool projector = false;
  uint64_t epoch = 0;         // the workbench epoch: a change snaps tickets into place
  double real_time = 0;       // ImGui::GetTime()
  float dt = 0;               // seconds since the last frame
  std::string anchor_prefix;  // "scene." (A) or "sceneB." (B); anchors are recorded under it
  Anchors* anchors = nullptr;
  bool compact = false;  // half of the split view: a slimmer strip
  SceneSizes sizes;      // what the layout is built from (the desktop's by default)
  // No word or number of the scene is drawn smaller than this (pixels); 0 = no floor.
  float min_text_px = 0;
  TextRuns* text_runs = nullptr;  // when set, every text run drawn is added to it
  // What the story is about now: the scene dims everything else and rings these. Empty: no
  // spotlight.
  std::vector<FocusTarget> focus;
  // Filled with the screen rectangles the spotlight was drawn on (empty when none was found on
  // the scene: a ticket already served, a cook removed).
  std::vector<Rect>* spotlit = nullptr;
};

// Draws `run` into [min, max) of the current window's draw list: the warung above, the
// pipeline strip below. Adds what can be clicked to `hits` (later entries on top).
void paint_scene(const Run& run, const Selection& selection, ImVec2 min, ImVec2 max, SceneUi& ui,
                 const SceneEnv& env, std::vector<Hit>& hits);

// Where world (0, 0) lands on screen and (in `scale`) the pixels per world unit, for a scene
// drawn into [min, max) with the strip `ui` last used.
ImVec2 scene_world_origin(ImVec2 min, ImVec2 max, const SceneUi& ui, float* scale);

}  // namespace wmq::gui
