// TextRuns: the text the scene drew in one frame — each run's box on screen
// and its font's pixel height — so the --state-out report can say how small
// the smallest label was (ui.min_text_px) and how many labels ran into
// another (ui.overlaps), and the tests can hold the scene to a projector's
// legibility.
//
// Thread-safety: a value; the GUI thread fills it while painting.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gui/scene_layout.h"

namespace wmq::gui {

struct TextRun {
  WorldRect box;  // screen pixels: where the run's line box is
  float px = 0;   // the font's height in pixels
  std::string text;
  // Drawn on purpose over what is under it, on an opaque tag of its own (the spotlight's large
  // ticket number): it hides what it covers rather than running into it, so it is not counted
  // as an overlap.
  bool overlay = false;
};

class TextRuns {
 public:
  void clear() { runs_.clear(); }
  void add(const WorldRect& box, float px, std::string text, bool overlay = false) {
    runs_.push_back(TextRun{box, px, std::move(text), overlay});
  }
  const std::vector<TextRun>& runs() const { return runs_; }
  // The smallest font height among the runs; 0 when there is none.
  float min_px() const;
  // How many runs overlap at least one other run by more than `slack` pixels each way (a run
  // that runs into two others counts once). Runs drawn one over another on purpose (a badge's
  // text on its badge) are one run each, so any overlap is a label drawn over a label.
  size_t overlaps(float slack = 1.0f) const;
  // The first `limit` pairs of runs that overlap, as "first text | second text": what a failing
  // test prints.
  std::vector<std::string> overlapping(size_t limit, float slack = 1.0f) const;

 private:
  std::vector<TextRun> runs_;
};

}  // namespace wmq::gui
