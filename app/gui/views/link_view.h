// LinkView: File > Copy a link to this moment. Builds the link of the moment
// the class is looking at (the lesson, seed, time, clicks, player, language,
// words, projector: gui/model/link.h), puts it on the clipboard and shows it
// in a small window where it can be selected, since a classroom projector's
// computer may have no clipboard to paste from. It also tells a broken link's
// sentence when the GUI was opened with one.
//
// Thread-safety: the GUI thread, inside an ImGui frame (copy() queues its work).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/status.h"
#include "gui/model/link.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class Shell;

class LinkView : public View {
 public:
  // `bench` and `shell` must outlive the view. Links name the lessons in `scenarios_dir`.
  LinkView(const Workbench& bench, Shell& shell, std::filesystem::path scenarios_dir);

  // Queues "copy-link": after the frame, the current moment's link goes to the clipboard and
  // this window opens showing it; when there is none (a live run, a scenario that is not a
  // shipped lesson), a toast says why.
  void copy();
  // The link of the moment now, as link_text(base_url) gives it. Errors, kInvalid with the
  // sentence in the current language: a live run (link.no_live); a scenario from elsewhere
  // (link.no_file).
  Result<std::string> current() const;
  // What the web page puts before the fragment (its own address); empty on the desktop.
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  // Tells the reader why the link they opened could not be opened (a toast that stays long).
  void show_problem(std::string sentence);

  // The "link" section of --state-out: {"text": current() or null, "none_because": its
  // sentence or null, "shown": the link in the window or null, "copied": [each link copied],
  // "problem": the broken link's sentence or null}.
  nlohmann::json state_json() const;

 protected:
  void drawContent(ViewContext& ctx) override;
  Tile tile() const override { return Tile{0.18f, 0.2f, 0.64f, 0.4f}; }

 private:
  const Workbench& bench_;
  Shell& shell_;
  std::filesystem::path scenarios_dir_;
  std::string base_url_;
  std::string shown_;                // the link in the window
  size_t shown_clicks_ = 0;          // how many clicks it holds
  std::vector<std::string> copied_;  // every link copied, oldest first
  std::string problem_;              // the broken link's sentence, if the GUI opened one
};

}  // namespace wmq::gui
