#!/usr/bin/env bash
# A real STOMP program cooks in a live scene: under Xvfb, `warungmq gui SCENARIO --listen 0`
# prints the port it listens on; a python3-stomp cook ("koki-py") connects, takes grill orders
# and acks three of them; F12 and Ctrl+Q end the session. The --state-out report must show the
# run live at 1x on that port, the external cook connected with its three acks, and the
# screenshot must show the live banner and the cook in the kitchen.
# Usage: listen_test.sh WARUNGMQ PNG_PROBE SCENARIO WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
app=$(realpath "$1") probe=$(realpath "$2") scenario=$(realpath "$3") work=$4
acks=3
skip_unless xvfb-run xvfb
skip_unless xdotool xdotool
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import stomp' 2>/dev/null || {
  echo "SKIP: python3-stomp is not installed (apt-get install python3-stomp)"
  exit 77
}

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

timeout 60 xvfb-run -a -s "$XVFB_SCREEN" bash "$here/listen_session.sh" "$app" "$scenario" \
  "$here/listen_cook.py" "$acks" || fail "the live session failed"

port=$(sed -n 's/^warungmq gui: listening on 127\.0\.0\.1 port \([0-9][0-9]*\)$/\1/p' gui.out)
[ "$(head -n 1 gui.out)" = "warungmq gui: listening on 127.0.0.1 port $port" ] ||
  fail "the first line on stdout does not name the port: $(head -n 1 gui.out)"
got() { json_get state.json "$1"; }
[ "$(got 's["exit_reason"]')" = quit-command ] || fail "the session did not end with Ctrl+Q"
! grep -q "heart-beat" gui.err || fail "the window's close was logged as a heart-beat failure: $(cat gui.err)"
[ "$(got 's["sim"]["listening"]')" = "{'bind': '127.0.0.1', 'port': $port}" ] ||
  fail "the report does not say it listens on port $port: $(got 's["sim"]["listening"]')"
[ "$(got 's["sim"]["speed"]')" = 1.0 ] || fail "a live run is not at 1x: $(got 's["sim"]["speed"]')"
[ "$(got 's["sim"]["deterministic"]')" = False ] || fail "the report does not say the run is not deterministic"
cooks=$(got '[x for x in s["sim"]["a"]["external_clients"] if x["role"] == "cook"]')
echo "external cooks: $cooks"
[ "$(got 'len(s["sim"]["a"]["external_clients"])')" = 1 ] || fail "expected one external client"
ext='s["sim"]["a"]["external_clients"][0]'
[ "$(got "$ext[\"name\"]")" = koki-py ] || fail "the external cook is not named by its login"
[ "$(got "$ext[\"state\"]")" = connected ] || fail "the external cook is not connected at the end"
[ "$(got "$ext[\"station\"]")" = grill ] || fail "the external cook is not at the grill"
[ "$(got "$ext[\"acked\"]")" = "$acks" ] || fail "the report counts $(got "$ext[\"acked\"]") acks, not $acks"
[ "$(got "$ext[\"delivered\"] >= $acks")" = True ] || fail "fewer orders delivered than acked"
[ "$(got 's["sim"]["a"]["counters"]["external_cooked"]')" = "$acks" ] ||
  fail "the counters do not count the $acks orders cooked by the STOMP cook"
# Each order the cook acked is cooked in the scene's own books.
for n in $(sed -n 's/^acked //p' cook.done | tr , ' '); do
  [ "$(got '[o for o in s["sim"]["a"]["orders"] if o["number"] == '"$n"'][0]["steps"].count("acked")')" -ge 1 ] ||
    fail "order $n has no acked step"
done

# What the class sees: the banner in the toolbar and koki-py in the kitchen.
[ "$(got '"controls.live" in s["anchors"]')" = True ] || fail "no live banner anchor"
[ "$(got '"scene.cook.koki-py" in s["anchors"]')" = True ] || fail "koki-py is not drawn in the kitchen"
shot=$(got 's["screenshots"][0]') || fail "F12 saved no screenshot"
look=cook_idle
[ "$(got "len($ext[\"held\"])")" = 0 ] || look=cook_cooking
"$probe" "$shot" state.json --size 1280x720 --ink controls.live=150 \
  --colour scene.cook.koki-py=$look:100 || fail "the screenshot does not show the banner and the cook"
echo "gui_listen: ok"
