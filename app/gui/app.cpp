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
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/fonts.h"
#include "gui/i18n.h"
#include "gui/link_open.h"
#include "gui/model/variant.h"
#include "gui/model/workbench.h"
#include "gui/paths.h"
#include "gui/platform.h"
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

constexpr const char* kWindowTitle = "WarungMQ";
constexpr double kDefaultSpeed = 8.0;
constexpr const char* kDefaultBind = "127.0.0.1";
const std::vector<std::string> kLanguages = {"en", "id"};
// Interactive frames are paced to about 60 per second even where vsync is a no-op (Xvfb), so
// an idle window does not spin a shared CPU.
constexpr auto kFramePeriod = std::chrono::microseconds(16'667);

// The UI's fonts at a pixel ratio of 1 (times the ratio in a page on a high-density screen).
constexpr float kBodyPx = 17.0f;
constexpr float kHeadingPx = 23.0f;

// The ratio the UI is drawn at: the page's, in twentieths (a ratio that wobbles in its last
// digits does not rebuild the fonts), from half size (a page zoomed out) to three times (a
// phone; beyond that the font atlas outgrows what every WebGL allows).
float ui_scale_for(float pixel_ratio) {
  const float r = std::clamp(pixel_ratio, 0.5f, 3.0f);
  return std::round(r * 20.0f) / 20.0f;
}

// Every glyph is drawn at the size it was rasterised at (the scene snaps to loaded sizes), so
// the atlas can be sampled nearest-neighbour: one texel fetch a pixel instead of four, which
// halves the frame time on Mesa's software renderer (llvmpipe) at 1280x720.
void sample_font_atlas_nearest(const ImGuiIO& io) {
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<intptr_t>(io.Fonts->TexID)));
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
}

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
  if (!options.listen && (!options.users.empty() || options.allow_anyone)) {
    return invalid(std::string(options.users.empty() ? "--allow-anyone" : "--users") +
                   " says who may connect to --listen, so it needs --listen PORT");
  }
  if (!options.users.empty() && options.allow_anyone) {
    return invalid(
        "--users and --allow-anyone cannot go together: a users file lets in only "
        "its logins");
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

namespace {

// The window, its Dear ImGui and the warung: everything a frame needs, alive from open() to the
// end of finish(). The platform layer drives it (platform.h): a paced loop on the desktop, the
// browser's animation frames in a page.
class GuiLoop final : public platform::FrameLoop {
 public:
  explicit GuiLoop(const GuiOptions& options) : options_(options) {}

  // Everything before the first frame: strings, scenario, window, ImGui, the shell. kExitOk, or
  // the code run_gui returns (its message already on stderr).
  int open();
  bool frame() override;
  std::optional<Clock::time_point> next_frame_at() const override;
  bool benching() const override { return benching_; }
  int finish() override;

 private:
  // What --state-out writes (app.h), "exit_reason" "running" until the last frame.
  nlohmann::json state_report() const;
  // Rebuilds the fonts and the theme when the page's pixel ratio changed since the last frame.
  void follow_pixel_ratio();

  GuiOptions options_;  // a --link fills in what it holds (open())
  std::filesystem::path scenarios_dir_;
  std::filesystem::path scenario_;
  // Destroyed in reverse: the warung and the shell before ImGui, ImGui before GLFW.
  Workbench bench_;
  std::optional<GlfwSession> glfw_;
  std::optional<ImGuiSession> imgui_;
  std::unique_ptr<Shell> shell_;
  std::unique_ptr<WarungUi> warung_;

  // The reader's choices as last kept (platform::remember): only a change the reader makes is
  // kept, not what a link or the address asked for.
  std::string kept_language_;
  bool kept_projector_ = false;

  bool benching_ = false;
  bool bounded_ = false;  // a fixed number of frames: a test or a recording, run unpaced
  int frame_limit_ = 0;
  std::vector<double> frame_ms_;
  std::vector<double> busy_ms_;  // of each, the frame function's own time (to its end)
  Clock::time_point start_;
  Clock::time_point frame_start_;
  Clock::time_point last_frame_start_;
  int status_ = kExitOk;
  std::string exit_reason_;
  int fb_width_ = 0;
  int fb_height_ = 0;
};

int GuiLoop::open() {
  if (wmq::Status st = check_options(options_); !st) return fail(st.message());
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
      options_.assets_dir.empty() ? std::filesystem::path(WMQ_GUI_ASSETS_DIR) : options_.assets_dir;
  wmq::Result<I18n> i18n = I18n::load(assets / "i18n", kLanguages, options_.language);
  if (!i18n) return fail(i18n.status().message());
  i18n.value().set_vocabulary(options_.vocabulary == "broker" ? Vocabulary::kBroker
                                                              : Vocabulary::kRestaurant);

  // The scenario next, for the same reason: a typo in a file should not open a window.
  scenarios_dir_ = options_.scenarios_dir.empty() ? std::filesystem::path(WMQ_GUI_SCENARIOS_DIR)
                                                  : options_.scenarios_dir;
  const std::string link_problem =
      options_.link ? open_link(options_, scenarios_dir_, i18n.value(), bench_) : std::string();
  scenario_ = options_.scenario.empty() ? scenarios_dir_ / "00-sandbox.toml" : options_.scenario;
  if (wmq::Status st =
          bench_.loaded() ? wmq::Status::ok() : bench_.load(scenario_.string(), options_.seed);
      !st) {
    return fail(st.message());
  }
  if (!options_.compare.empty()) {
    if (wmq::Status st =
            bench_.set_variant(make_variant(*preset_named(options_.compare), bench_.scenario()));
        !st) {
      return fail(st.message());
    }
  }
  if (!options_.at.empty()) {
    if (wmq::Status st = bench_.seek(sim::parse_duration(options_.at).value()); !st) {
      return fail(st.message());
    }
  }
  if (!options_.select.empty()) {
    std::optional<Selection> sel = parse_selection(options_.select, bench_.a().sim());
    if (!sel) return fail("--select \"" + options_.select + "\" names nothing in this scenario");
    bench_.select(*sel);
  }
  bench_.set_speed(options_.speed.value_or(kDefaultSpeed));
  if (options_.listen) {
    sim::ListenOptions lo;
    lo.bind = options_.bind.empty() ? std::string(kDefaultBind) : options_.bind;
    lo.port = *options_.listen;
    lo.users_file = options_.users;
    lo.allow_anyone = options_.allow_anyone;
    lo.max_memory = options_.max_memory;
    lo.log = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
    lo.warn = [](std::string_view line) {
      std::fprintf(stderr, "warungmq gui: %.*s\n", static_cast<int>(line.size()), line.data());
    };
    if (wmq::Status st = bench_.listen(lo); !st) return fail(st.message());
    // Tests and scripts read the port from this first line (--listen 0 picks one).
    std::printf("warungmq gui: listening on %s port %u\n", lo.bind.c_str(),
                static_cast<unsigned>(bench_.listen_port()));
    std::fflush(stdout);
    // A client that vanished mid-write must not end the class's window.
    std::signal(SIGPIPE, SIG_IGN);
  }
  benching_ = options_.bench_frames > 0;
  frame_limit_ = benching_ ? options_.bench_frames + kBenchWarmup : options_.frames;
  if (!options_.paused) bench_.play();

  g_glfw_error.clear();
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() == GLFW_FALSE) return no_display("cannot start GLFW");
  glfw_.emplace();

  platform::window_hints();
  int width = options_.width, height = options_.height;
  platform::fit_initial_size(width, height);
  glfw_->window = glfwCreateWindow(width, height, kWindowTitle, nullptr, nullptr);
  if (glfw_->window == nullptr) return no_display("cannot open an OpenGL 3.0 window");
  glfwMakeContextCurrent(glfw_->window);
  bounded_ = frame_limit_ > 0;
  // A fixed number of frames is a test or a recording: render them as fast as possible.
  glfwSwapInterval(bounded_ ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  imgui_.emplace();
  ImGuiIO& io = ImGui::GetIO();
  platform::start_preferences(io);
  // A fixed number of frames is a picture or a measurement: wherever the pointer happens to be
  // (Xvfb puts it mid-screen) must not hover a widget and open a tooltip in it.
  if (bounded_) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;

  const float scale = ui_scale_for(platform::pixel_ratio());
  apply_theme(ImGui::GetStyle(), false, scale);
  Fonts fonts = load_fonts(io, default_font_files(), kBodyPx, kHeadingPx, scale);

  if (!ImGui_ImplGlfw_InitForOpenGL(glfw_->window, true)) {
    return no_display("cannot attach Dear ImGui to the window");
  }
  imgui_->glfw_backend = true;
  platform::install_clipboard(io);  // after the backend, which installs GLFW's
  platform::install_wheel();
  if (!ImGui_ImplOpenGL3_Init(platform::glsl_version())) {
    return no_display("cannot load OpenGL 3 functions");
  }
  imgui_->gl_backend = true;
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  sample_font_atlas_nearest(io);

  shell_ = std::make_unique<Shell>(std::move(i18n).value(), fonts, WMQ_GUI_VERSION);
  if (scale != 1.0f) shell_->set_fonts(fonts, scale);
  shell_->add_view(std::make_unique<AboutView>(WMQ_GUI_VERSION));
  warung_ = std::make_unique<WarungUi>(*shell_, bench_, scenarios_dir_);
  if (!link_problem.empty()) warung_->links().show_problem(link_problem);
  warung_->links().set_base_url(platform::page_address());
  if (options_.projector) shell_->queue_set_projector(true);
  shell_->commands().apply_all();  // before the first frame, so it is drawn in projector mode
  warung_->sync_layout();
  if (options_.setup) options_.setup(*shell_);
  kept_language_ = shell_->i18n().language();
  kept_projector_ = shell_->projector();
  platform::publish_state([this] { return state_report().dump(2); });
  start_ = Clock::now();
  return kExitOk;
}

bool GuiLoop::frame() {
  if (glfwWindowShouldClose(glfw_->window)) {
    exit_reason_ = "window-closed";
    return false;
  }
  if (shell_->quit_requested()) {
    exit_reason_ = "quit-command";
    return false;
  }
  if (bounded_ && shell_->frames() >= frame_limit_) {
    exit_reason_ = "frames";
    return false;
  }
  if (options_.exit_after_ms > 0 &&
      Clock::now() - start_ >= std::chrono::milliseconds(options_.exit_after_ms)) {
    exit_reason_ = "time-limit";
    return false;
  }
  frame_start_ = Clock::now();
  // A frame's time is the whole loop, from one frame's start to the next: input, the
  // simulation, drawing, the GL work and the swap.
  if (benching_ && shell_->frames() > kBenchWarmup) {
    frame_ms_.push_back(
        std::chrono::duration<double, std::milli>(frame_start_ - last_frame_start_).count());
  }
  last_frame_start_ = frame_start_;

  glfwPollEvents();
  platform::follow_page_size(glfw_->window);
  follow_pixel_ratio();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // Two frames can share a timestamp (a browser's frozen or virtual clock, a coarse timer), and
  // ImGui asserts on a zero step.
  ImGuiIO& io = ImGui::GetIO();
  if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1e-4f;
  ImGui::NewFrame();
  handle_shortcuts(*shell_);
  shell_->draw();
  ImGui::Render();

  glfwGetFramebufferSize(glfw_->window, &fb_width_, &fb_height_);
  glViewport(0, 0, fb_width_, fb_height_);
  // The clear colour is the windows' paper (projector mode has its own): bare windows show it.
  const ImVec4 paper = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(paper.x, paper.y, paper.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  // Captures read the back buffer, so they happen here: drawn, not yet swapped.
  const bool last_frame = bounded_ && shell_->frames() + 1 == frame_limit_;
  if (last_frame && !options_.screenshot.empty()) {
    wmq::Status st = save_framebuffer_png(options_.screenshot, fb_width_, fb_height_);
    if (!st) status_ = fail(st.message());
  }
  if (shell_->take_screenshot_request()) {
    std::filesystem::path file =
        new_screenshot_path(platform::user_files_dir(), std::time(nullptr));
    wmq::Status st = save_framebuffer_png(file, fb_width_, fb_height_);
    shell_->report_screenshot(file, st);
    if (st) {
      std::printf("warungmq gui: screenshot saved to %s\n", file.c_str());
      platform::offer_file(file);
    } else {
      std::fprintf(stderr, "warungmq gui: %s\n", st.message().c_str());
    }
  }

  glfwSwapBuffers(glfw_->window);
  platform::keep_preferences(io);
  if (shell_->i18n().language() != kept_language_) {
    kept_language_ = shell_->i18n().language();
    platform::remember("language", kept_language_);
  }
  if (shell_->projector() != kept_projector_) {
    kept_projector_ = shell_->projector();
    platform::remember("projector", kept_projector_ ? "1" : "0");
  }
  if (!options_.anchors_out.empty()) {
    write_anchors(options_.anchors_out, shell_->anchors().to_json());
  }
  shell_->end_frame();
  if (benching_ && shell_->frames() > kBenchWarmup + 1) {
    busy_ms_.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - frame_start_).count());
  }
  return true;
}

std::optional<platform::FrameLoop::Clock::time_point> GuiLoop::next_frame_at() const {
  // A live run is paced even with --frames: its clock follows the wall clock whatever the frame
  // rate, so racing through frames would only burn the CPU its clients share.
  if (!bounded_ || (bench_.live() && !benching_)) return frame_start_ + kFramePeriod;
  return std::nullopt;
}

double overdraw(const ImDrawData* data) {
  if (data == nullptr || data->DisplaySize.x <= 0 || data->DisplaySize.y <= 0) return 0;
  double area = 0;
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    for (int i = 0; i + 2 < list->IdxBuffer.Size; i += 3) {
      const ImVec2 a = list->VtxBuffer[list->IdxBuffer[i]].pos;
      const ImVec2 b = list->VtxBuffer[list->IdxBuffer[i + 1]].pos;
      const ImVec2 c = list->VtxBuffer[list->IdxBuffer[i + 2]].pos;
      area += std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2;
    }
  }
  return area / (static_cast<double>(data->DisplaySize.x) * data->DisplaySize.y);
}

