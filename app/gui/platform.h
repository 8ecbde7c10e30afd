// platform: what the desktop window and a page in a browser do differently, and nothing else.
//
// Everything above this layer (the frame, the shell, the views) is one set of sources. Two
// implementations, of which the build links one: platform_desktop.cpp (GLFW on X11/Wayland,
// OpenGL 3) and platform_web.cpp (emscripten: GLFW in JavaScript, WebGL2 on a canvas).
//   - frame driving: a loop paced by the program, or the browser's animation frames;
//   - the window's size: the monitor's work area, or the page's canvas and its pixel ratio;
//   - preferences (imgui.ini): a file in the config directory, or the browser's localStorage;
//   - files meant for the user (screenshots, saved scenarios, reports): left where they were
//     written, or offered as downloads;
//   - the clipboard: GLFW's, or the page's;
//   - the state report: a file (--state-out), and in a page also Module.wmqState() for tests.
//
// Thread-safety: the main thread only, like GLFW.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

struct GLFWwindow;
struct ImGuiIO;

namespace wmq::gui::platform {

// The program as a sequence of frames. The platform calls frame() until it returns false, then
// finish() once, then destroys the loop.
class FrameLoop {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~FrameLoop() = default;
  // Handles input and draws one frame; false once the program is done (no frame was drawn).
  virtual bool frame() = 0;
  // On the desktop, the earliest start of the next frame (pacing); nullopt: at once. A page is
  // paced by the browser and never asks.
  virtual std::optional<Clock::time_point> next_frame_at() const = 0;
  // Measuring frame times (--bench-frames): a page then draws on the browser's animation
  // frames even though nothing paces it, since a frame drawn between them is never shown, and
  // its time would not be a frame's.
  virtual bool benching() const { return false; }
  // After the last frame: writes what is asked on exit; its result is the exit code.
  virtual int finish() = 0;
};

// Desktop: runs the loop to its end, sleeping until next_frame_at() between frames, and returns
// finish()'s code. Web: hands the loop to the browser (one frame per animation frame, never
// sleeping, no Asyncify) and returns 0 at once; the page lives on after main() returns, and
// finish() runs after the last frame.
int run_frames(std::unique_ptr<FrameLoop> loop);

// The GLSL version line ImGui's OpenGL 3 backend compiles its shaders with: "#version 130"
// (OpenGL 3.0) or "#version 300 es" (WebGL2).
const char* glsl_version();

// Asks for the kind of context the platform draws with (before glfwCreateWindow).
void window_hints();

// The window size to open with, for a request of width x height screen pixels: on the desktop at
// most the primary monitor's work area (a 1024x768 projector gets a window that fits); in a page
// the size of the canvas in device pixels, whatever was asked.
void fit_initial_size(int& width, int& height);

// At the start of each frame: in a page, follows the browser window's size and device pixel
// ratio (the canvas keeps one pixel per device pixel, so text stays crisp). Nothing on the
// desktop, where the user resizes the window.
void follow_page_size(GLFWwindow* window);

// Where the window layout (imgui.ini) is kept; call once after ImGui::CreateContext. Desktop:
// $XDG_CONFIG_HOME/warungmq/imgui.ini (or ~/.config/warungmq/), written by ImGui itself, with a
// line on stderr when there is no usable directory. Web: the page's localStorage.
void start_preferences(ImGuiIO& io);
// After each frame: in a page, stores the layout when ImGui says it changed. Nothing on the
// desktop (ImGui writes its file).
void keep_preferences(ImGuiIO& io);

// Routes ImGui's clipboard to the page's (navigator.clipboard) in a browser; GLFW's backend
// already does it on the desktop.
void install_clipboard(ImGuiIO& io);

// Mouse wheels in a page, after the GLFW backend: emscripten's GLFW hands ImGui the browser's
// wheel deltas as they are (pixels, with the browser's sign), so the wheel scrolled lists up
// when turned down, a hundred notches at a time. In a page the wheel reaches ImGui in notches
// with GLFW's sign, as on the desktop. Nothing on the desktop.
void install_wheel();

// Where user files go (F12 screenshots): the working directory on the desktop, a scratch folder
// of the page's in-memory file system in a browser.
std::filesystem::path user_files_dir();
// A file the program just wrote for the user. Desktop: nothing (it is where it was written).
// Web: the browser offers it as a download under its file name.
void offer_file(const std::filesystem::path& file);

// True where files meant for the user become downloads (a page): the Save and Export boxes then
// take a file name, written under user_files_dir() and offered. False on the desktop, where they
// take a path and the file stays there.
bool files_are_downloads();

// Opening a scenario from the reader's own computer. In a page: pick_file() opens the browser's
// file picker (call it while handling a click: browsers open pickers only then), and a file
// picked there or dropped on the page is copied into the page's file system (/uploads/NAME) and
// handed to `opened` between frames. On the desktop there is no picker (a file is opened by its
// path): can_pick_files() is false and the other two do nothing.
bool can_pick_files();
void set_file_handler(std::function<void(const std::filesystem::path&)> opened);
void pick_file();

// How many device pixels the UI spends on one of its pixels: the page's devicePixelRatio (2 on
// most phones and high-density laptops, and what the browser's zoom changes), so text is drawn
// as large as elsewhere on the page and as crisp as the screen allows. 1 on the desktop.
float pixel_ratio();

// The page's own address without its query and fragment ("https://host/warungmq/index.html"):
// what a link to a moment is put after, so File > Copy a link gives a whole address. Empty on
// the desktop, where a link is its fragment alone.
std::string page_address();

// Keeps one of the reader's preferences (language, projector) for the next visit: in a page,
// localStorage "warungmq.<key>", which index.html turns back into --lang / --projector. Nothing
// on the desktop, where the command line says them.
void remember(const std::string& key, const std::string& value);

// In a page, Module.wmqState() returns what `state` returns (the --state-out report) for the
// page's tests. Nothing on the desktop. An empty function withdraws it.
void publish_state(std::function<std::string()> state);

}  // namespace wmq::gui::platform
