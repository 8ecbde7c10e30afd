#include "gui/screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <string>

namespace wmq::gui {

void flip_rows(std::vector<unsigned char>& pixels, int row_bytes, int height) {
  assert(row_bytes >= 0 && height >= 0 && "flip_rows: sizes must not be negative");
  assert(pixels.size() == static_cast<size_t>(row_bytes) * static_cast<size_t>(height) &&
         "flip_rows: pixels must hold exactly height rows of row_bytes");
  for (int top = 0, bottom = height - 1; top < bottom; ++top, --bottom) {
    auto a = pixels.begin() + static_cast<std::ptrdiff_t>(top) * row_bytes;
    auto b = pixels.begin() + static_cast<std::ptrdiff_t>(bottom) * row_bytes;
    std::swap_ranges(a, a + row_bytes, b);
  }
}

wmq::Status write_png(const std::filesystem::path& file, const std::vector<unsigned char>& rgb,
                      int width, int height) {
  assert(rgb.size() == static_cast<size_t>(width) * static_cast<size_t>(height) * 3 &&
         "write_png: rgb must hold width*height*3 bytes");
  errno = 0;
  if (stbi_write_png(file.c_str(), width, height, 3, rgb.data(), width * 3) == 0) {
    std::string reason = errno != 0 ? std::strerror(errno) : "the PNG writer failed";
    return wmq::Status::error(wmq::Code::kIoError, "screenshot \"" + file.string() +
                                                       "\": cannot be written (" + reason + ")");
  }
  return wmq::Status::ok();
}

wmq::Status save_framebuffer_png(const std::filesystem::path& file, int width, int height) {
  if (width <= 0 || height <= 0) {
    return wmq::Status::error(wmq::Code::kInvalid,
                              "screenshot \"" + file.string() + "\": the window has no pixels (" +
                                  std::to_string(width) + "x" + std::to_string(height) + ")");
  }
  // RGBA: the one format every GL reads back, WebGL included (GL_RGB is not valid there).
  const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
  std::vector<unsigned char> rgba(pixels * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  std::vector<unsigned char> rgb(pixels * 3);
  for (size_t i = 0; i < pixels; ++i)
    std::memcpy(&rgb[i * 3], &rgba[i * 4], 3);
  flip_rows(rgb, width * 3, height);
  return write_png(file, rgb, width, height);
}

}  // namespace wmq::gui
