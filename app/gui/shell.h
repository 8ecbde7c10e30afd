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
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/status.h"
#include "gui/anchors.h"
#include "gui/command_queue.h"
#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/view.h"

namespace wmq::gui {

// Fills one section of the --state-out report. Phase 2 registers the simulator's state here.
using StateWriter = std::function<nlohmann::json()>;

// UI-only state of the shell itself: nothing here is part of the simulation.
struct ShellUiState {
  struct Toast {
    std::string text;
    double until = 0;  // ImGui::GetTime() at which it disappears
  };
  std::vector<Toast> toasts;          // oldest first; expired ones dropped each frame
  bool screenshot_requested = false;  // set by a command, taken by the platform layer
  bool quit_requested = false;        // set by the quit command; the loop ends after the frame
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
  // Ends the frame after it was presented: applies queued commands, counts the frame.
  void end_frame();

  // The commands the shell's own widgets queue; also callable from keyboard shortcuts.
  void queue_set_language(std::string code);
  void queue_quit();
  void queue_screenshot();
  void queue_show_view(std::string id);

  // True once a quit command has been applied.
  bool quit_requested() const { return ui_.quit_requested; }
  // True (once) when a screenshot command has been applied; the caller then captures the
  // frame it is about to present and calls report_screenshot.
  bool take_screenshot_request();
  // Tells the person where the screenshot went (a toast), or why it failed.
  void report_screenshot(const std::filesystem::path& file, const wmq::Status& status);
  // Shows `text` in a toast at the bottom right for `seconds`.
  void notify(std::string text, double seconds = 4.0);

  I18n& i18n() { return i18n_; }
  const I18n& i18n() const { return i18n_; }
  CommandQueue& commands() { return commands_; }
  const Anchors& anchors() const { return anchors_; }
  const ShellUiState& ui() const { return ui_; }
  // Frames finished with end_frame().
  long frames() const { return frames_; }

  // Adds a section to the state report: state[section] = writer(). The section must not be
  // one of the shell's own keys (see state_json).
  void add_state_writer(std::string section, StateWriter writer);
  // {"frames", "language", "missing_strings", "missing_keys", "commands", "screenshots",
  //  "anchors", "palette"} plus one key per state writer.
  nlohmann::json state_json() const;

 private:
  void draw_menu_bar();
  void draw_language_switch();
  void draw_toasts();

  I18n i18n_;
  Fonts fonts_;
  std::string version_;
  CommandQueue commands_;
  Anchors anchors_;
  ShellUiState ui_;
  std::vector<std::unique_ptr<View>> views_;                  // draw order
  std::vector<std::pair<std::string, StateWriter>> writers_;  // report sections, in order added
  std::vector<std::string> screenshots_;                      // files written, oldest first
  long frames_ = 0;
};

}  // namespace wmq::gui
