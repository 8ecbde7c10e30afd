#include <doctest.h>

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "gui/screenshot.h"

using namespace wmq;
using namespace wmq::gui;

TEST_CASE("flip_rows turns the image upside down and keeps a middle row") {
  // Three rows of two bytes: 1 2 / 3 4 / 5 6.
  std::vector<unsigned char> px{1, 2, 3, 4, 5, 6};
  flip_rows(px, 2, 3);
  CHECK(px == std::vector<unsigned char>{5, 6, 3, 4, 1, 2});
  std::vector<unsigned char> even{1, 2, 3, 4};
  flip_rows(even, 2, 2);
  CHECK(even == std::vector<unsigned char>{3, 4, 1, 2});
}

TEST_CASE("write_png writes pixels that read back exactly") {
  std::filesystem::path file = std::filesystem::temp_directory_path() / "wmq-gui-test-write.png";
  // 2x2: red, green / blue, white.
  std::vector<unsigned char> rgb{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  REQUIRE(write_png(file, rgb, 2, 2).is_ok());
  int w = 0, h = 0, n = 0;
  unsigned char* back = stbi_load(file.c_str(), &w, &h, &n, 3);
  REQUIRE(back != nullptr);
  CHECK(w == 2);
  CHECK(h == 2);
  CHECK(std::vector<unsigned char>(back, back + 12) == rgb);
  stbi_image_free(back);
  std::filesystem::remove(file);
}

TEST_CASE("write_png names the file it cannot write") {
  std::vector<unsigned char> rgb(3, 0);
  Status st = write_png("/nonexistent/dir/shot.png", rgb, 1, 1);
  CHECK(st.code() == Code::kIoError);
  CHECK(st.message() ==
        "screenshot \"/nonexistent/dir/shot.png\": cannot be written (No such file or directory)");
}
