// The browser side of platform.h: emscripten's JavaScript GLFW on the page's canvas, WebGL2.
//
// The page (app/gui/web/index.html) sizes the canvas with CSS to the whole window; this file
// keeps its backing store at one pixel per device pixel and drives the frames.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <GLFW/glfw3.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "gui/platform.h"

namespace {

// The EM_JS bodies are JavaScript that passes through the C preprocessor: clang-format would
// split `===` and the like, so it leaves them alone.
// clang-format off

// The canvas's CSS size times the device pixel ratio: the pixels the page really shows.
EM_JS(void, wmq_page_pixels, (int* width, int* height), {
  const canvas = Module['canvas'];
  const ratio = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round((rect.width || window.innerWidth) * ratio));
  const h = Math.max(1, Math.round((rect.height || window.innerHeight) * ratio));
  HEAP32[width >> 2] = w;
  HEAP32[height >> 2] = h;
});

// localStorage may be missing or refuse (private windows, storage off): the layout is then
// simply not remembered.
EM_JS(char*, wmq_storage_get, (const char* key), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    if (value == null) return 0;
    const size = lengthBytesUTF8(value) + 1;
    const p = _malloc(size);
    stringToUTF8(value, p, size);
    return p;
  } catch (e) {
    return 0;
  }
});

EM_JS(void, wmq_storage_set, (const char* key, const char* value), {
  try {
    window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value));
  } catch (e) {
  }
});

EM_JS(void, wmq_clipboard_write, (const char* text), {
  const s = UTF8ToString(text);
  Module['wmqClipboard'] = s;  // what a test (or a page without clipboard access) reads
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(s).catch(function(){});
  }
});

// The file's bytes as a Blob behind a link that is clicked at once: the browser's download.
EM_JS(void, wmq_download, (const char* path, const char* name), {
  const bytes = FS.readFile(UTF8ToString(path));
  const url = URL.createObjectURL(new Blob([bytes]));
  const a = document.createElement('a');
  a.href = url;
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function() { URL.revokeObjectURL(url); }, 10000);
  // What was offered, newest last: for tests, and for pages that want to list them.
  Module['wmqDownloads'] = Module['wmqDownloads'] || [];
  Module['wmqDownloads'].push({name: UTF8ToString(name), size: bytes.length,
                               head: Array.from(bytes.subarray(0, 8))});
});

// The reader's own scenario files: a hidden file input (the browser's picker) and files dropped
// anywhere on the page. Either is copied into the in-memory file system under /uploads and handed
// to the program by its path there (wmq_file_opened), between frames.
EM_JS(void, wmq_install_file_input, (), {
  function open(file) {
    file.arrayBuffer().then(function(buffer) {
      // A bare file name: no folder of the reader's reaches the page's file system.
      const name = (file.name || 'scenario.toml').split('/').join('_')
                       .split(String.fromCharCode(92)).join('_');
      try { FS.mkdir('/uploads'); } catch (e) {}
      const path = '/uploads/' + name;
      FS.writeFile(path, new Uint8Array(buffer));
      const size = lengthBytesUTF8(path) + 1;
      const p = _malloc(size);
      stringToUTF8(path, p, size);
      _wmq_file_opened(p);
      _free(p);
    });
  }
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'wmq-file-picker';
  input.accept = '.toml,text/plain';
  input.style.display = 'none';
  input.addEventListener('change', function() {
    if (input.files.length > 0) open(input.files[0]);
    input.value = '';  // the same file picked again is a change too
  });
  document.body.appendChild(input);
  window.addEventListener('dragover', function(e) { e.preventDefault(); });
  window.addEventListener('drop', function(e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length > 0) open(e.dataTransfer.files[0]);
  });
});

EM_JS(void, wmq_open_file_picker, (), {
  const input = document.getElementById('wmq-file-picker');
  if (input) input.click();
});

// Ahead of emscripten's GLFW (the window's capture phase comes before the canvas's listeners):
// the wheel in notches, positive when turned away from the reader (up), as GLFW reports it.
EM_JS(void, wmq_install_wheel, (), {
  window.addEventListener('wheel', function(e) {
    if (e.target !== Module['canvas']) return;
    const per = e.deltaMode === 1 ? 3 : e.deltaMode === 2 ? 1 : 100;  // lines, pages, pixels
    e.stopPropagation();
    e.preventDefault();
    _wmq_wheel(-e.deltaX / per, -e.deltaY / per);
  }, {capture: true, passive: false});
});

EM_JS(double, wmq_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });

EM_JS(char*, wmq_page_address, (), {
  const s = window.location.origin + window.location.pathname;
  const size = lengthBytesUTF8(s) + 1;
  const p = _malloc(size);
  stringToUTF8(s, p, size);
  return p;
});

EM_JS(void, wmq_report_running, (), { Module['wmqRunning'] = true; });

EM_JS(void, wmq_report_exit, (int code), {
  Module['wmqRunning'] = false;
  Module['wmqExitCode'] = code;
  if (Module['wmqOnExit']) Module['wmqOnExit'](code);
});

