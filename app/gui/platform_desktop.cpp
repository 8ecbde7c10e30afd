// The desktop side of platform.h: GLFW on a real display (or Xvfb), OpenGL 3.0.
#include <imgui.h>

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "gui/paths.h"
#include "gui/platform.h"

namespace wmq::gui::platform {
namespace {

// ImGui keeps only the pointer to its ini file's name, for as long as the context lives.
std::string g_ini_path;

// Where imgui.ini goes; empty (no ini file) when there is no usable config directory.
std::string ini_path() {
  std::filesystem::path dir = config_dir(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  if (dir.empty()) {
    std::fprintf(stderr,
                 "warungmq gui: neither XDG_CONFIG_HOME nor HOME is set; the window layout "
                 "will not be remembered\n");
    return {};
  }
  if (wmq::Status st = ensure_config_dir(dir); !st) {
    std::fprintf(stderr, "warungmq gui: %s; the window layout will not be remembered\n",
                 st.message().c_str());
    return {};
  }
  return (dir / "imgui.ini").string();
}

}  // namespace

int run_frames(std::unique_ptr<FrameLoop> loop) {
  while (loop->frame()) {
    if (std::optional<FrameLoop::Clock::time_point> next = loop->next_frame_at()) {
      std::this_thread::sleep_until(*next);
    }
  }
  return loop->finish();
}

const char* glsl_version() {
  // GLSL 1.30 goes with an OpenGL 3.0 context; Mesa's llvmpipe (Xvfb) and every desktop driver
  // of the last decade have it. A wrong string still "initialises" and draws nothing, so the
  // screenshot test checks pixels.
  return "#version 130";
}

void window_hints() {
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
}

void fit_initial_size(int& width, int& height) {
  // A window larger than the work area opens cut off (the Story and Broker panels sit on the
  // right and bottom edges), and window managers do not all shrink it.
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (monitor == nullptr) return;
  int x = 0, y = 0, w = 0, h = 0;
  glfwGetMonitorWorkarea(monitor, &x, &y, &w, &h);
  if (w > 0) width = std::min(width, w);
  if (h > 0) height = std::min(height, h);
}

void follow_page_size(GLFWwindow*) {}

void start_preferences(ImGuiIO& io) {
  g_ini_path = ini_path();
  io.IniFilename = g_ini_path.empty() ? nullptr : g_ini_path.c_str();
}

void keep_preferences(ImGuiIO&) {}

void install_clipboard(ImGuiIO&) {}

void install_wheel() {}

std::filesystem::path user_files_dir() {
  return std::filesystem::current_path();
}

void offer_file(const std::filesystem::path&) {}

bool files_are_downloads() {
  return false;
}

bool can_pick_files() {
  return false;
}

void set_file_handler(std::function<void(const std::filesystem::path&)>) {}

void pick_file() {}

float pixel_ratio() {
  return 1.0f;
}

void publish_state(std::function<std::string()>) {}

std::string page_address() {
  return {};
}

void remember(const std::string&, const std::string&) {}

}  // namespace wmq::gui::platform
