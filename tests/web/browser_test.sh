#!/usr/bin/env bash
# The web build in a real browser: Debian's headless chromium opens the site that
# `tools/web --serve` serves, at lesson 3, 1m45s, paused (the address's options become the
# program's command line). The page must draw a non-trivial warung (its screenshot is checked
# by its pixels against the page's own anchors, as the Xvfb tests do) and land on the same
# state as the desktop program given the same options (warungmq gui ... --state-out). Then real
# mouse, touch and key input through chromium crash cooks and switch the language; links to a
# moment open it, Copy a link gives one, a broken link says why; preferences survive a reload;
# a bad option, no WebGL2 and a missing wasm file each show a readable sentence. Save as
# scenario and Export become downloads (the scenario replays natively to the exported report), a
# file opens from the computer; a ratio of 2, the zoom and a phone in landscape keep the layout;
# and a teacher's walk through lesson 7 at the classroom address ends in a link that opens the
# same moment.
# Skipped (77) when the site is not built (tools/web) or chromium or xvfb-run is missing.
# Usage: browser_test.sh WARUNGMQ PNG_PROBE SOURCE_DIR WORKDIR
set -u
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../gui/lib.sh"
app=$1 probe=$2 root=$3 work=$4
site="$root/build/web/site"
[ -f "$site/index.html" ] && [ -f "$site/warungmq.wasm" ] || {
  echo "SKIP: the web site is not built in $site (run tools/web)"
  exit 77
}
[ -x /usr/bin/chromium ] || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

# Each server its own free port (port + 1 may be anyone's).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
broken_port=$(free_port)
classroom_port=$(free_port)
WMQ_WEB_NO_BUILD=1 bash "$root/tools/web" --serve --port "$port" >serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do
  grep -q "http://127.0.0.1:$port/" serve.log 2>/dev/null &&
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null &&
    break
  sleep 0.1
done

lesson=03-a-cook-faints
/usr/bin/python3 "$here/page.py" "http://127.0.0.1:$port/?scenario=$lesson&at=1m45s&paused" \
  --frames 5 --state page.json --screenshot page.png >page.out ||
  fail "the page did not draw lesson 3 (exit $?)"
timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui "$root/scenarios/$lesson.toml" --at 1m45s \
  --paused --frames 5 --state-out native.json || fail "warungmq gui exited with $?"

# The same moment: the simulation's whole state, the language, the selection and the words.
python3 - page.json native.json <<'PY' || fail "the page's state differs from the desktop's"
import json, sys
page, native = (json.load(open(f)) for f in sys.argv[1:3])
# The scenario's path differs (the page's file system has it at /scenarios): left out.
for s in (page, native):
    s["sim"].pop("file", None)
same = ["sim", "seed", "language", "vocabulary", "projector", "missing_strings"]
bad = []
focus = [s.get("ui", {}).get("spotlight", {}).get("focus") for s in (page, native)]
if focus[0] != focus[1] or not focus[0]:
    bad.append("spotlight")
    print("spotlight focus: page %s, desktop %s" % tuple(focus), file=sys.stderr)
bad += [k for k in same if page.get(k) != native.get(k)]
for k in bad:
    print("%s: page %s, desktop %s" % (k, json.dumps(page.get(k))[:300],
                                       json.dumps(native.get(k))[:300]), file=sys.stderr)
if page["scenario"] != "/scenarios/03-a-cook-faints.toml":
    bad.append("scenario")
    print("the page opened %s" % page["scenario"], file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The story's moment names its focus (grill-1 and order 1): the page spotlights them as the
# desktop does, so the crashed cook keeps its colours while the board and the other cooks dim.
"$probe" page.png page.json --size 1280x720 \
  --covered menubar=0.99 --ink menubar=40 --ink narration.text=300 --ink scene.strip=200 \
  --colour scene.cook.grill-1=cook_crashed:150 --no-colour scene.cook.grill-1=cook_cooking:10 \
  --no-colour scene.board=ticket_persisted:10 --no-colour scene.cook.grill-3=cook_cooking:10 ||
  fail "the page's screenshot does not look right"

# What cannot start says so in a sentence, never a blank page: a bad option (the program's own
# message), a browser without WebGL2, a server without the wasm file.
/usr/bin/python3 "$here/page.py" "http://127.0.0.1:$port/?at=banana" --timeout 60 \
  --expect-error 'could not start: warungmq gui: --at: "banana" is not a duration' ||
  fail "a bad option in the address does not show its sentence"
/usr/bin/python3 "$here/page.py" "http://127.0.0.1:$port/" --chromium-flag=--disable-webgl \
  --timeout 60 --expect-error "WarungMQ needs WebGL2" || fail "no WebGL2 does not say so"
mkdir -p broken
cp "$site/index.html" "$site/warungmq.js" "$site/warungmq.data" broken/
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory broken "$broken_port" \
  >broken.log 2>&1 &
broken_server=$!
trap 'kill $server $broken_server 2>/dev/null; wait 2>/dev/null' EXIT
sleep 0.5
/usr/bin/python3 "$here/page.py" "http://127.0.0.1:$broken_port/" --timeout 60 \
  --expect-error "warungmq.wasm could not be loaded" || fail "a missing wasm does not say so"

# Links to a moment and preferences (link_test.py): the lesson 3 link against the desktop's
# state above, Copy a link into a fresh browser, a broken link as the desktop opens it.
timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui --link v1/no-such-lesson --frames 3 \
  --state-out broken_link.json || fail "warungmq gui --link v1/no-such-lesson exited with $?"
/usr/bin/python3 "$here/link_test.py" "http://127.0.0.1:$port/" native.json broken_link.json ||
  fail "links in the page"

# Real input: a mouse right-click and a click, a long press and a tap, F2 (input_test.py).
/usr/bin/python3 "$here/input_test.py" "http://127.0.0.1:$port/" || fail "input in the page"

# Files: Save as scenario and Export as downloads, the download replayed natively to the exported
# report, a file from the computer through the browser's picker (files_test.py).
/usr/bin/python3 "$here/files_test.py" "http://127.0.0.1:$port/" "$app" "$work" ||
  fail "files in the page"

# Other screens: a device pixel ratio of 2, the browser's zoom, a phone in landscape.
/usr/bin/python3 "$here/layout_test.py" "http://127.0.0.1:$port/" "$work" ||
  fail "the page on other screens"

# The teacher's walk, at the address a classroom server prints (--bind 0.0.0.0): lesson 7, the
# broker crashed by a click, Bahasa Indonesia, a copied link opened in a fresh browser.
WMQ_WEB_NO_BUILD=1 bash "$root/tools/web" --serve --bind 0.0.0.0 --port "$classroom_port" \
  >classroom.log 2>&1 &
classroom=$!
trap 'kill $server $broken_server $classroom 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do
  url=$(sed -n 's/^WarungMQ in the browser: //p' classroom.log)
  [ -n "$url" ] && python3 -c "import urllib.request; urllib.request.urlopen('$url')" 2>/dev/null &&
    break
  sleep 0.1
done
/usr/bin/python3 "$here/walk_test.py" "$url" || fail "the teacher's walk through the page"
echo "PASS: the page at lesson 3, 1m45s matches the desktop; $(cat page.out)"