// clang-format on

constexpr const char* kIniKey = "warungmq.imgui.ini";

std::string g_clipboard;
std::function<void(const std::filesystem::path&)> g_file_opened;
std::function<std::string()> g_state;
std::string g_state_text;  // kept between wmq_state_json calls so the pointer stays valid

void one_frame(void* arg) {
  auto* loop = static_cast<wmq::gui::platform::FrameLoop*>(arg);
  if (loop->frame()) return;
  emscripten_cancel_main_loop();
  wmq_report_exit(loop->finish());
  delete loop;
}

const char* get_clipboard(void*) {
  return g_clipboard.c_str();
}

void set_clipboard(void*, const char* text) {
  g_clipboard = text != nullptr ? text : "";
  wmq_clipboard_write(g_clipboard.c_str());
}

}  // namespace

// For the page's tests: Module.wmqState() parses this (index.html). The text stays valid until
// the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* wmq_state_json() {
  g_state_text = g_state ? g_state() : std::string("null");
  return g_state_text.c_str();
}

// A file the reader picked or dropped, now at `path` in the page's file system.
extern "C" EMSCRIPTEN_KEEPALIVE void wmq_file_opened(const char* path) {
  if (g_file_opened) g_file_opened(path);
}

// The wheel, in notches (see install_wheel).
extern "C" EMSCRIPTEN_KEEPALIVE void wmq_wheel(double dx, double dy) {
  ImGuiIO& io = ImGui::GetIO();
  io.MouseWheelH += static_cast<float>(dx);
  io.MouseWheel += static_cast<float>(dy);
}

namespace wmq::gui::platform {

int run_frames(std::unique_ptr<FrameLoop> loop) {
  // 0 frames per second: the browser's animation frames. Not simulating an infinite loop, so
  // main() returns and the page's runtime stays alive with the loop it owns.
  // A loop that asks for no pacing (a fixed number of frames: a test) runs as fast as the page
  // can, not at the display's refresh rate; a bench keeps to the animation frames (FrameLoop::
  // benching), which its browser runs as fast as it can show them (web_figures.py).
  const bool unpaced = !loop->next_frame_at() && !loop->benching();
  wmq_report_running();
  emscripten_set_main_loop_arg(one_frame, loop.release(), 0, 0);
  if (unpaced) emscripten_set_main_loop_timing(EM_TIMING_SETIMMEDIATE, 0);
  return 0;
}

const char* glsl_version() {
  return "#version 300 es";
}

void window_hints() {
  // An opaque canvas with no depth, stencil or multisampling (ImGui draws 2D triangles in
  // order): the browser composites it as a copy, not a blend, which a software renderer (the
  // SwiftShader of headless chromium, a Chromebook without a GPU) pays for at every pixel.
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  glfwWindowHint(GLFW_SAMPLES, 0);
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
}

void fit_initial_size(int& width, int& height) {
  wmq_page_pixels(&width, &height);
}

void follow_page_size(GLFWwindow* window) {
  int want_w = 0, want_h = 0, w = 0, h = 0;
  wmq_page_pixels(&want_w, &want_h);
  glfwGetWindowSize(window, &w, &h);
  if (w != want_w || h != want_h) glfwSetWindowSize(window, want_w, want_h);
}

void start_preferences(ImGuiIO& io) {
  io.IniFilename = nullptr;  // no file: the layout lives in localStorage
  if (char* ini = wmq_storage_get(kIniKey)) {
    ImGui::LoadIniSettingsFromMemory(ini, std::strlen(ini));
    std::free(ini);
  }
}

void keep_preferences(ImGuiIO& io) {
  if (!io.WantSaveIniSettings) return;
  wmq_storage_set(kIniKey, ImGui::SaveIniSettingsToMemory());
  io.WantSaveIniSettings = false;
}

void install_clipboard(ImGuiIO& io) {
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  io.ClipboardUserData = nullptr;
}

void install_wheel() {
  wmq_install_wheel();
}

std::filesystem::path user_files_dir() {
  std::filesystem::path dir = "/downloads";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return dir;
}

void offer_file(const std::filesystem::path& file) {
  wmq_download(file.c_str(), file.filename().c_str());
}

bool files_are_downloads() {
  return true;
}

bool can_pick_files() {
  return true;
}

void set_file_handler(std::function<void(const std::filesystem::path&)> opened) {
  static bool installed = false;
  if (!installed) wmq_install_file_input();
  installed = true;
  g_file_opened = std::move(opened);
}

void pick_file() {
  wmq_open_file_picker();
}

float pixel_ratio() {
  return static_cast<float>(wmq_device_pixel_ratio());
}

void publish_state(std::function<std::string()> state) {
  g_state = std::move(state);
}

std::string page_address() {
  char* text = wmq_page_address();
  std::string address = text;
  std::free(text);
  return address;
}

void remember(const std::string& key, const std::string& value) {
  wmq_storage_set(("warungmq." + key).c_str(), value.c_str());
}

}  // namespace wmq::gui::platform
