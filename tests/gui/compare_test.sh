#!/usr/bin/env bash
# The A/B split view under Xvfb: the lesson with run B on transient queues, at 15m (the broker
# crashed at 12m). Both scenes are drawn, A's board holds persisted tickets and B's none, B's
# lost tray shows lost tickets, and the figures say what the variant says they must: transient
# loses orders on a broker crash, durable does not; the differing figure is highlighted.
# Usage: compare_test.sh WARUNGMQ PNG_PROBE SCENARIO WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 scenario=$3 work=$4
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"
timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui "$scenario" --at 15m --paused --frames 5 \
  --compare transient --screenshot ab.png --state-out ab.json || fail "the A/B run exited with $?"
got() { json_get ab.json "$1"; }
[ "$(got 's["sim"]["variant"]')" = "durable=false" ] || fail "run B is not the transient variant"
[ "$(got 's["sim"]["b"]["time_us"] == s["sim"]["a"]["time_us"]')" = True ] || fail "A and B are not in lockstep"
[ "$(got 's["sim"]["a"]["figures"]["crashes"]')" = 1 ] || fail "A: the broker did not crash"
[ "$(got 's["sim"]["b"]["figures"]["crashes"]')" = 1 ] || fail "B: the broker did not crash"
[ "$(got 's["sim"]["a"]["figures"]["lost"]')" = 0 ] || fail "A (durable) lost orders"
lost_b=$(got 's["sim"]["b"]["figures"]["lost"]')
[ "$lost_b" -gt 0 ] || fail "B (transient) lost no orders"
echo "B lost $lost_b orders, A none"
[ "$(got '"compare.differs.lost" in s["anchors"]')" = True ] || fail "the lost figure is not highlighted"
[ "$(got 's["missing_strings"]')" = 0 ] || fail "missing strings: $(got 's["missing_keys"]')"
"$probe" ab.png ab.json --size 1280x720 \
  --colour scene.board=ticket_persisted:300 --no-colour sceneB.board=ticket_persisted:20 \
  --colour sceneB.board=ticket_ready:100 --colour sceneB.shelf.lost=ticket_lost:40 \
  --no-colour scene.shelf.lost=ticket_lost:0 --ink compare.figures=300 ||
  fail "the split view does not look right"
echo "gui_compare: ok"
