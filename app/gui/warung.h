// WarungUi: the simulator's side of the GUI, installed on a Shell — the
// views (controls, scene, narration, broker, inspector, log, charts, compare,
// scenario picker, files, shortcuts), the menus, the keyboard shortcuts, the
// per-frame advance of the workbench, toasts for outcomes, and the "sim"
// section of the --state-out report.
//
// Thread-safety: the GUI thread.
#pragma once

#include <filesystem>
#include <memory>

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/shell.h"
#include "gui/shortcuts.h"
#include "gui/views/scene_view.h"

namespace wmq::gui {

class FilesView;
class LinkView;

class WarungUi {
 public:
  // Adds the views, menus, hooks and state writer to `shell`. `bench` must be loaded and must
  // outlive the shell's use of it (the hooks hold references). `scenarios_dir` is what the
  // scenario picker lists.
  WarungUi(Shell& shell, Workbench& bench, std::filesystem::path scenarios_dir);
  WarungUi(const WarungUi&) = delete;
  WarungUi& operator=(const WarungUi&) = delete;

  Actions& actions() { return *actions_; }
  // File > Copy a link to this moment, and where a broken link's sentence is told.
  LinkView& links() { return *links_; }

  // Runs a shortcut's action (what the key handler calls; tests call it directly).
  void perform(Act act);

  // Arranges the windows for the current mode when it changed: the usual desk; projector mode
  // (scene, story and inspector only, large); A/B (both scenes tall, the comparison and the
  // charts beside them). Called after every frame; the first call always arranges.
  void sync_layout();

 private:
  void handle_keys();
  void draw_file_menu();
  void draw_sim_menu();
  void draw_help_menu();
  void draw_view_menu();
  void follow_focus();
  nlohmann::json ui_json() const;
  void tell(const Outcome& outcome);

  Shell& shell_;
  Workbench& bench_;
  std::unique_ptr<Actions> actions_;
  FilesView* files_ = nullptr;  // owned by the shell
  LinkView* links_ = nullptr;   // owned by the shell
  SceneReport scene_;           // what the scene drew last frame; the spotlight switch
  // The narration whose focus the inspector was last opened on (its line in the file), so a
  // click elsewhere is not undone every frame.
  uint32_t focus_line_ = 0;
  // The layout mode arranged last (bit 0 projector, bit 1 A/B, bit 2 a small screen, bit 3 one
  // held upright).
  int layout_ = -1;
};

}  // namespace wmq::gui
