#include "gui/anchors.h"

#include <imgui.h>

#include <cmath>

namespace wmq::gui {

void Anchors::set_last_item(std::string_view name) {
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  set(name, Rect{min.x, min.y, max.x - min.x, max.y - min.y});
}

void Anchors::set_current_window(std::string_view name) {
  ImVec2 pos = ImGui::GetWindowPos();
  ImVec2 size = ImGui::GetWindowSize();
  set(name, Rect{pos.x, pos.y, size.x, size.y});
}

const Rect* Anchors::find(std::string_view name) const {
  auto it = rects_.find(name);
  return it == rects_.end() ? nullptr : &it->second;
}

nlohmann::json Anchors::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, r] : rects_) {
    out[name] = {{"x", std::lround(r.x)},
                 {"y", std::lround(r.y)},
                 {"w", std::lround(r.w)},
                 {"h", std::lround(r.h)}};
  }
  return out;
}

}  // namespace wmq::gui
