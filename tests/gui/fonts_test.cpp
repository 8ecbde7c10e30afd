#include <doctest.h>

#include <imgui.h>

#include <algorithm>

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

TEST_CASE("the scene's text takes the loaded size nearest to what it asks for") {
  Context c;
  ImGuiIO& io = ImGui::GetIO();
  Fonts f = load_fonts(io);
  REQUIRE_FALSE(f.fallback);
  REQUIRE(io.Fonts->Build());
  REQUIRE(f.regular_sizes.size() >= 8);
  CHECK(std::is_sorted(f.regular_sizes.begin(), f.regular_sizes.end(),
                       [](ImFont* a, ImFont* b) { return a->FontSize < b->FontSize; }));
  CHECK(nearest_font(f.regular_sizes, 12.3f)->FontSize == 12.0f);
  CHECK(nearest_font(f.bold_sizes, 22.8f) == f.heading);
  CHECK(nearest_font(f.regular_sizes, 17.0f) == f.body);
  CHECK(nearest_font(f.regular_sizes, 2.0f)->FontSize == 9.0f);
  CHECK(nearest_font(f.regular_sizes, 90.0f)->FontSize == 48.0f);  // the largest baked
  // The floor of projector mode's scene: never a size under it.
  CHECK(font_at_least(f.regular_sizes, 20.0f)->FontSize == 20.0f);
  CHECK(font_at_least(f.regular_sizes, 19.5f)->FontSize == 20.0f);
  CHECK(font_at_least(f.bold_sizes, 26.0f)->FontSize == 28.0f);
  CHECK(font_at_least(f.regular_sizes, 100.0f)->FontSize == 48.0f);
  CHECK(f.for_mode(true).body == f.body_large);
  CHECK(f.for_mode(false).heading == f.heading);
}

TEST_CASE("at a pixel ratio of 2 every font is rasterised twice as large") {
  Context c;
  ImGuiIO& io = ImGui::GetIO();
  Fonts f = load_fonts(io, default_font_files(), 17.0f, 23.0f, 2.0f);
  REQUIRE_FALSE(f.fallback);
  REQUIRE(io.Fonts->Build());
  CHECK(f.body->FontSize == 34.0f);
  CHECK(f.heading->FontSize == 46.0f);
  CHECK(f.body_large->FontSize == 34.0f * kProjectorScale);
  CHECK(f.regular_sizes.front()->FontSize == 18.0f);  // the scene's smallest, 9 px at 1
  CHECK(f.regular_sizes.back()->FontSize == 96.0f);
}

TEST_CASE("the font atlas fits every WebGL up to a pixel ratio of 3") {
  // WebGL refuses a texture wider or taller than its MAX_TEXTURE_SIZE (8,192 with SwiftShader,
  // 4,096 on some phones), and then draws every glyph and every filled shape as a black block.
  for (float scale : {1.0f, 2.0f, 3.0f}) {
    CAPTURE(scale);
    Context c;
    ImGuiIO& io = ImGui::GetIO();
    Fonts f = load_fonts(io, default_font_files(), 17.0f, 23.0f, scale);
    REQUIRE_FALSE(f.fallback);
    REQUIRE(io.Fonts->Build());
    CHECK(io.Fonts->TexWidth <= 4096);
    CHECK(io.Fonts->TexHeight <= 4096);
    if (scale == 1.0f) CHECK(io.Fonts->TexWidth * io.Fonts->TexHeight <= 2048 * 1024);
  }
}
