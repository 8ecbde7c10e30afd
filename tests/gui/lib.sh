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
