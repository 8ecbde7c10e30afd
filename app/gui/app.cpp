#include "gui/app.h"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/paths.h"
#include "gui/screenshot.h"
#include "gui/shell.h"
#include "gui/theme.h"
#include "gui/views/about_view.h"

namespace wmq::gui {
namespace {

using Clock = std::chrono::steady_clock;

// GLSL 1.30 goes with an OpenGL 3.0 context; Mesa's llvmpipe (Xvfb) and every desktop driver
// of the last decade have it. A wrong string still "initialises" and draws nothing, so the
// screenshot test checks pixels.
constexpr const char* kGlslVersion = "#version 130";
constexpr const char* kWindowTitle = "WarungMQ";
const std::vector<std::string> kLanguages = {"en", "id"};
// Interactive frames are paced to about 60 per second even where vsync is a no-op (Xvfb), so
// an idle window does not spin a shared CPU.
constexpr auto kFramePeriod = std::chrono::microseconds(16'667);

// GLFW reports errors through a callback only; the last one explains a failed init.
std::string g_glfw_error;

void on_glfw_error(int code, const char* description) {
  g_glfw_error = description != nullptr ? description : "unknown error " + std::to_string(code);
}

int fail(const std::string& message, int code = kExitFailed) {
  std::fprintf(stderr, "warungmq gui: %s\n", message.c_str());
  return code;
}

int no_display(const std::string& what) {
  std::string reason = g_glfw_error.empty() ? "no reason given" : g_glfw_error;
  return fail(what + ": " + reason +
                  ". This needs a display with OpenGL 3; without one, run it under xvfb-run.",
              kExitNoDisplay);
}

// Ends GLFW on every way out of run_gui.
struct GlfwSession {
  GLFWwindow* window = nullptr;
  ~GlfwSession() {
    if (window != nullptr) glfwDestroyWindow(window);
    glfwTerminate();
  }
};

// Ends the ImGui context and the backends that were started, in reverse order. DestroyContext
// also writes imgui.ini.
struct ImGuiSession {
  bool glfw_backend = false;
  bool gl_backend = false;
  ~ImGuiSession() {
    if (gl_backend) ImGui_ImplOpenGL3_Shutdown();
    if (glfw_backend) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
};

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

// The keyboard shortcuts shown in the menus. With the GLFW backend of 1.86, ImGui's key indices
// are GLFW key codes.
void handle_shortcuts(Shell& shell) {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) shell.queue_screenshot();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) shell.queue_quit();
}

wmq::Status write_state(const std::filesystem::path& file, const nlohmann::json& state) {
  std::ofstream out(file, std::ios::trunc);
  out << state.dump(2) << '\n';
  out.close();
  if (!out) {
    return wmq::Status::error(wmq::Code::kIoError,
                              "state file \"" + file.string() + "\": cannot be written");
  }
  return wmq::Status::ok();
}

}  // namespace

wmq::Status check_options(const GuiOptions& options) {
  auto invalid = [](std::string message) {
    return wmq::Status::error(wmq::Code::kInvalid, std::move(message));
  };
  if (options.frames < 0) {
    return invalid("--frames must be 0 or more, got " + std::to_string(options.frames));
  }
  if (options.exit_after_ms < 0) {
    return invalid("--exit-after-ms must be 0 or more, got " +
                   std::to_string(options.exit_after_ms));
  }
  if (options.width <= 0 || options.height <= 0) {
    return invalid("the window size must be positive, got " + std::to_string(options.width) + "x" +
                   std::to_string(options.height));
  }
  if (!options.screenshot.empty() && options.frames == 0) {
    return invalid("--screenshot saves the last frame, so it needs --frames N");
  }
  return wmq::Status::ok();
}

int run_gui(const GuiOptions& options) {
  if (wmq::Status st = check_options(options); !st) return fail(st.message());

  // Strings first: a missing asset should fail before a window flashes up.
  std::filesystem::path assets =
      options.assets_dir.empty() ? std::filesystem::path(WMQ_GUI_ASSETS_DIR) : options.assets_dir;
  wmq::Result<I18n> i18n = I18n::load(assets / "i18n", kLanguages, options.language);
  if (!i18n) return fail(i18n.status().message());

  g_glfw_error.clear();
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() == GLFW_FALSE) return no_display("cannot start GLFW");
  GlfwSession glfw;

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfw.window = glfwCreateWindow(options.width, options.height, kWindowTitle, nullptr, nullptr);
  if (glfw.window == nullptr) return no_display("cannot open an OpenGL 3.0 window");
  glfwMakeContextCurrent(glfw.window);
  const bool bounded = options.frames > 0;
  // A fixed number of frames is a test or a recording: render them as fast as possible.
  glfwSwapInterval(bounded ? 0 : 1);

