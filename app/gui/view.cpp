#include "gui/view.h"

#include <utility>

namespace wmq::gui {

View::View(std::string id, std::string title_key)
    : id_(std::move(id)), title_key_(std::move(title_key)) {}

void View::prepare_window(const ImGuiViewport& viewport) {
  ImGui::SetNextWindowPos(ImVec2(viewport.WorkPos.x + 40.0f, viewport.WorkPos.y + 40.0f),
                          ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(480.0f, 320.0f), ImGuiCond_FirstUseEver);
}

void View::draw(ViewContext& ctx) {
  if (!open_) return;
  prepare_window(*ImGui::GetMainViewport());
  if (std::exchange(focus_requested_, false)) ImGui::SetNextWindowFocus();
  // "###id" keeps the window's identity (position, size, ini entry) when the title's language
  // changes.
  std::string title = std::string(ctx.i18n.tr(title_key_)) + "###" + id_;
  bool visible = ImGui::Begin(title.c_str(), &open_, window_flags());
  ctx.anchors.set_current_window("view." + id_);
  if (visible) drawContent(ctx);
  // Begin/End always pair, collapsed or not.
  ImGui::End();
}

}  // namespace wmq::gui
