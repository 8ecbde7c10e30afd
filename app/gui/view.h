// View: one window of the GUI (scene, broker, inspector, log, about...).
//
// A view draws from what it is given and never holds logic: it reads through
// the ViewContext, and a button pushes a Command onto ctx.commands instead of
// acting. The base class owns the window: title (an i18n key, so the title
// follows the language while the window keeps its place), the open flag,
// Begin/End, the early return when collapsed, and the window's anchor for the
// GUI tests. A subclass writes drawContent() and, if it likes, where the window
// first appears. UI-only state (filters, zoom) goes in a small struct member.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <string>

#include <imgui.h>

#include "gui/anchors.h"
#include "gui/command_queue.h"
#include "gui/fonts.h"
#include "gui/i18n.h"

namespace wmq::gui {

// What a view may use while it draws. Phase 2 adds read-only simulator snapshots here.
struct ViewContext {
  const I18n& i18n;        // strings in the current language
  CommandQueue& commands;  // where clicks go; applied after the frame
  Anchors& anchors;        // named rectangles for the GUI tests
  const Fonts& fonts;      // body and heading fonts
};

class View {
 public:
  // `id` is stable and ASCII ("about"): it keys the window in imgui.ini and names the anchor
  // "view.<id>". `title_key` is the i18n key of the window title.
  View(std::string id, std::string title_key);
  virtual ~View() = default;
  View(const View&) = delete;
  View& operator=(const View&) = delete;

  // Draws the window if open: Begin, drawContent unless collapsed, End. Closing it with its
  // title-bar button clears the open flag.
  void draw(ViewContext& ctx);

  const std::string& id() const { return id_; }
  const std::string& title_key() const { return title_key_; }
  bool is_open() const { return open_; }
  void set_open(bool open) { open_ = open; }
  // Brings the window to the front the next time it is drawn.
  void request_focus() { focus_requested_ = true; }
  // For ImGui::MenuItem(label, nullptr, &view.open_flag()) in the View menu.
  bool& open_flag() { return open_; }

 protected:
  // The window's contents, between Begin and End; not called when collapsed or closed.
  virtual void drawContent(ViewContext& ctx) = 0;
  // Called before every Begin: the SetNextWindow* calls. The default places the window once
  // (ImGuiCond_FirstUseEver: imgui.ini wins afterwards).
  virtual void prepare_window(const ImGuiViewport& viewport);
  virtual ImGuiWindowFlags window_flags() const { return ImGuiWindowFlags_None; }

 private:
  std::string id_;
  std::string title_key_;
  bool open_ = true;
  bool focus_requested_ = false;  // cleared by the next draw
};

}  // namespace wmq::gui
