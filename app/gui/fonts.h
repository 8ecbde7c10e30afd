// Fonts: DejaVu Sans for body text and DejaVu Sans Bold for headings, with
// glyphs for Latin, Latin-1, Latin Extended-A/B, general punctuation, arrows
// geometric shapes and the symbols the scene uses (snowflake, skull, check)
// (enough for English, Bahasa Indonesia and names such as "Đức" or "Łukasz").
//
// Thread-safety: none; call on the GUI thread before the font atlas is built.
#pragma once

#include <filesystem>
#include <vector>

struct ImFont;
struct ImGuiIO;

namespace wmq::gui {

// Where the TTF files are looked for.
struct FontFiles {
  std::filesystem::path body;
  std::filesystem::path heading;
};

// The files from Debian's fonts-dejavu-core.
FontFiles default_font_files();

// The fonts handed to views. Owned by the ImGui font atlas; valid while the context lives.
struct Fonts {
  ImFont* body = nullptr;     // never null after load_fonts
  ImFont* heading = nullptr;  // never null after load_fonts; the body font if no bold file
  // The same, larger, for projector mode (kProjectorScale times); never null after load_fonts
  // (the normal ones when the files are missing).
  ImFont* body_large = nullptr;
  ImFont* heading_large = nullptr;
  bool fallback = false;  // true when ImGui's built-in font replaced a missing body file
  // Every font loaded, regular and bold, by size: the scene draws its text at the loaded size
  // nearest to what its zoom asks for, never scaled, so glyphs stay crisp with the atlas
  // sampled nearest-neighbour (which halves Mesa llvmpipe's per-pixel cost).
  std::vector<ImFont*> regular_sizes;
  std::vector<ImFont*> bold_sizes;

  // The pair a frame draws with: the large ones in projector mode.
  Fonts for_mode(bool projector) const {
    Fonts f = *this;
    if (projector) {
      f.body = body_large;
      f.heading = heading_large;
    }
    return f;
  }
};

// How much larger projector mode's fonts are.
inline constexpr float kProjectorScale = 1.5f;

// The font of `sizes` (sorted by size, not empty) whose size is nearest to `pixels`.
ImFont* nearest_font(const std::vector<ImFont*>& sizes, float pixels);
// The smallest font of `sizes` (sorted by size, not empty) at least `pixels` high, or the
// largest when none is: what keeps the scene's text over its floor (ui.min_text_px).
ImFont* font_at_least(const std::vector<ImFont*>& sizes, float pixels);

// Adds the fonts to `io.Fonts` (the body font first, so it is the default), then their large
// twins. A missing file is not an error: ImGui's built-in font stands in and a warning naming
// the path goes to stderr.
// The files are checked first because AddFontFromFileTTF asserts (aborts) on a missing one.
// `scale` multiplies every size (the UI's pixel ratio: 2 on a high-density screen in a page).
Fonts load_fonts(ImGuiIO& io, const FontFiles& files = default_font_files(), float body_px = 17.0f,
                 float heading_px = 23.0f, float scale = 1.0f);

}  // namespace wmq::gui
