// Shell: the frame every view lives in — menu bar, language switch, views,
// toasts — and the state report written by --state-out.
//
// The shell knows nothing of GLFW or OpenGL (app.cpp glues those on), so it
// can be driven headless in unit tests: create an ImGui context, call draw()
// between NewFrame and Render, then end_frame().
//
// One frame:  NewFrame -> draw() -> Render -> present -> end_frame()
// end_frame() applies the commands the frame's clicks queued, so every widget
// of a frame sees the same state.
//
// Thread-safety: none; the GUI thread owns it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/status.h"
#include "gui/anchors.h"
#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/model/command_queue.h"
#include "gui/view.h"

namespace wmq::gui {

// Fills one section of the --state-out report. The simulator's state is registered here.
using StateWriter = std::function<nlohmann::json()>;

// Where a menu hook draws its items.
enum class MenuSlot : uint8_t {
  kFile,  // at the top of the File menu, before Save screenshot
  kMain,  // top-level menus of their own, after View
  kView,  // at the end of the View menu
  kHelp,  // at the top of the Help menu
};

// UI-only state of the shell itself: nothing here is part of the simulation.
struct ShellUiState {
  struct Toast {
    std::string text;
    double until = 0;  // ImGui::GetTime() at which it disappears
  };
  std::vector<Toast> toasts;              // oldest first; expired ones dropped each frame
  bool screenshot_requested = false;      // set by a command, taken by the platform layer
  bool quit_requested = false;            // set by the quit command; the loop ends after the frame
  bool projector = false;                 // projector mode: large fonts, high contrast, thick lines
  bool relayout_requested = true;         // tile the windows at the next frame (first frame: yes)
  float last_width = 0, last_height = 0;  // the work area last frame; a change relayouts
};

class Shell {
 public:
  // `fonts` must come from load_fonts on the ImGui context the shell will draw in.
  Shell(I18n i18n, Fonts fonts, std::string version);

  // Adds a view; views draw in the order added. The id must be unique.
  void add_view(std::unique_ptr<View> view);
  // The view with this id, or nullptr.
  View* find_view(std::string_view id);

  // Draws the frame's widgets. Call between ImGui::NewFrame and ImGui::Render.
  void draw();
  // Ends the frame after it was presented: applies queued commands, runs the end-of-frame
  // hooks (the simulation advances there), counts the frame.
  void end_frame();

  // Runs `hook` at the start of every draw(), before the views (keyboard shortcuts).
  void add_frame_hook(std::function<void()> hook);
  // Runs `hook` in every end_frame(), after the queued commands were applied.
  void add_end_frame_hook(std::function<void()> hook);
  // Draws menu items (or, for kMain, whole menus) in `slot` of the menu bar, every frame.
  void add_menu_hook(MenuSlot slot, std::function<void()> hook);

  // The commands the shell's own widgets queue; also callable from keyboard shortcuts.
  void queue_set_language(std::string code);
  void queue_quit();
  void queue_screenshot();
  void queue_show_view(std::string id);
  void queue_set_projector(bool on);
  void queue_set_vocabulary(Vocabulary vocabulary);
  void queue_reset_layout();
  // Tiles the windows again at the next frame (outside a frame: a layout mode changed).
  void request_relayout() { ui_.relayout_requested = true; }

  // True once a quit command has been applied.
  bool quit_requested() const { return ui_.quit_requested; }
  // True (once) when a screenshot command has been applied; the caller then captures the
  // frame it is about to present and calls report_screenshot.
  bool take_screenshot_request();
  // Tells the person where the screenshot went (a toast), or why it failed.
  void report_screenshot(const std::filesystem::path& file, const wmq::Status& status);
  // Shows `text` in a toast at the bottom right for `seconds`.
  void notify(std::string text, double seconds = 4.0);

  bool projector() const { return ui_.projector; }
  // New fonts at a new pixel ratio (a page's zoom or devicePixelRatio changed): `fonts` from
  // load_fonts(..., scale), the theme's sizes times `scale`. Call between frames, after the
  // font atlas was rebuilt.
  void set_fonts(Fonts fonts, float scale);
  // The pixel ratio the fonts and the theme were made for (1 on the desktop).
  float ui_scale() const { return ui_scale_; }
  // The fonts of the current mode (the large ones in projector mode).
  Fonts fonts() const { return fonts_.for_mode(ui_.projector); }
  I18n& i18n() { return i18n_; }
  const I18n& i18n() const { return i18n_; }
  CommandQueue& commands() { return commands_; }
  const Anchors& anchors() const { return anchors_; }
  // For menu hooks: their items' rectangles, in the current frame.
  Anchors& anchors() { return anchors_; }
  const ShellUiState& ui() const { return ui_; }
  // Frames finished with end_frame().
  long frames() const { return frames_; }

  // Adds a section to the state report: state[section] = writer(). The section must not be
  // one of the shell's own keys (see state_json).
  void add_state_writer(std::string section, StateWriter writer);
  // {"frames", "language", "vocabulary", "projector", "missing_strings", "missing_keys",
  //  "commands", "screenshots", "toasts" (the texts shown now), "anchors", "palette",
  //  "scene_palette"} plus one key per state
  // writer.
  nlohmann::json state_json() const;

 private:
  void draw_menu_bar();
  void draw_language_switch();
  void draw_toasts();
  void draw_menu_hooks(MenuSlot slot);
  // Marks bare (no background) every open view whose window overlapped no other last frame.
  void mark_bare_views();

  I18n i18n_;
  Fonts fonts_;
  float ui_scale_ = 1.0f;
  std::string version_;
  CommandQueue commands_;
  Anchors anchors_;
  ShellUiState ui_;
  std::vector<std::unique_ptr<View>> views_;                  // draw order
  std::vector<std::pair<std::string, StateWriter>> writers_;  // report sections, in order added
  std::vector<std::function<void()>> frame_hooks_;
  std::vector<std::function<void()>> end_frame_hooks_;
  std::vector<std::pair<MenuSlot, std::function<void()>>> menu_hooks_;
  std::map<std::string, Rect> last_rects_;  // each open view's window, last frame
  std::vector<std::string> screenshots_;    // files written, oldest first
  long frames_ = 0;
};

}  // namespace wmq::gui