int draw_calls(const ImDrawData* data) {
  if (data == nullptr) return 0;
  int n = 0;
  for (int l = 0; l < data->CmdListsCount; ++l)
    n += data->CmdLists[l]->CmdBuffer.Size;
  return n;
}

void GuiLoop::follow_pixel_ratio() {
  const float scale = ui_scale_for(platform::pixel_ratio());
  if (scale == shell_->ui_scale()) return;
  // The browser's zoom or a move to another screen: the glyphs are rasterised again at the new
  // size (a scaled atlas would blur, or with nearest sampling break up) and the theme's sizes
  // follow, between frames.
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  io.Fonts->Clear();
  Fonts fonts = load_fonts(io, default_font_files(), kBodyPx, kHeadingPx, scale);
  ImGui_ImplOpenGL3_CreateFontsTexture();
  sample_font_atlas_nearest(io);
  shell_->set_fonts(fonts, scale);
}

nlohmann::json GuiLoop::state_report() const {
  nlohmann::json state = shell_->state_json();
  state["exit_reason"] = exit_reason_.empty() ? std::string("running") : exit_reason_;
  state["window"] = {{"width", fb_width_}, {"height", fb_height_}};
  state["ui_scale"] = shell_->ui_scale();
  // Every glyph of every size: WebGL refuses a texture over its MAX_TEXTURE_SIZE (8,192 with
  // SwiftShader), and then draws nothing but blocks.
  const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  state["font_atlas"] = {{"width", atlas.TexWidth}, {"height", atlas.TexHeight}};
  state["version"] = WMQ_GUI_VERSION;
  state["scenario"] = scenario_.string();
  state["seed"] = bench_.seed();
  return state;
}

