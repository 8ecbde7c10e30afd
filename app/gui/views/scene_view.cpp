#include "gui/views/scene_view.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "gui/labels.h"
#include "gui/views/failure_menus.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {

namespace {

constexpr float kMinZoom = 0.6f;
constexpr float kMaxZoom = 4.0f;

const Hit* top_hit(const std::vector<Hit>& hits, ImVec2 at) {
  for (auto it = hits.rbegin(); it != hits.rend(); ++it) {
    if (at.x >= it->min.x && at.x < it->max.x && at.y >= it->min.y && at.y < it->max.y) return &*it;
  }
  return nullptr;
}

bool inside(ImVec2 p, ImVec2 min, ImVec2 max) {
  return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y;
}

// The height of the row above each half of the split view that holds its chip.
float chip_row() {
  return ImGui::GetTextLineHeight() + 8;
}

// A label chip above a scene: which side of the split view this is. It has a row of its own, so
// it never covers the warung (the cashiers' heading sits in the scene's top left corner).
Rect side_chip(ImVec2 at, const char* text, const ScenePalette& pal, bool accent) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 ext = ImGui::CalcTextSize(text);
  const Rgb& bg = accent ? pal.badge : pal.board_frame;
  dl->AddRectFilled(at, ImVec2(at.x + ext.x + 14, at.y + ext.y + 6),
                    IM_COL32(bg.r, bg.g, bg.b, 235), 5);
  dl->AddText(ImVec2(at.x + 7, at.y + 3), IM_COL32(255, 255, 255, 255), text);
  return Rect{at.x, at.y, ext.x + 14, ext.y + 6};
}

void tooltip_for(const Hit& hit, const Run& run, const I18n& t) {
  const sim::Simulation& sim = run.sim();
  ImGui::BeginTooltip();
  if (const sim::ExternalClient* x = selected_external(run, hit.target)) {
    ImGui::Text("%s \xC2\xB7 %s", x->name.c_str(), t.tr("live.program"));
    ImGui::TextDisabled(
        "%s", t.tr(x->role == sim::ExternalRole::kCook ? "live.role_cook" : "live.role_cashier"));
    ImGui::EndTooltip();
    return;
  }
  switch (hit.target.kind) {
    case Selection::Kind::kOrder:
      if (const ProgramOrder* po = run.program_order(hit.target.index)) {
        ImGui::TextUnformatted(
            fill_placeholders(t.tr("live.order_heading"), {{"name", po->name}}).c_str());
        ImGui::TextDisabled("%s", po->sender.c_str());
      } else if (const sim::Order* o = sim.order(hit.target.index)) {
        std::string head = order_heading(t, sim, *o);
        ImGui::TextUnformatted(head.c_str());
        ImGui::TextDisabled("%s", order_status_label(t, *o));
      }
      break;
    case Selection::Kind::kCook:
      if (hit.target.index < sim.cooks().size()) {
        const sim::Cook& k = sim.cooks()[hit.target.index];
        ImGui::Text("%s \xC2\xB7 %s", k.name.c_str(), cook_state_label(t, k.state));
        ImGui::TextDisabled("%s", t.tr("scene.hint_cook"));
      }
      break;
    case Selection::Kind::kCashier:
      if (hit.target.index < sim.cashiers().size()) {
        const sim::Cashier& c = sim.cashiers()[hit.target.index];
        ImGui::Text("%s \xC2\xB7 %s", c.name.c_str(), cashier_state_label(t, c.state));
        ImGui::TextDisabled("%s", t.tr("scene.hint_cashier"));
      }
      break;
    case Selection::Kind::kQueue:
      ImGui::Text("%s: %s", t.tr("broker.queue"), hit.target.queue.c_str());
      ImGui::TextDisabled("%s", t.tr("scene.hint_queue"));
      break;
    case Selection::Kind::kBroker:
      ImGui::TextUnformatted(t.tr("broker.title"));
      ImGui::TextDisabled("%s", t.tr("scene.hint_broker"));
      break;
    case Selection::Kind::kNone:
      break;
  }
  ImGui::EndTooltip();
}

}  // namespace

