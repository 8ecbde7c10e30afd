// The shell driven headless, for the GUI's unit tests: an ImGui context with no window and no
// renderer, the warung's theme and fonts (their atlas built, as the renderer would), and the
// shell with its About view. NewFrame/Render run as in the real loop; nothing reaches a GPU.
// One per test, as the real app has one context per run.
#pragma once

#include <doctest.h>

#include <imgui.h>

#include <filesystem>
#include <memory>
#include <string>

#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/shell.h"
#include "gui/theme.h"
#include "gui/views/about_view.h"

namespace wmq::test {

inline const std::filesystem::path kI18nDir = std::filesystem::path(WMQ_ASSETS_DIR) / "i18n";

struct HeadlessShell {
  ImGuiContext* ctx;
  gui::Fonts fonts;
  std::unique_ptr<gui::Shell> shell;

  explicit HeadlessShell(const std::string& language = "en") : ctx(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 720);
    io.DeltaTime = 1.0f / 60.0f;
    gui::apply_theme(ImGui::GetStyle());
    fonts = gui::load_fonts(io);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    Result<gui::I18n> i18n = gui::I18n::load(kI18nDir, {"en", "id"}, language);
    REQUIRE_MESSAGE(i18n.is_ok(), i18n.status().message());
    shell = std::make_unique<gui::Shell>(std::move(i18n).value(), fonts, "9.9.9");
    shell->add_view(std::make_unique<gui::AboutView>("9.9.9"));
  }
  HeadlessShell(const HeadlessShell&) = delete;
  HeadlessShell& operator=(const HeadlessShell&) = delete;
  ~HeadlessShell() {
    shell.reset();
    ImGui::DestroyContext(ctx);
  }

  // One frame as run_gui does it, minus the GL calls. `mid_frame` runs after the shell drew.
  template <typename F>
  void frame(F mid_frame) {
    ImGui::NewFrame();
    shell->draw();
    mid_frame();
    ImGui::Render();
    shell->end_frame();
  }
  void frame() {
    frame([] {});
  }
};

}  // namespace wmq::test
