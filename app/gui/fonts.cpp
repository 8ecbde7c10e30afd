#include "gui/fonts.h"

#include <imgui.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <system_error>

namespace wmq::gui {
namespace {

// Must outlive the atlas build: ImGui keeps the pointer, not a copy.
// The letters any name may need; of the symbol blocks only what the program writes (an atlas
// with all of Dingbats and Arrows at every size took 4096x4096 pixels, 64 MB to upload, and
// over WebGL's limit at a pixel ratio of 2).
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x024F,  // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
    0x2010, 0x203A,  // General Punctuation: dashes, quotes, bullet, ellipsis
    0x2190, 0x2193,  // Arrows: the step keys
    0x21BA, 0x21BA,  // anticlockwise open circle arrow (given again)
    0x21E5, 0x21E5,  // rightwards arrow to bar (Tab)
    0x221E, 0x221E,  // infinity (an unlimited prefetch)
    0x25A0, 0x25A0,  // black square (stop)
    0x25B6, 0x25B6,  // play
    0x25BE, 0x25BE,  // small down triangle (a menu)
    0x25CF, 0x25CF,  // black circle
    0x2620, 0x2620,  // skull (a poison order)
    0x2668, 0x2668,  // hot springs (steam)
    0x26A1, 0x26A1,  // high voltage (a crash)
    0x2713, 0x2717,  // check and cross marks
    0x2744, 0x2744,  // snowflake (a frozen cook)
    0x275A, 0x275A,  // heavy vertical bar (pause)
    0,
};

// The scene's extra sizes need fewer glyphs: no Latin Extended, the symbols it draws.
constexpr ImWchar kSceneRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement
    0x2010, 0x203A,  // General Punctuation
    0x2190, 0x2193,  // Arrows
    0x21BA, 0x21BA,  // given again
    0x221E, 0x221E,  // infinity
    0x25A0, 0x25A0,  // stop
    0x25B6, 0x25B6,  // play
    0x25CF, 0x25CF,  // black circle
    0x2620, 0x2620,  // skull
    0x2668, 0x2668,  // steam
    0x26A1, 0x26A1,  // crash
    0x2713, 0x2717,  // check, cross
    0x2744, 0x2744,  // snowflake
    0x275A, 0x275A,  // pause
    0,
};
// Pixel sizes the scene text snaps to, besides the UI fonts. Few enough to keep the atlas small:
// every glyph drawn is sampled from it, and a smaller texture stays in the caches.
constexpr float kSceneSizes[] = {9, 10, 11, 12, 13, 14, 16, 19};
// The sizes projector mode's floor needs: 20 px at 1024x768, growing with the window (28 at
// 1920x1080), and twice that for a focused ticket's number. Only the glyphs the scene writes
// at those sizes: at 40 px a glyph takes thirty times the atlas a 9 px one does.
constexpr float kLargeSceneSizes[] = {20, 22, 24, 28, 32, 40, 48};
constexpr ImWchar kLargeSceneRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement
    0x2026, 0x2026,  // ellipsis
    0x2668, 0x2668,  // hot springs (steam)
    0x2713, 0x2717,  // check, cross
    0x2744, 0x2744,  // snowflake
    0x221E, 0x221E,  // infinity
    0,
};

bool readable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

FontFiles default_font_files() {
  return FontFiles{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"};
}

Fonts load_fonts(ImGuiIO& io, const FontFiles& files, float body_px, float heading_px,
                 float scale) {
  Fonts fonts;
  // One texel a pixel: glyphs are drawn at the size and on the pixel grid they were rasterised
  // for and sampled nearest-neighbour, so ImGui's threefold horizontal oversampling (meant for
  // bilinear sampling at fractional positions) would only triple the atlas.
  ImFontConfig config;
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  body_px *= scale;
  heading_px *= scale;
  if (readable_file(files.body)) {
    fonts.body = io.Fonts->AddFontFromFileTTF(files.body.c_str(), body_px, &config, kGlyphRanges);
  }
  if (fonts.body == nullptr) {
    std::fprintf(stderr,
                 "warungmq gui: font \"%s\" not found (install fonts-dejavu-core); "
                 "using ImGui's built-in font, which has no Latin Extended letters\n",
                 files.body.c_str());
    fonts.body = io.Fonts->AddFontDefault();
    fonts.fallback = true;
  }
  if (!fonts.fallback && readable_file(files.heading)) {
    fonts.heading =
        io.Fonts->AddFontFromFileTTF(files.heading.c_str(), heading_px, &config, kGlyphRanges);
  }
  if (fonts.heading == nullptr) fonts.heading = fonts.body;
  fonts.body_large = fonts.body;
  fonts.heading_large = fonts.heading;
  if (!fonts.fallback) {
    fonts.body_large = io.Fonts->AddFontFromFileTTF(files.body.c_str(), body_px * kProjectorScale,
                                                    &config, kGlyphRanges);
    if (fonts.heading != fonts.body) {
      fonts.heading_large = io.Fonts->AddFontFromFileTTF(
          files.heading.c_str(), heading_px * kProjectorScale, &config, kSceneRanges);
    } else {
      fonts.heading_large = fonts.body_large;
    }
  }
  // Sorted by the size asked for: ImFont::FontSize is set only when the atlas is built, and the
  // atlas's config pointers move while fonts are still being added.
  std::vector<std::pair<float, ImFont*>> regular = {{body_px, fonts.body}};
  std::vector<std::pair<float, ImFont*>> bold = {{heading_px, fonts.heading}};
  if (!fonts.fallback) {
    regular.emplace_back(body_px * kProjectorScale, fonts.body_large);
    bold.emplace_back(heading_px * kProjectorScale, fonts.heading_large);
    auto add_sizes = [&](const auto& pixel_sizes, const ImWchar* ranges) {
      for (float unscaled : pixel_sizes) {
        const float px = unscaled * scale;
        regular.emplace_back(px,
                             io.Fonts->AddFontFromFileTTF(files.body.c_str(), px, &config, ranges));
        if (fonts.heading != fonts.body) {
          bold.emplace_back(
              px, io.Fonts->AddFontFromFileTTF(files.heading.c_str(), px, &config, ranges));
        }
      }
    };
    add_sizes(kSceneSizes, kSceneRanges);
    add_sizes(kLargeSceneSizes, kLargeSceneRanges);
  }
  auto sorted = [](std::vector<std::pair<float, ImFont*>> v) {
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ImFont*> out;
    for (const auto& [px, font] : v)
      out.push_back(font);
    return out;
  };
  fonts.regular_sizes = sorted(std::move(regular));
  fonts.bold_sizes = sorted(std::move(bold));
  return fonts;
}

ImFont* font_at_least(const std::vector<ImFont*>& sizes, float pixels) {
  assert(!sizes.empty() && "font_at_least needs at least one font");
  for (ImFont* f : sizes) {
    if (f->FontSize + 0.01f >= pixels) return f;
  }
  return sizes.back();
}

ImFont* nearest_font(const std::vector<ImFont*>& sizes, float pixels) {
  assert(!sizes.empty() && "nearest_font needs at least one font");
  ImFont* best = sizes.front();
  for (ImFont* f : sizes) {
    if (std::abs(f->FontSize - pixels) < std::abs(best->FontSize - pixels)) best = f;
  }
  return best;
}

}  // namespace wmq::gui
