#include "gui/view.h"

#include <cmath>
#include <utility>

namespace wmq::gui {

View::View(std::string id, std::string title_key)
    : id_(std::move(id)), title_key_(std::move(title_key)) {}

void View::prepare_window(const ImGuiViewport& viewport) {
  const Tile t = current_tile();
  const ImGuiCond cond = relayout_ ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  // Whole pixels, so neighbouring tiles neither overlap nor leave a seam.
  const float x0 = std::floor(viewport.WorkPos.x + t.x * viewport.WorkSize.x);
  const float y0 = std::floor(viewport.WorkPos.y + t.y * viewport.WorkSize.y);
  const float x1 = std::floor(viewport.WorkPos.x + (t.x + t.w) * viewport.WorkSize.x);
  const float y1 = std::floor(viewport.WorkPos.y + (t.y + t.h) * viewport.WorkSize.y);
  ImGui::SetNextWindowPos(ImVec2(x0, y0), cond);
  ImGui::SetNextWindowSize(ImVec2(x1 - x0, y1 - y0), cond);
}

void View::draw(ViewContext& ctx) {
  if (!open_) return;
  relayout_ = ctx.relayout;
  prepare_window(*ImGui::GetMainViewport());
  if (std::exchange(focus_requested_, false)) ImGui::SetNextWindowFocus();
  // "###id" keeps the window's identity (position, size, ini entry) when the title's language
  // changes.
  std::string title = std::string(ctx.i18n.tr(title_key_)) + "###" + id_;
  const ImGuiWindowFlags flags = window_flags() | (bare_ ? ImGuiWindowFlags_NoBackground : 0);
  bool visible = ImGui::Begin(title.c_str(), &open_, flags);
  ctx.anchors.set_current_window("view." + id_);
  if (visible) drawContent(ctx);
  // Begin/End always pair, collapsed or not.
  ImGui::End();
}

}  // namespace wmq::gui
