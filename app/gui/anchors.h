// Anchors: where named widgets were drawn in the last frame, in window pixels.
//
// The GUI tests click real widgets with xdotool and probe screenshot pixels;
// they learn where to click and where to look from these rectangles (written
// into --state-out), so a layout change does not silently break them.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wmq::gui {

// An axis-aligned rectangle: top-left corner and size, in pixels.
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Rect&) const = default;
};

class Anchors {
 public:
  // Forgets last frame's rectangles; call at the start of each frame so a closed window's
  // anchor disappears.
  void clear() { rects_.clear(); }
  // Records `rect` under `name`, replacing an earlier one of the same frame.
  void set(std::string_view name, Rect rect) { rects_.insert_or_assign(std::string(name), rect); }
  // Records the rectangle of the last ImGui item under `name`. Needs a current ImGui frame.
  void set_last_item(std::string_view name);
  // Records the current ImGui window's rectangle under `name`. Needs a current ImGui window.
  void set_current_window(std::string_view name);

  // The rectangle recorded under `name`, or nullptr.
  const Rect* find(std::string_view name) const;
  // {"name": {"x": .., "y": .., "w": .., "h": ..}, ...}, rounded to whole pixels.
  nlohmann::json to_json() const;

 private:
  std::map<std::string, Rect, std::less<>> rects_;
};

}  // namespace wmq::gui
