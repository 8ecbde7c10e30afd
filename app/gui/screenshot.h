// Screenshots: the rendered frame, read back from OpenGL and written as PNG.
//
// Thread-safety: the GUI thread, with the GL context current for
// save_framebuffer_png; the others are pure or touch only their file.
#pragma once

#include <filesystem>
#include <vector>

#include "broker/status.h"

namespace wmq::gui {

// Turns an image upside down in place: OpenGL hands rows bottom-up, PNG wants them top-down.
// `pixels` holds `height` rows of `row_bytes` bytes each.
void flip_rows(std::vector<unsigned char>& pixels, int row_bytes, int height);

// Writes tightly packed RGB pixels (top row first) as a PNG file. kIoError naming the path
// when the file cannot be written.
wmq::Status write_png(const std::filesystem::path& file, const std::vector<unsigned char>& rgb,
                      int width, int height);

// Reads the back buffer of the current GL context (call after rendering, before the swap, so
// the frame is the one just drawn) and writes it to `file` as PNG. kIoError as write_png;
// kInvalid for a non-positive size.
wmq::Status save_framebuffer_png(const std::filesystem::path& file, int width, int height);

}  // namespace wmq::gui
