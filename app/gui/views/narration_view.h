// NarrationView: the scenario speaking to the class — its title, the text
// for the current moment in the chosen language, a clear "paused here" when
// the scenario stops to let the teacher talk, and its question at the end.
// The panel is short, so a new line that would end below its edge is scrolled
// to the top of the panel, title out of view, the way the log follows events;
// a line too long for the panel with the title is shown without the title, so
// the panel starts at its first line, never mid-title or mid-paragraph.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <string>

#include "gui/model/actions.h"
#include "gui/model/workbench.h"
#include "gui/view.h"

namespace wmq::gui {

class NarrationView : public View {
 public:
  NarrationView(const Workbench& bench, Actions& actions);

 protected:
  void drawContent(ViewContext& ctx) override;
  // Scrolls a newly shown line, which starts at `line_top` (content coordinates), into view
  // when it ends below the panel's edge.
  void follow(const std::string& shown, float line_top);
  // Whether the lesson's title, the "paused" button and the current paragraph together are
  // taller than the panel: then the title is left out, so the panel starts at the paragraph's
  // first line instead of at a sliver of the title scrolled half away.
  bool paragraph_crowded(const ViewContext& ctx, const char* title, bool stopped,
                         const sim::TimelineEvent* said) const;
  Tile tile() const override { return Tile{0.68f, 0.11f, 0.32f, 0.16f}; }

 private:
  const Workbench& bench_;
  Actions& actions_;
  // UI-only state: which line was last brought into view.
  struct Ui {
    std::string followed;  // the text (and question) of the line last followed
    bool pending = false;  // a new line is shown but not yet checked to be in view
  };
  Ui ui_;
};

}  // namespace wmq::gui
