# Shared helpers for the GUI test scripts (sourced, not run).

XVFB_SCREEN="-screen 0 1280x720x24"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip_unless() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "SKIP: $1 is not installed (apt-get install $2)"
    exit 77
  }
}

# A fresh working directory and settings directory, so no imgui.ini from an earlier run moves
# the windows the test looks at.
fresh_dir() {
  rm -rf "$1"
  mkdir -p "$1/config"
  export XDG_CONFIG_HOME="$1/config"
}

# json_get FILE EXPR: prints the Python expression EXPR evaluated on the JSON in FILE (as `s`).
json_get() {
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# frames_pass [N]: waits until the window has drawn N more frames (default 2), or 20 s. A
# session that starts the GUI with --anchors-out "$WMQ_ANCHORS" is followed frame by frame (the
# file is rewritten after every frame); without it, a fixed pause stands in. Counting frames
# instead of sleeping keeps the sessions right on a loaded machine, where a frame of the
# software renderer can take far longer than usual. A window that has closed (its process,
# "$WMQ_PID", is gone: after Ctrl+Q, say) draws no more frames, so the wait ends there.
frames_pass() {
  local n=${1:-2}
  if [ -z "${WMQ_ANCHORS:-}" ]; then
    sleep 0.3
    return 0
  fi
  local last now i
  last=$(stat -c '%.9Y %i' "$WMQ_ANCHORS" 2>/dev/null)
  for i in $(seq 1 400); do
    sleep 0.05
    if [ -n "${WMQ_PID:-}" ] && ! kill -0 "$WMQ_PID" 2>/dev/null; then
      return 0
    fi
    now=$(stat -c '%.9Y %i' "$WMQ_ANCHORS" 2>/dev/null) || continue
    if [ "$now" != "$last" ]; then
      last=$now
      n=$((n - 1))
      [ "$n" -le 0 ] && return 0
    fi
  done
  echo "frames_pass: no new frame in 20 s" >&2
  return 1
}

# first_frames: waits for the window's first frames, so ImGui knows where the widgets are.
first_frames() {
  if [ -n "${WMQ_ANCHORS:-}" ]; then
    local i
    for i in $(seq 1 400); do
      [ -s "$WMQ_ANCHORS" ] && break
      sleep 0.05
    done
  fi
  frames_pass 3
}

# hold_key KEY: presses KEY in the window under the pointer and holds it over several frames:
# ImGui 1.86 samples key state once per frame, so a press and release inside one frame would be
# missed.
hold_key() {
  xdotool keydown "$1"
  sleep 0.1
  frames_pass 2
  xdotool keyup "$1"
  frames_pass 1
}

# screenshot_and_quit: saves a screenshot (F12), gives the frame that writes it time to pass,
# then quits (Ctrl+Q).
screenshot_and_quit() {
  hold_key F12
  frames_pass 2
  hold_key ctrl+q
}