int GuiLoop::finish() {
  platform::publish_state({});
  if (!options_.state_out.empty()) {
    wmq::Status st = write_state(options_.state_out, state_report());
    if (!st) status_ = fail(st.message());
  }
  if (benching_) {
    nlohmann::json figures = {
        {"gui_frame_ms_p50", percentile(frame_ms_, 0.50)},
        {"gui_frame_ms_p99", percentile(frame_ms_, 0.99)},
        // The frame function alone: input, the simulation, the views and the GL calls (on the
        // desktop the swap too), without the time until the next frame starts (in a page, the
        // browser's drawing and showing of this one).
        {"gui_frame_busy_ms_p50", percentile(busy_ms_, 0.50)},
        {"frames", frame_ms_.size()},
        // What the software renderer pays for per primitive, whatever its size.
        {"triangles", ImGui::GetIO().MetricsRenderIndices / 3},
        // ... and per pixel: the triangles' area over the window's (1 = every pixel drawn once).
        {"overdraw", overdraw(ImGui::GetDrawData())},
        // ... and per draw call (a WebGL call crosses into the browser's GPU process).
        {"draw_calls", draw_calls(ImGui::GetDrawData())},
        {"orders_waiting",
         bench_.a().charts().waiting.empty() ? 0.0f : bench_.a().charts().waiting.back()}};
    std::printf("%s\n", figures.dump().c_str());
  }
  return status_;
}

}  // namespace

int run_gui(const GuiOptions& options) {
  auto loop = std::make_unique<GuiLoop>(options);
  if (int code = loop->open(); code != kExitOk) return code;
  return platform::run_frames(std::move(loop));
}

}  // namespace wmq::gui
