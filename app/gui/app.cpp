#include "gui/app.h"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <GLFW/glfw3.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/link_open.h"
#include "gui/model/variant.h"
#include "gui/model/workbench.h"
#include "gui/paths.h"
#include "gui/screenshot.h"
#include "gui/shell.h"
#include "gui/theme.h"
#include "gui/views/about_view.h"
#include "gui/views/link_view.h"
#include "gui/warung.h"
#include "sim/duration.h"
#include "sim/simulation.h"

namespace wmq::gui {
namespace {

using Clock = std::chrono::steady_clock;

// GLSL 1.30 goes with an OpenGL 3.0 context; Mesa's llvmpipe (Xvfb) and every desktop driver
// of the last decade have it. A wrong string still "initialises" and draws nothing, so the
// screenshot test checks pixels.
constexpr const char* kGlslVersion = "#version 130";
constexpr const char* kWindowTitle = "WarungMQ";
constexpr double kDefaultSpeed = 8.0;
constexpr const char* kDefaultBind = "127.0.0.1";
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

// Written whole under another name, then renamed, so a test polling it never reads half a file.
void write_anchors(const std::filesystem::path& file, const nlohmann::json& anchors) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << anchors.dump() << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);  // a failed write shows up as a test waiting in vain
}

std::optional<VariantPreset> preset_named(const std::string& name) {
  for (VariantPreset p : kVariantPresets) {
    if (name == variant_preset_name(p)) return p;
  }
  return std::nullopt;
}

// "cook:grill-1" and the like, against the run's names. Null when nothing matches.
std::optional<Selection> parse_selection(const std::string& text, const sim::Simulation& sim) {
  if (text == "broker") return Selection::broker();
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string kind = text.substr(0, colon), name = text.substr(colon + 1);
  if (kind == "cook") {
    for (const sim::Cook& k : sim.cooks()) {
      if (k.name == name) return Selection::cook(k.index);
    }
  } else if (kind == "cashier") {
    for (const sim::Cashier& c : sim.cashiers()) {
      if (c.name == name) return Selection::cashier(c.index);
    }
  } else if (kind == "queue") {
    return Selection::of_queue(name);
  } else if (kind == "order") {
    char* end = nullptr;
    const unsigned long n = std::strtoul(name.c_str(), &end, 10);
    if (end != nullptr && *end == '\0' && n > 0) return Selection::order(static_cast<uint32_t>(n));
  }
  return std::nullopt;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i =
      std::min(v.size() - 1, static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1);
  return v[i];
}

// Frames left out of the bench figures: the first ones build shaders and the font atlas.
constexpr int kBenchWarmup = 20;

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
  if (options.bench_frames < 0) {
    return invalid("--bench-frames must be 0 or more, got " + std::to_string(options.bench_frames));
  }
  if (options.speed &&
      !(*options.speed >= Player::kSpeeds.front() && *options.speed <= Player::kSpeeds.back())) {
    return invalid("--speed must be 0.25..64, got " + std::to_string(*options.speed));
  }
  if (!options.bind.empty() && !options.listen) {
    return invalid("--bind \"" + options.bind + "\" is the address --listen uses, so it needs " +
                   "--listen PORT");
  }
  if (options.listen && !options.compare.empty()) {
    return invalid(
        "--listen and --compare cannot go together: STOMP clients join one run, and the split "
        "view's second run would have to replay theirs, which a live run cannot do");
  }
  if (options.listen && options.speed && *options.speed != 1.0) {
    char got[32];
    std::snprintf(got, sizeof got, "%g", *options.speed);
    return invalid(std::string("--speed ") + got +
                   ": with --listen the clock follows the wall clock (1x), so leave --speed out");
  }
  if (options.link && !options.scenario.empty()) {
    return invalid("--link names its own lesson, so leave the scenario file out");
  }
  if (options.link && options.listen) {
    return invalid(
        "--link and --listen cannot go together: a link replays a lesson, and a live "
        "run is not replayed");
  }
  if (!options.at.empty()) {
    wmq::Result<Micros> at = sim::parse_duration(options.at);
    if (!at.is_ok()) return invalid("--at: " + at.status().message());
  }
  if (!options.compare.empty() && !preset_named(options.compare)) {
    std::string names;
    for (VariantPreset p : kVariantPresets)
      names += std::string(names.empty() ? "" : ", ") + variant_preset_name(p);
    return invalid("--compare \"" + options.compare + "\" is not a comparison; use one of " +
                   names);
  }
  if (options.vocabulary != "restaurant" && options.vocabulary != "broker") {
    return invalid("--vocabulary must be restaurant or broker, got \"" + options.vocabulary + "\"");
  }
  return wmq::Status::ok();
}

