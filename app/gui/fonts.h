// Fonts: DejaVu Sans for body text and DejaVu Sans Bold for headings, with
// glyphs for Latin, Latin-1, Latin Extended-A/B, general punctuation, arrows
// and geometric shapes (enough for English, Bahasa Indonesia and names such as
// "Đức" or "Łukasz").
//
// Thread-safety: none; call on the GUI thread before the font atlas is built.
#pragma once

#include <filesystem>

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
  bool fallback = false;      // true when ImGui's built-in font replaced a missing body file
};

// Adds the fonts to `io.Fonts` (the body font first, so it is the default). A missing file is
// not an error: ImGui's built-in font stands in and a warning naming the path goes to stderr.
// The files are checked first because AddFontFromFileTTF asserts (aborts) on a missing one.
Fonts load_fonts(ImGuiIO& io, const FontFiles& files = default_font_files(), float body_px = 17.0f,
                 float heading_px = 23.0f);

}  // namespace wmq::gui
