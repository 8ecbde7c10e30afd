#!/usr/bin/env bash
# A link to a moment, end to end under Xvfb:
#  1. a link to lesson 3 at 1m45s paused lands on the state --at 1m45s --paused gives;
#  2. clicks made by key (a cook crashed, a lunch rush, a step, the words and the language
#     switched), then File > Copy a link: the X clipboard holds the link the window shows, and
#     a fresh process opened with it has the same simulation, language and words;
#  3. a broken link opens the sandbox and says why in the reader's language.
# Usage: link_test.sh WARUNGMQ PNG_PROBE SCENARIOS_DIR WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 scenarios=$3 work=$4
skip_unless xvfb-run xvfb
skip_unless xdotool xdotool
skip_unless xclip xclip

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"
lesson=$scenarios/03-a-cook-faints.toml
run() {  # NAME ARGS...: three frames, a screenshot and the state
  local name=$1
  shift
  timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui --frames 3 --screenshot "$name.png" \
    --state-out "$name.json" "$@" || fail "the $name run exited with $?"
}
# same A B KEYS...: the named top-level sections of two state reports are equal.
same() {
  python3 - "$@" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
bad = [k for k in sys.argv[3:] if a.get(k) != b.get(k)]
for k in bad:
    print(f"{k}: {json.dumps(a.get(k))[:300]}\n   vs {json.dumps(b.get(k))[:300]}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

# 1. The link and the options land on the same moment.
run at "$lesson" --at 1m45s --paused
run linked --link 'v1/03-a-cook-faints?t=1m45s&paused'
same at.json linked.json sim language vocabulary projector scenario seed link ||
  fail "--link and --at 1m45s --paused differ"
cmp -s at.png linked.png || fail "the two screenshots of one moment differ"
"$probe" linked.png linked.json --covered scene.canvas=0.3 --ink scene.canvas=500 ||
  fail "the linked moment's screenshot is not a drawn warung"

# 2. Clicks, Copy a link, and the link in a fresh process.
timeout 120 xvfb-run -a -s "$XVFB_SCREEN" bash "$(dirname "$0")/link_session.sh" "$app" \
  "$lesson" || fail "the xdotool session failed"
got() { json_get state.json "$1"; }
[ "$(got 's["exit_reason"]')" = quit-command ] || fail "the session did not end with Ctrl+Q"
[ "$(got '"copy-link" in s["commands"]')" = True ] || fail "no copy-link command: $(got 's["commands"]')"
link=$(cat clip.txt)
echo "copied: $link"
[ "$link" = "$(got 's["link"]["shown"]')" ] || fail "the window shows another link than the clipboard"
[ "$link" = "$(got 's["link"]["copied"][0]')" ] || fail "the copied link is not the one recorded"
case "$link" in
  v1/03-a-cook-faints\?seed=5\&t=2m*\&paused\&lang=id\&words=broker\&clicks=2m:crash_cook:*,2m:set_rate\;rate=*,2m:set_rate\;in=5m\;rate=*) ;;
  *) fail "the link does not hold the lesson, the words, the language and the three clicks" ;;
esac
shot=$(got 's["screenshots"][0]') || fail "no screenshot of the link window"
"$probe" "$shot" state.json --ink link.text=200 --ink view.link=1000 ||
  fail "the link window shows no link"
run opened --link "$link"
same state.json opened.json sim language vocabulary projector scenario seed ||
  fail "the link opened another moment"
[ "$(json_get opened.json 's["link"]["text"]')" = "$link" ] || fail "the opened moment's link differs"
[ "$(json_get opened.json 's["missing_strings"]')" = 0 ] || fail "missing strings"

# 3. Broken links open the sandbox with their sentence, in the reader's language.
run future --link 'v2/03-a-cook-faints?t=1m45s' --lang id
[ "$(json_get future.json 's["scenario"].endswith("00-sandbox.toml")')" = True ] ||
  fail "a link from the future did not open the sandbox"
[ "$(json_get future.json 's["link"]["problem"]')" = "Tautan ini dibuat oleh WarungMQ yang lebih baru (tautan versi 2; versi ini hanya bisa membaca sampai versi 1), jadi perbarui WarungMQ untuk membukanya." ] ||
  fail "the link from the future says: $(json_get future.json 's["link"]["problem"]')"
run refused --link 'v1/03-a-cook-faints?t=3m&clicks=1m:crash_cook:grill-9'
[ "$(json_get refused.json 's["link"]["problem"]')" = "Click 1 in this link (crash_cook grill-9) cannot be made in lesson 03-a-cook-faints." ] ||
  fail "the refused click says: $(json_get refused.json 's["link"]["problem"]')"
[ "$(json_get refused.json 's["sim"]["injections"]')" = "[]" ] || fail "the sandbox got the link's clicks"
echo "gui_link: ok"
