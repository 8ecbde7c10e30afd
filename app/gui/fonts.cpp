#include "gui/fonts.h"

#include <imgui.h>

#include <cstdio>
#include <system_error>

namespace wmq::gui {
namespace {

// Must outlive the atlas build: ImGui keeps the pointer, not a copy.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x024F,  // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
    0x2000, 0x206F,  // General Punctuation: dashes, quotes, ellipsis, bullet
    0x2190, 0x21FF,  // Arrows
    0x25A0, 0x25FF,  // Geometric Shapes: play/stop marks
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

Fonts load_fonts(ImGuiIO& io, const FontFiles& files, float body_px, float heading_px) {
  Fonts fonts;
  if (readable_file(files.body)) {
    fonts.body = io.Fonts->AddFontFromFileTTF(files.body.c_str(), body_px, nullptr, kGlyphRanges);
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
        io.Fonts->AddFontFromFileTTF(files.heading.c_str(), heading_px, nullptr, kGlyphRanges);
  }
  if (fonts.heading == nullptr) fonts.heading = fonts.body;
  return fonts;
}

}  // namespace wmq::gui
