#!/usr/bin/env bash
# A real click crashes a cook: under Xvfb, xdotool right-clicks a cook that holds an order,
# picks "Crash the cook" in its menu and quits; the --state-out report must then show the cook
# crashed, the injection recorded, and its order back on the board and delivered again
# (redelivered) to another cook.
# Usage: crash_click_test.sh WARUNGMQ SCENARIO WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 scenario=$2 work=$3
skip_unless xvfb-run xvfb
skip_unless xdotool xdotool

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

# 1. Where is the cook, and what does it hold? The same paused moment, three frames.
timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui "$scenario" --at 5m --paused --frames 3 \
  --state-out layout.json || fail "layout run exited with $?"
cook=grill-2
order=$(json_get layout.json '[k for k in s["sim"]["a"]["cooks"] if k["name"] == "'$cook'"][0]["held"][0]') ||
  fail "$cook holds nothing at 5m"
x=$(json_get layout.json 's["anchors"]["scene.cook.'$cook'"]["x"] + s["anchors"]["scene.cook.'$cook'"]["w"] // 2') ||
  fail "layout.json has no anchor scene.cook.$cook"
y=$(json_get layout.json 's["anchors"]["scene.cook.'$cook'"]["y"] + s["anchors"]["scene.cook.'$cook'"]["h"] // 2')
echo "$cook holds order $order; it is drawn at $x,$y"

# 2. The real clicks.
timeout 90 xvfb-run -a -s "$XVFB_SCREEN" bash "$(dirname "$0")/crash_click_session.sh" "$app" \
  "$scenario" "$x" "$y" || fail "the xdotool session failed"

got() { json_get state.json "$1"; }
[ "$(got 's["exit_reason"]')" = quit-command ] || fail "the session did not end with Ctrl+Q"
[ "$(got '"inject crash_cook '$cook'" in s["commands"]')" = True ] ||
  fail "no crash_cook command was applied: $(got 's["commands"]')"
[ "$(got '[k for k in s["sim"]["a"]["cooks"] if k["name"] == "'$cook'"][0]["state"]')" = crashed ] ||
  fail "$cook is not crashed"
[ "$(got 's["sim"]["injections"][0]["what"]')" = "crash_cook $cook" ] || fail "the injection was not recorded"
steps=$(got '[o for o in s["sim"]["a"]["orders"] if o["number"] == '$order'][0]["steps"]')
echo "order $order: $steps"
case "$steps" in *cook_crashed*requeued*delivered*) ;; *) fail "order $order was not put back and delivered again" ;; esac
[ "$(got '[o for o in s["sim"]["a"]["orders"] if o["number"] == '$order'][0]["redeliveries"]')" -ge 1 ] ||
  fail "order $order was not redelivered"
holder=$(got '[k["name"] for k in s["sim"]["a"]["cooks"] if '$order' in k["held"]]')
echo "order $order is now held by $holder"
[ "$holder" != "[]" ] || fail "nobody holds order $order again"
echo "gui_crash_click: ok"
