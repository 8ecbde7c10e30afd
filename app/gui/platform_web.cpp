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

namespace wmq::gui::platform {

int run_frames(std::unique_ptr<FrameLoop> loop) {
  // 0 frames per second: the browser's animation frames. Not simulating an infinite loop, so
  // main() returns and the page's runtime stays alive with the loop it owns.
  // A loop that asks for no pacing (a fixed number of frames: a test, a bench) runs as fast as
  // the page can, not at the display's refresh rate.
  const bool unpaced = !loop->next_frame_at();
  wmq_report_running();
  emscripten_set_main_loop_arg(one_frame, loop.release(), 0, 0);
  if (unpaced) emscripten_set_main_loop_timing(EM_TIMING_SETIMMEDIATE, 0);
  return 0;
}

const char* glsl_version() {
  return "#version 300 es";
}

void window_hints() {
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

std::filesystem::path user_files_dir() {
  std::filesystem::path dir = "/downloads";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return dir;
}

void offer_file(const std::filesystem::path& file) {
  wmq_download(file.c_str(), file.filename().c_str());
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
