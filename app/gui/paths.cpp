#include "gui/paths.h"

#include <system_error>

namespace wmq::gui {

std::filesystem::path config_dir(const char* xdg_config_home, const char* home) {
  if (xdg_config_home != nullptr && *xdg_config_home != '\0') {
    std::filesystem::path xdg(xdg_config_home);
    if (xdg.is_absolute()) return xdg / "warungmq";
  }
  if (home != nullptr && *home != '\0') {
    std::filesystem::path h(home);
    if (h.is_absolute()) return h / ".config" / "warungmq";
  }
  return {};
}

wmq::Status ensure_config_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return wmq::Status::error(wmq::Code::kIoError,
                              "settings directory \"" + dir.string() + "\": cannot be created (" +
                                  (ec ? ec.message() : std::string("not a directory")) + ")");
  }
  return wmq::Status::ok();
}

std::string screenshot_file_name(std::time_t when) {
  std::tm local{};
  localtime_r(&when, &local);
  char buf[64];
  std::strftime(buf, sizeof buf, "warungmq-%Y%m%d-%H%M%S.png", &local);
  return buf;
}

std::filesystem::path new_screenshot_path(const std::filesystem::path& dir, std::time_t when) {
  const std::string name = screenshot_file_name(when);
  std::filesystem::path path = dir / name;
  const std::string stem = name.substr(0, name.size() - 4);  // without ".png"
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(path, ec); ++n) {
    path = dir / (stem + "-" + std::to_string(n) + ".png");
  }
  return path;
}

}  // namespace wmq::gui