int run_gui(const GuiOptions& given) {
  if (wmq::Status st = check_options(given); !st) return fail(st.message());
  GuiOptions options = given;  // a --link fills in what it holds
#ifdef __GLIBC__
  // Mesa's llvmpipe allocates its vertex and scene buffers anew every frame. With glibc's
  // defaults the heap is trimmed back to the kernel after each frame and faulted in again at
  // the next one, which cost about a fifth of a frame under Xvfb; keeping freed memory
  // instead costs a few megabytes.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif

  // Strings first: a missing asset should fail before a window flashes up.
  std::filesystem::path assets =
      options.assets_dir.empty() ? std::filesystem::path(WMQ_GUI_ASSETS_DIR) : options.assets_dir;
  wmq::Result<I18n> i18n = I18n::load(assets / "i18n", kLanguages, options.language);
  if (!i18n) return fail(i18n.status().message());
  i18n.value().set_vocabulary(options.vocabulary == "broker" ? Vocabulary::kBroker
                                                             : Vocabulary::kRestaurant);

  // The scenario next, for the same reason: a typo in a file should not open a window.
  const std::filesystem::path scenarios_dir = options.scenarios_dir.empty()
                                                  ? std::filesystem::path(WMQ_GUI_SCENARIOS_DIR)
                                                  : options.scenarios_dir;
  Workbench bench;
  const std::string link_problem =
      options.link ? open_link(options, scenarios_dir, i18n.value(), bench) : std::string();
  const std::filesystem::path scenario =
      options.scenario.empty() ? scenarios_dir / "00-sandbox.toml" : options.scenario;
  if (wmq::Status st =
          bench.loaded() ? wmq::Status::ok() : bench.load(scenario.string(), options.seed);
      !st) {
    return fail(st.message());
  }
  if (!options.compare.empty()) {
    if (wmq::Status st =
            bench.set_variant(make_variant(*preset_named(options.compare), bench.scenario()));
        !st) {
      return fail(st.message());
    }
  }
  if (!options.at.empty()) {
    if (wmq::Status st = bench.seek(sim::parse_duration(options.at).value()); !st) {
      return fail(st.message());
    }
  }
  if (!options.select.empty()) {
    std::optional<Selection> sel = parse_selection(options.select, bench.a().sim());
    if (!sel) return fail("--select \"" + options.select + "\" names nothing in this scenario");
    bench.select(*sel);
  }
  bench.set_speed(options.speed.value_or(kDefaultSpeed));
  if (options.listen) {
    sim::ListenOptions lo;
    lo.bind = options.bind.empty() ? std::string(kDefaultBind) : options.bind;
    lo.port = *options.listen;
    lo.log = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
    if (wmq::Status st = bench.listen(lo); !st) return fail(st.message());
    // Tests and scripts read the port from this first line (--listen 0 picks one).
    std::printf("warungmq gui: listening on %s port %u\n", lo.bind.c_str(),
                static_cast<unsigned>(bench.listen_port()));
    std::fflush(stdout);
    // A client that vanished mid-write must not end the class's window.
    std::signal(SIGPIPE, SIG_IGN);
  }
  const bool benching = options.bench_frames > 0;
  const int frame_limit = benching ? options.bench_frames + kBenchWarmup : options.frames;
  if (!options.paused) bench.play();

  g_glfw_error.clear();
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() == GLFW_FALSE) return no_display("cannot start GLFW");
  GlfwSession glfw;

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfw.window = glfwCreateWindow(options.width, options.height, kWindowTitle, nullptr, nullptr);
  if (glfw.window == nullptr) return no_display("cannot open an OpenGL 3.0 window");
  glfwMakeContextCurrent(glfw.window);
  const bool bounded = frame_limit > 0;
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
  // A fixed number of frames is a picture or a measurement: wherever the pointer happens to be
  // (Xvfb puts it mid-screen) must not hover a widget and open a tooltip in it.
  if (bounded) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;

  apply_theme(ImGui::GetStyle());
  Fonts fonts = load_fonts(io);

  if (!ImGui_ImplGlfw_InitForOpenGL(glfw.window, true)) {
    return no_display("cannot attach Dear ImGui to the window");
  }
  imgui.glfw_backend = true;
  if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) return no_display("cannot load OpenGL 3 functions");
  imgui.gl_backend = true;
  // Every glyph is drawn at the size it was rasterised at (the scene snaps to loaded sizes), so
  // the atlas can be sampled nearest-neighbour: one texel fetch a pixel instead of four, which
  // halves the frame time on Mesa's software renderer (llvmpipe) at 1280x720.
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<intptr_t>(io.Fonts->TexID)));
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);

  Shell shell(std::move(i18n).value(), fonts, WMQ_GUI_VERSION);
  shell.add_view(std::make_unique<AboutView>(WMQ_GUI_VERSION));
  WarungUi warung(shell, bench, scenarios_dir);
  if (!link_problem.empty()) warung.links().show_problem(link_problem);
  if (options.projector) shell.queue_set_projector(true);
  shell.commands().apply_all();  // before the first frame, so it is drawn in projector mode
  warung.sync_layout();
  if (options.setup) options.setup(shell);
  std::vector<double> frame_ms;
  Clock::time_point last_frame_start;

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
    if (bounded && shell.frames() >= frame_limit) {
      exit_reason = "frames";
      break;
    }
    if (options.exit_after_ms > 0 && Clock::now() - start >= time_limit) {
      exit_reason = "time-limit";
      break;
    }
    const Clock::time_point frame_start = Clock::now();
    // A frame's time is the whole loop, from one frame's start to the next: input, the
    // simulation, drawing, the GL work and the swap.
    if (benching && shell.frames() > kBenchWarmup) {
      frame_ms.push_back(
          std::chrono::duration<double, std::milli>(frame_start - last_frame_start).count());
    }
    last_frame_start = frame_start;

    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handle_shortcuts(shell);
    shell.draw();
    ImGui::Render();

    glfwGetFramebufferSize(glfw.window, &fb_width, &fb_height);
    glViewport(0, 0, fb_width, fb_height);
    // The clear colour is the windows' paper (projector mode has its own): bare windows show it.
    const ImVec4 paper = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(paper.x, paper.y, paper.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    // Captures read the back buffer, so they happen here: drawn, not yet swapped.
    const bool last_frame = bounded && shell.frames() + 1 == frame_limit;
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
    if (!options.anchors_out.empty()) write_anchors(options.anchors_out, shell.anchors().to_json());
    shell.end_frame();
    // A live run is paced even with --frames: its clock follows the wall clock whatever the
    // frame rate, so racing through frames would only burn the CPU its clients share.
    if (!bounded || (bench.live() && !benching)) {
      std::this_thread::sleep_until(frame_start + kFramePeriod);
    }
  }

  if (!options.state_out.empty()) {
    nlohmann::json state = shell.state_json();
    state["exit_reason"] = exit_reason;
    state["window"] = {{"width", fb_width}, {"height", fb_height}};
    state["version"] = WMQ_GUI_VERSION;
    state["scenario"] = scenario.string();
    state["seed"] = bench.seed();
    wmq::Status st = write_state(options.state_out, state);
    if (!st) status = fail(st.message());
  }
  if (benching) {
    nlohmann::json figures = {
        {"gui_frame_ms_p50", percentile(frame_ms, 0.50)},
        {"gui_frame_ms_p99", percentile(frame_ms, 0.99)},
        {"frames", frame_ms.size()},
        // What the software renderer pays for per primitive, whatever its size.
        {"triangles", ImGui::GetIO().MetricsRenderIndices / 3},
        {"orders_waiting",
         bench.a().charts().waiting.empty() ? 0.0f : bench.a().charts().waiting.back()}};
    std::printf("%s\n", figures.dump().c_str());
  }
  return status;
}

}  // namespace wmq::gui