  // ImGui keeps only the pointer and writes the file when the context ends, so the string is
  // declared before `imgui` and outlives it.
  const std::string ini = ini_path();
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiSession imgui;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = ini.empty() ? nullptr : ini.c_str();

  apply_theme(ImGui::GetStyle());
  Fonts fonts = load_fonts(io);

  if (!ImGui_ImplGlfw_InitForOpenGL(glfw.window, true)) {
    return no_display("cannot attach Dear ImGui to the window");
  }
  imgui.glfw_backend = true;
  if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) return no_display("cannot load OpenGL 3 functions");
  imgui.gl_backend = true;

  Shell shell(std::move(i18n).value(), fonts, WMQ_GUI_VERSION);
  shell.add_view(std::make_unique<AboutView>(WMQ_GUI_VERSION));
  if (options.setup) options.setup(shell);

  const Rgb backdrop = palette().backdrop;
  const Clock::time_point start = Clock::now();
  const auto time_limit = std::chrono::milliseconds(options.exit_after_ms);
  int status = kExitOk;
  std::string exit_reason;
  int fb_width = 0;
  int fb_height = 0;

  for (;;) {
    if (glfwWindowShouldClose(glfw.window)) {
      exit_reason = "window-closed";
      break;
    }
    if (shell.quit_requested()) {
      exit_reason = "quit-command";
      break;
    }
    if (bounded && shell.frames() >= options.frames) {
      exit_reason = "frames";
      break;
    }
    if (options.exit_after_ms > 0 && Clock::now() - start >= time_limit) {
      exit_reason = "time-limit";
      break;
    }
    const Clock::time_point frame_start = Clock::now();

    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handle_shortcuts(shell);
    shell.draw();
    ImGui::Render();

    glfwGetFramebufferSize(glfw.window, &fb_width, &fb_height);
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(static_cast<float>(backdrop.r) / 255.0f, static_cast<float>(backdrop.g) / 255.0f,
                 static_cast<float>(backdrop.b) / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    // Captures read the back buffer, so they happen here: drawn, not yet swapped.
    const bool last_frame = bounded && shell.frames() + 1 == options.frames;
    if (last_frame && !options.screenshot.empty()) {
      wmq::Status st = save_framebuffer_png(options.screenshot, fb_width, fb_height);
      if (!st) status = fail(st.message());
    }
    if (shell.take_screenshot_request()) {
      std::filesystem::path file =
          new_screenshot_path(std::filesystem::current_path(), std::time(nullptr));
      wmq::Status st = save_framebuffer_png(file, fb_width, fb_height);
      shell.report_screenshot(file, st);
      if (st) {
        std::printf("warungmq gui: screenshot saved to %s\n", file.c_str());
      } else {
        std::fprintf(stderr, "warungmq gui: %s\n", st.message().c_str());
      }
    }

    glfwSwapBuffers(glfw.window);
    shell.end_frame();
    if (!bounded) std::this_thread::sleep_until(frame_start + kFramePeriod);
  }

  if (!options.state_out.empty()) {
    nlohmann::json state = shell.state_json();
    state["exit_reason"] = exit_reason;
    state["window"] = {{"width", fb_width}, {"height", fb_height}};
    state["version"] = WMQ_GUI_VERSION;
    state["scenario"] = options.scenario.string();
    state["seed"] = options.seed;
    wmq::Status st = write_state(options.state_out, state);
    if (!st) status = fail(st.message());
  }
  return status;
}

}  // namespace wmq::gui
