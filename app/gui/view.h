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

#include <optional>
#include <string>

#include <imgui.h>

#include "gui/anchors.h"
#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/model/command_queue.h"

namespace wmq::gui {

// What a view may use while it draws. The simulation's state comes from the view's own const
// reference to the Workbench (gui/model/workbench.h); changes go through Actions.
struct ViewContext {
  const I18n& i18n;        // strings in the current language and vocabulary
  CommandQueue& commands;  // where clicks go; applied after the frame
  Anchors& anchors;        // named rectangles for the GUI tests
  const Fonts& fonts;      // body and heading fonts of the current mode
  bool projector = false;  // projector mode: large fonts, high contrast, thicker lines
  bool relayout = false;   // the window size changed (or a reset was asked): tile again
  float ui_scale = 1.0f;   // device pixels per UI pixel (a page's devicePixelRatio)
};

// Where a view sits in the tiled layout, as fractions of the work area (below the menu bar).
struct Tile {
  float x = 0, y = 0, w = 1, h = 1;
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
  // A bare window has no background of its own: the shell sets it when no other window overlaps
  // this one, so the paper behind it is the frame's clear colour and no pixel is painted twice.
  void set_bare(bool bare) { bare_ = bare; }
  bool bare() const { return bare_; }
  // Puts the view somewhere else than its own tile() (a layout mode: projector, A/B); nullopt
  // goes back to tile(). Takes effect at the next relayout.
  void set_tile(std::optional<Tile> tile) { tile_override_ = tile; }
  // Where the view sits in the current layout.
  Tile current_tile() const { return tile_override_.value_or(tile()); }

 protected:
  // The window's contents, between Begin and End; not called when collapsed or closed.
  virtual void drawContent(ViewContext& ctx) = 0;
  // Called before every Begin: the SetNextWindow* calls. The default places the window at its
  // tile() once (ImGuiCond_FirstUseEver: imgui.ini wins afterwards) and again whenever the
  // shell asks for a relayout (the main window was resized, or View > Reset layout).
  virtual void prepare_window(const ImGuiViewport& viewport);
  // The view's place in the tiled layout; the default is a window near the top left.
  virtual Tile tile() const { return Tile{0.03f, 0.05f, 0.38f, 0.45f}; }
  // Whether the current frame asked for a relayout (valid inside prepare_window).
  bool relayout() const { return relayout_; }
  virtual ImGuiWindowFlags window_flags() const { return ImGuiWindowFlags_None; }

 private:
  std::string id_;
  std::string title_key_;
  bool open_ = true;
  bool focus_requested_ = false;       // cleared by the next draw
  bool relayout_ = false;              // copied from the context at each draw
  std::optional<Tile> tile_override_;  // set by a layout mode
  bool bare_ = false;                  // drawn without a background (set by the shell)
};

}  // namespace wmq::gui