float scene_text_floor(bool projector, float width, float height, float scale) {
  if (!projector) return 12.0f * scale;
  width /= scale;
  height /= scale;
  return std::floor(20.0f * std::max(1.0f, std::min(width / 1024.0f, height / 768.0f))) * scale;
}

SceneView::SceneView(const Workbench& bench, Actions& actions, SceneReport& report)
    : View("scene", "scene.title"), bench_(bench), actions_(actions), report_(report) {}

void SceneView::handle_input(ViewContext& ctx, const Run& run, const std::vector<Hit>& hits,
                             ImVec2 min, ImVec2 max, SceneUi& ui) {
  ImGuiIO& io = ImGui::GetIO();
  if (!inside(io.MousePos, min, max)) return;
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();

  // Zoom about the pointer: the world point under it stays under it.
  if (hovered && io.MouseWheel != 0.0f) {
    float s0 = 1;
    const ImVec2 o0 = scene_world_origin(min, max, ui, &s0);
    const ImVec2 world((io.MousePos.x - o0.x) / s0, (io.MousePos.y - o0.y) / s0);
    ui.zoom = std::clamp(ui.zoom * std::pow(1.15f, io.MouseWheel), kMinZoom, kMaxZoom);
    SceneUi centred = ui;
    centred.pan = ImVec2(0, 0);
    float s1 = 1;
    const ImVec2 base = scene_world_origin(min, max, centred, &s1);
    ui.pan = ImVec2((base.x - (io.MousePos.x - world.x * s1)) / s1,
                    (base.y - (io.MousePos.y - world.y * s1)) / s1);
  }
  // Drag (left or middle button) to pan.
  if (active && (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f) ||
                 ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 4.0f))) {
    float s = 1;
    (void)scene_world_origin(min, max, ui, &s);
    ui.pan.x -= io.MouseDelta.x / s;
    ui.pan.y -= io.MouseDelta.y / s;
  }
  if (!hovered) return;
  const Hit* hit = top_hit(hits, io.MousePos);
  if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && hit == nullptr) {
    ui.zoom = 1.0f;
    ui.pan = ImVec2(0, 0);
  } else if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
             io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f) {
    actions_.select(hit != nullptr ? hit->target : Selection::none());
  }
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) && hit != nullptr &&
      hit->target.kind != Selection::Kind::kOrder) {
    ui_.popup_target = hit->target;
    ui_.b_side = &ui == &ui_.b;
    ImGui::OpenPopup("##scene-menu");
  }
  if (hit != nullptr && !ImGui::IsPopupOpen("##scene-menu")) tooltip_for(*hit, run, ctx.i18n);
}

void SceneView::draw_popups(ViewContext& ctx) {
  if (!ImGui::BeginPopup("##scene-menu")) return;
  const Run& run = ui_.b_side && bench_.b() != nullptr ? *bench_.b() : bench_.a();
  draw_failure_menu(ctx, run, ui_.popup_target, actions_, "popup.");
  ImGui::EndPopup();
}

