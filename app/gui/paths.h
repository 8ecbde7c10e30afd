// Where the GUI keeps per-user files (window layout in imgui.ini), following
// the XDG Base Directory rules, and how screenshot files are named.
//
// Thread-safety: pure functions, except ensure_config_dir (touches the disk).
#pragma once

#include <ctime>
#include <filesystem>
#include <string>

#include "broker/status.h"

namespace wmq::gui {

// The directory for WarungMQ's settings, given the values of $XDG_CONFIG_HOME and $HOME (null
// when unset): $XDG_CONFIG_HOME/warungmq if it is set to an absolute path (the XDG rules say to
// ignore a relative one), else $HOME/.config/warungmq. Empty when neither is usable; the
// working directory is never chosen.
std::filesystem::path config_dir(const char* xdg_config_home, const char* home);

// Creates `dir` and its parents if needed. kIoError naming the directory when it cannot.
wmq::Status ensure_config_dir(const std::filesystem::path& dir);

// "warungmq-YYYYMMDD-HHMMSS.png" for the local time `when`.
std::string screenshot_file_name(std::time_t when);

// A path in `dir` for a screenshot taken at `when` that names no existing file: the
// screenshot_file_name, or the same with "-2", "-3"... before ".png" when two shots fall in
// the same second.
std::filesystem::path new_screenshot_path(const std::filesystem::path& dir, std::time_t when);

}  // namespace wmq::gui
