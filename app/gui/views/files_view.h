// FilesView: keeping what happened in class — save the run so far as a
// scenario file (the teacher's clicks become timed events that `warungmq run`
// replays), or export its Markdown report as a handout.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <filesystem>
#include <string>

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class FilesView : public View {
 public:
  // `downloads`: where a page writes the files it then offers as downloads (the boxes take a
  // file name); empty on the desktop (the boxes take a path, relative to the working directory).
  FilesView(const Workbench& bench, Actions& actions, std::filesystem::path downloads = {});

  // Opens the window with fresh file names (File > Save as scenario / Export).
  void open_fresh();

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.22f, 0.2f, 0.56f, 0.3f}; }

 private:
  // The file a box names: the box itself on the desktop, under downloads_ in a page.
  std::string where(const char* box) const;

  const Workbench& bench_;
  Actions& actions_;
  std::filesystem::path downloads_;
  // UI-only: the two path boxes.
  char scenario_path_[512] = {};
  char report_path_[512] = {};
};

// A file name for what the session saves: "<scenario>-<mm>m<ss>s<suffix>", e.g.
// "sandbox-12m05s.toml".
std::string session_file_name(const std::string& scenario, Micros at, const std::string& suffix);

}  // namespace wmq::gui
