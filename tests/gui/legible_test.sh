#!/usr/bin/env bash
# The scene is legible from the back of a classroom: at every lesson's first pause, in English
# and in Bahasa Indonesia (whose words are longer), at 1024x768 and 1920x1080 in projector mode
# no word or number the scene draws is under 20 px (28 px at 1920x1080: the floor grows with
# the window), at 1280x720 in the desk's mode none is under 12 px, and no text run is drawn
# over another (ui.min_text_px, ui.scene_text_floor_px and ui.overlaps of --state-out).
# One process per lesson, size and language, two at a time (the CI machine has two cores).
# Usage: legible_test.sh WARUNGMQ SCENARIOS_DIR WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 scenarios=$2 work=$3
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

# One line per run: lesson file, the first pause's time, size, mode, language.
python3 - "$scenarios" > runs.txt <<'PY' || fail "cannot read the lessons in $scenarios"
import glob, os, re, sys, tomllib
def seconds(d):
    return sum(float(n) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[u]
               for n, u in re.findall(r"([0-9.]+)(ms|h|m|s)", d))
for path in sorted(glob.glob(os.path.join(sys.argv[1], "[0-9][0-9]-*.toml"))):
    with open(path, "rb") as f:
        events = tomllib.load(f).get("event", [])
    # An event that waits for a state (when/after) is looked at from when it starts waiting.
    pauses = [e.get("at", e.get("after")) for e in events if e.get("pause")]
    pauses = sorted((p for p in pauses if p is not None), key=seconds)
    if not pauses:
        continue  # the sandbox never pauses
    for size, mode in (("1024x768", "projector"), ("1280x720", "desk"), ("1920x1080", "projector")):
        for lang in ("en", "id"):
            print(path, pauses[0], size, mode, lang)
PY
[ "$(wc -l < runs.txt)" -ge 72 ] || fail "expected at least 12 lessons x 3 sizes x 2 languages, got $(wc -l < runs.txt) runs"

one_run() {
  local path=$1 at=$2 size=$3 mode=$4 lang=$5
  local name
  name="$(basename "$path" .toml)-$size-$mode-$lang"
  local flags=()
  [ "$mode" = projector ] && flags+=(--projector)
  timeout 90 xvfb-run -a -s "-screen 0 ${size}x24" "$app" gui "$path" --at "$at" --paused \
    --frames 3 --lang "$lang" --width "${size%x*}" --height "${size#*x}" "${flags[@]}" \
    --state-out "$name.json" >"$name.log" 2>&1 || { echo "$name: exited with $?"; return; }
  python3 - "$name.json" "$name" "$mode" "$size" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
name, mode, size = sys.argv[2], sys.argv[3], sys.argv[4]
ui = s["ui"]
w, h = (int(v) for v in size.split("x"))
want = 12 if mode == "desk" else int(20 * max(1, min(w / 1024, h / 768)))
problems = []
if ui["scene_text_floor_px"] != want:
    problems.append(f"floor {ui['scene_text_floor_px']} px, want {want}")
if ui["text_runs"] < 10:
    problems.append(f"only {ui['text_runs']} text runs on the scene")
if ui["min_text_px"] < want:
    problems.append(f"min_text_px {ui['min_text_px']} < {want}")
if ui["overlaps"] != 0:
    problems.append(f"{ui['overlaps']} text runs overlap")
if problems:
    print(f"{name}: " + "; ".join(problems))
PY
}
export -f one_run
export app

start=$(date +%s)
xargs -P 2 -L 1 bash -c 'one_run "$@"' _ < runs.txt > problems.txt
echo "legible: $(wc -l < runs.txt) runs in $(( $(date +%s) - start )) s"
if [ -s problems.txt ]; then
  cat problems.txt >&2
  fail "$(wc -l < problems.txt) of $(wc -l < runs.txt) runs are not legible"
fi
echo "gui_legible: ok"