void SceneView::drawContent(ViewContext& ctx) {
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.x < 50 || avail.y < 50) return;
  const ImVec2 max(min.x + avail.x, min.y + avail.y);
  ImGui::InvisibleButton("##scene", avail,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                             ImGuiButtonFlags_MouseButtonMiddle);

  const double now = ImGui::GetTime();
  const ImGuiIO& io = ImGui::GetIO();
  const float dt = io.DeltaTime;
  const bool split = bench_.b() != nullptr;
  // The layout is made for the type: the floor in pixels, over the pixels a world unit takes at
  // this size, is how tall the smallest words are in the world (scene_layout.h).
  report_.floor_px =
      scene_text_floor(ctx.projector, io.DisplaySize.x, io.DisplaySize.y, ctx.ui_scale);
  report_.ui_px = ctx.fonts.body->FontSize;
  const float half = split ? (avail.y - chip_row()) / 2 : avail.y;
  // The strip holds a stage's name over its count, both at least the floor's size.
  SceneSizes strip_sizes;
  const float strip_factor = strip_height(SceneSizes{1, 1, 0, 0, 1, 1}, ctx.projector, split);
  strip_sizes.strip = std::max(strip_sizes.strip, (2 * report_.floor_px + 18) / strip_factor);
  const float strip_px = strip_height(strip_sizes, ctx.projector, split);
  // In projector mode the world grows as tall as the rectangle's shape allows: the larger type
  // takes the rows the letterbox would leave empty.
  const float world_h =
      ctx.projector ? legible_height(avail.x, half - strip_px - 4) : SceneSizes{}.height;
  const SceneFit fit =
      fit_scene(WorldRect{0, 0, avail.x, half}, strip_px, ui_.a.zoom, WorldPoint{}, world_h);
  const float per_unit = fit.scale * (ctx.projector ? 1.15f : 1.0f);
  report_.text.clear();
  report_.spotlit.clear();
  report_.focus = current_focus(bench_.a().sim());
  SceneEnv env{ctx.i18n,
               ctx.fonts,
               ctx.projector,
               bench_.epoch(),
               now,
               dt,
               "scene.",
               &ctx.anchors,
               false,
               legible_sizes(ctx.projector ? report_.floor_px / per_unit : 0.0f),
               report_.floor_px,
               &report_.text,
               report_.spotlight ? report_.focus : std::vector<FocusTarget>{},
               &report_.spotlit};
  env.sizes.strip = strip_sizes.strip;
  env.sizes.height = world_h;
  const ScenePalette& pal = scene_palette(ctx.projector);
  hits_a_.clear();
  hits_b_.clear();
  if (!split) {
    paint_scene(bench_.a(), bench_.selection(), min, max, ui_.a, env, hits_a_);
    handle_input(ctx, bench_.a(), hits_a_, min, max, ui_.a);
  } else {
    // The split view: A above, B below, one set of controls, the same zoom.
    // Each half: its chip's row, then its scene.
    const float mid = std::floor(min.y + avail.y / 2);
    const float row = chip_row();
    const ImVec2 a_min(min.x, min.y + row), a_max(max.x, mid - 3);
    const ImVec2 b_top(min.x, mid + 3), b_min(min.x, mid + 3 + row);
    env.compact = true;
    paint_scene(bench_.a(), bench_.selection(), a_min, a_max, ui_.a, env, hits_a_);
    SceneEnv env_b = env;
    env_b.anchor_prefix = "sceneB.";
    env_b.spotlit = nullptr;
    ui_.b.zoom = ui_.a.zoom;
    ui_.b.pan = ui_.a.pan;
    paint_scene(*bench_.b(), bench_.selection(), b_min, max, ui_.b, env_b, hits_b_);
    std::string a_label = ctx.i18n.tr("compare.side_a");
    std::string b_label = side_b_label(ctx.i18n, bench_);
    ctx.anchors.set("scene.side_chip",
                    side_chip(ImVec2(min.x + 6, min.y + 2), a_label.c_str(), pal, false));
    ctx.anchors.set("sceneB.side_chip",
                    side_chip(ImVec2(min.x + 6, b_top.y + 2), b_label.c_str(), pal, true));
    handle_input(ctx, bench_.a(), hits_a_, a_min, a_max, ui_.a);
    const float zoom = ui_.b.zoom;
    const ImVec2 pan = ui_.b.pan;
    handle_input(ctx, *bench_.b(), hits_b_, b_min, max, ui_.b);
    // Whichever half was zoomed or panned, both follow.
    if (ui_.b.zoom != zoom || ui_.b.pan.x != pan.x || ui_.b.pan.y != pan.y) {
      ui_.a.zoom = ui_.b.zoom;
      ui_.a.pan = ui_.b.pan;
    }
  }
  draw_popups(ctx);
}

}  // namespace wmq::gui
