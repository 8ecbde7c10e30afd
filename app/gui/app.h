// run_gui: the WarungMQ window — GLFW, OpenGL 3, Dear ImGui and the Shell.
//
// Interactive by default (vsync on, runs until the window is closed or File >
// Quit). For tests and demos it can render a fixed number of frames, save the
// last one as PNG, stop after a time limit, and report its state as JSON.
//
// Thread-safety: call from the main thread only (GLFW requires it), once at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "broker/status.h"

namespace wmq::gui {

class Shell;

// Exit codes of run_gui.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // bad option, unreadable assets, a file not written
inline constexpr int kExitNoDisplay = 2;  // no display, or no OpenGL 3 context on it

struct GuiOptions {
  std::filesystem::path scenario;         // scenario to open; empty = scenarios/00-sandbox.toml
  std::optional<std::uint64_t> seed;      // the simulator's seed; default: the scenario's own
  std::string at;                         // start at this virtual time ("6m"); empty = 0
  bool paused = false;                    // start paused (tests); default: playing
  std::optional<double> speed;            // virtual seconds per real second (0.25 .. 64);
                                          // unset: 8, or 1 with --listen
  std::string compare;                    // start in the split view with this preset ("transient")
  std::string select;                     // start with this selected: "cook:grill-1", "order:12",
                                          // "cashier:cashier-1", "queue:grill" or "broker"
  bool projector = false;                 // start in projector mode
  std::string vocabulary = "restaurant";  // "restaurant" or "broker"
  int frames = 0;                         // render this many frames then exit; 0 = run until closed
  std::filesystem::path screenshot;       // with frames > 0: save the last frame here as PNG
  std::filesystem::path state_out;        // on exit, write the state report (JSON) here
  std::string language = "en";            // "en" or "id"; switchable at run time
  int width = 1280;                       // window size in screen pixels
  int height = 720;
  int exit_after_ms = 0;                // also stop after this long; 0 = no time limit
  std::filesystem::path assets_dir;     // empty = the source tree's assets/ (set at build time)
  std::filesystem::path scenarios_dir;  // the picker's list; empty = the source tree's scenarios/
  // Rewritten after every frame with the anchors (JSON), for tests that click what only
  // appears after a click (a popup's items).
  std::filesystem::path anchors_out;
  // Render this many frames unpaced, then print frame-time percentiles (bench mode).
  int bench_frames = 0;
  // Open the scene's broker to STOMP clients on this port (0: any free one) before the first
  // frame. The run is then live: its clock follows the wall clock at 1x and it cannot be
  // replayed (workbench.h). The first line on stdout names the port.
  std::optional<std::uint16_t> listen;
  std::string bind;  // the address --listen listens on; empty = 127.0.0.1
  // Who may come in, as for `warungmq serve` (stomp/door.h): a --bind other than loopback
  // needs a users file clients log in with, or allow_anyone (printed as a warning).
  std::string users;
  bool allow_anyone = false;
  // Bytes messages may hold before the STOMP programs that publish are paused, as `warungmq
  // serve --max-memory` (0: no limit). The broker panel shows the alarm.
  size_t max_memory = 0;
  // Open this moment (gui/model/link.h: "v1/03-a-cook-faints?t=1m45s&paused", with or without
  // '#', or a whole address): the lesson, its seed and clicks replayed to the time, and the
  // link's player, language, words and projector over the options above. A broken link opens
  // the sandbox as the options say and tells why in `language` (link_open.h).
  std::optional<std::string> link;
  // Called once with the shell before the first frame, after the About view was added: the
  // place to add views and state writers (phase 2: the simulator's). May be empty.
  std::function<void(Shell&)> setup;
};

// Checks the options run_gui can judge before opening anything: kInvalid naming the option,
// e.g. "--screenshot saves the last frame, so it needs --frames N", a bad --at duration, an
// unknown --compare preset, --vocabulary or --select; --bind, --users or --allow-anyone without
// --listen, or --users with --allow-anyone; --listen with
// --compare (the split view needs two runs that replay the same clicks, and STOMP clients
// join one) or with a --speed other than 1; --link with a scenario (a link names its own) or with
// --listen (a live run is not replayed).
wmq::Status check_options(const GuiOptions& options);

// Opens the window and runs the GUI until it is closed, quit, or a frame/time limit is reached.
// Returns kExitOk on success; kExitNoDisplay with a message on stderr when no window or GL
// context can be created (no $DISPLAY, no GL 3); kExitFailed with a message for anything else
// that stops it (bad option, missing language file, a --listen that cannot listen: a
// direct-mode scenario or a port in use, screenshot or state file not written).
// With --listen, the first line on stdout is "warungmq gui: listening on ADDR port N" (before
// the window opens), and frames are paced to the display even when --frames bounds them (the
// clock follows the wall clock anyway).
// The window layout is kept in $XDG_CONFIG_HOME/warungmq/imgui.ini (or ~/.config/warungmq/),
// never in the working directory. F12 saves a screenshot in the working directory.
// In a browser (platform.h, platform_web.cpp) the same frames are driven by the page: run_gui
// returns kExitOk once the window is open and the frames go on after main() returns; the
// layout lives in localStorage, F12 screenshots become downloads, and the state report is also
// Module.wmqState() (with "exit_reason" "running" until the last frame).
// The --state-out report is Shell::state_json() plus "exit_reason" ("frames", "time-limit",
// "quit-command" or "window-closed"), "window" (framebuffer size), "version", "scenario" (the
// path), "seed", and "sim" (model/state_json.h). With bench_frames, the last line on stdout is
// {"gui_frame_ms_p50": .., "gui_frame_ms_p99": .., "frames": .., "triangles": .. (the last
// frame's)}.
int run_gui(const GuiOptions& options);

}  // namespace wmq::gui
