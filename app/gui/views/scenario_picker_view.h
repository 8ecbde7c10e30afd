// ScenarioPickerView: the lessons in scenarios/*.toml, by title in the
// current language with what each is about; a click opens one (or a path
// typed by hand, or in a page a file from the reader's computer).
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/view.h"
#include "sim/scenario.h"

namespace wmq::gui {

class ScenarioPickerView : public View {
 public:
  // Lists the *.toml files of `dir`. `pick_from_computer`, when given (a page), opens the
  // browser's file picker and takes the place of the path box.
  ScenarioPickerView(const Workbench& bench, Actions& actions, std::filesystem::path dir,
                     std::function<void()> pick_from_computer = {});

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.2f, 0.15f, 0.6f, 0.6f}; }

 private:
  struct Entry {
    std::string path;
    sim::Text title, about;
    std::string name;
    std::string error;  // why it does not load, if it does not
  };
  void scan();

  const Workbench& bench_;
  Actions& actions_;
  std::filesystem::path dir_;
  std::function<void()> pick_from_computer_;
  // UI-only: the list read when the window opened, and the path box.
  std::vector<Entry> entries_;
  bool scanned_ = false;
  char path_[512] = {};
};

}  // namespace wmq::gui
