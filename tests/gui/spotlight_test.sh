#!/usr/bin/env bash
# The story shows where to look: lessons 3, 7 and 10 at their focused moments (the redelivered
# order and the cook who fainted; the broker after its restart; the dead-letter tray), at
# 1024x768 in projector mode in Bahasa Indonesia and at 1280x720 on a desk in English. The
# state report names the focus and where the spotlight fell; in the picture the ring is drawn
# there, the focused thing keeps its own colours, and the rest of the warung is dimmed (the
# cashiers' desk colour appears nowhere). The real window also reports the type's floor.
# Usage: spotlight_test.sh WARUNGMQ PNG_PROBE SCENARIOS_DIR WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 scenarios=$3 work=$4
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

# lesson, moment, the focus it names (its first name's kind), the probe's check of that thing
# (lesson 3: spot 0 is the fainted cook's column, spot 1 the redelivered ticket and its halo).
cases=(
  "03-a-cook-faints 1m50s order scene.spotlight.1=lit:20"
  "07-persistence 3m45s broker scene.board=ticket_persisted:300"
  "10-poison-and-dead-letters 1m45s shelf scene.shelf.dead_lettered=ticket_dead_lettered:40"
)
for c in "${cases[@]}"; do
  read -r lesson at kind own <<<"$c"
  for mode in projector desk; do
    if [ "$mode" = projector ]; then
      size=1024x768 lang=id floor=20 flags=(--projector)
    else
      size=1280x720 lang=en floor=12 flags=()
    fi
    name="$lesson-$mode"
    timeout 90 xvfb-run -a -s "-screen 0 ${size}x24" "$app" gui "$scenarios/$lesson.toml" \
      --at "$at" --paused --frames 4 --lang "$lang" --width "${size%x*}" --height "${size#*x}" \
      "${flags[@]}" --screenshot "$name.png" --state-out "$name.json" ||
      fail "$name: warungmq gui exited with $?"
    [ "$(json_get "$name.json" 's["ui"]["spotlight"]["on"]')" = True ] || fail "$name: spotlight off"
    [ "$(json_get "$name.json" 's["ui"]["spotlight"]["focus"][0].split(":")[0]')" = "$kind" ] ||
      fail "$name: focus is $(json_get "$name.json" 's["ui"]["spotlight"]["focus"]'), not a $kind"
    [ "$(json_get "$name.json" 'len(s["ui"]["spotlight"]["drawn"]) > 0')" = True ] ||
      fail "$name: the spotlight was drawn nowhere"
    [ "$(json_get "$name.json" 's["ui"]["scene_min_text_px"] >= '"$floor")" = True ] ||
      fail "$name: scene text of $(json_get "$name.json" 's["ui"]["scene_min_text_px"]') px"
    "$probe" "$name.png" "$name.json" --size "$size" \
      --colour scene.spotlight.0=spotlight_ring:60 --colour "$own" \
      --no-colour scene.canvas=cashier:0 ||
      fail "$name: the spotlight does not look right"
  done
done
echo "gui_spotlight: ok"
