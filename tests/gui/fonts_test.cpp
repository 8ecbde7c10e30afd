#include <doctest.h>

#include <imgui.h>

#include "gui/fonts.h"

using namespace wmq::gui;

namespace {

// An ImGui context of its own, with no window and no renderer: enough to build a font atlas.
struct Context {
  ImGuiContext* ctx = ImGui::CreateContext();
  ~Context() { ImGui::DestroyContext(ctx); }
};

}  // namespace

TEST_CASE("load_fonts falls back to ImGui's built-in font when the file is missing") {
  Context c;
  ImGuiIO& io = ImGui::GetIO();
  Fonts f = load_fonts(io, FontFiles{"/nonexistent/Body.ttf", "/nonexistent/Bold.ttf"});
  CHECK(f.fallback);
  REQUIRE(f.body != nullptr);
  CHECK(f.heading == f.body);
  CHECK(io.Fonts->Build());
}

TEST_CASE("DejaVu Sans covers Latin Extended letters") {
  Context c;
  ImGuiIO& io = ImGui::GetIO();
  Fonts f = load_fonts(io);
  REQUIRE_FALSE(f.fallback);
  REQUIRE(io.Fonts->Build());
  CHECK(f.heading != f.body);
  // é (Latin-1), ě Ł Đ (Extended-A), ǵ (Extended-B), … (punctuation), → (arrows), ▶ (shapes).
  for (ImWchar ch : {0x00E9, 0x011B, 0x0141, 0x0110, 0x01F5, 0x2026, 0x2192, 0x25B6}) {
    CAPTURE(ch);
    CHECK(f.body->FindGlyphNoFallback(ch) != nullptr);
    CHECK(f.heading->FindGlyphNoFallback(ch) != nullptr);
  }
}
