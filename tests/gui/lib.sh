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

# hold_key KEY: presses KEY in the window under the pointer and holds it over several frames:
# ImGui 1.86 samples key state once per frame, so a press and release inside one frame would be
# missed.
hold_key() {
  xdotool keydown "$1"
  sleep 0.2
  xdotool keyup "$1"
}

# screenshot_and_quit: saves a screenshot (F12), gives the frame that writes it time to pass,
# then quits (Ctrl+Q).
screenshot_and_quit() {
  hold_key F12
  sleep 0.5
  hold_key ctrl+q
}
