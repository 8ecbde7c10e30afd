// AboutView: what WarungMQ is, in the current language — the restaurant
// analogy in two sentences and a small table from warung to broker terms.
//
// Thread-safety: the GUI thread, inside an ImGui frame.
#pragma once

#include <string>

#include "gui/view.h"

namespace wmq::gui {

class AboutView : public View {
 public:
  // `version` is shown in the footer ("0.1.0").
  explicit AboutView(std::string version);

 protected:
  void drawContent(ViewContext& ctx) override;
  void prepare_window(const ImGuiViewport& viewport) override;
  ImGuiWindowFlags window_flags() const override;

 private:
  std::string version_;
};

}  // namespace wmq::gui
