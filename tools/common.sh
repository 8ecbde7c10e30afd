# Shared by tools/run, tools/test and tools/bench: install what is missing, configure, build.
# Sourced, not run.
set -euo pipefail

WMQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the build, the tests and the GUI need. Nothing is downloaded by hand.
WMQ_PACKAGES=(
  cmake ninja-build g++ clang clang-format pkg-config
  libsqlite3-dev doctest-dev libtoml11-dev nlohmann-json3-dev libcli11-dev libbenchmark-dev
  libimgui-dev libstb-dev libglfw3-dev libgl-dev fonts-dejavu-core
  libclang-rt-14-dev libasio-dev
  xvfb xauth xdotool xclip python3-stomp ccache libsodium-dev libssl-dev openssl
)

wmq_log() { printf '\033[1m[warungmq]\033[0m %s\n' "$*" >&2; }

# Installs the packages that are not installed yet, through sudo when not root.
wmq_install_missing() {
  local missing=()
  local p
  for p in "${WMQ_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      wmq_log "missing packages: ${missing[*]}; run as root or install sudo"
      return 1
    fi
    sudo=(sudo)
  fi
  wmq_log "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# wmq_build DIR BUILD_TYPE [cmake args...]: configure and build (everything, or only
# $WMQ_BUILD_TARGET when it is set).
wmq_build() {
  local dir="$1" type="$2"
  shift 2
  # ccache lets the builds of one run (g++, clang, the web) and of later runs share objects.
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$WMQ_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${launcher[@]}" "$@" >/dev/null
  cmake --build "$dir" --parallel "$(nproc)" ${WMQ_BUILD_TARGET:+--target "$WMQ_BUILD_TARGET"}
}

# The clang sanitizer build: ASan + UBSan (fatal), asserts armed (Debug, at -O1 so
# the fuzzers run at a useful speed), and the libFuzzer targets (WMQ_FUZZ), which
# tools/fuzz builds in the same directory.
wmq_build_clang_asan() {
  wmq_build "$WMQ_ROOT/build/clang-asan" Debug -DCMAKE_CXX_COMPILER=clang++ -DWMQ_WERROR=ON \
    -DWMQ_SANITIZE=ON -DWMQ_FUZZ=ON -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"
}
