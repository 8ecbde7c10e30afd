#!/usr/bin/env bash
# Runs inside xvfb-run for listen_test.sh: opens the scene with --listen 0, reads the port from
# the first line on stdout, starts the python3-stomp cook on it, waits until the cook has acked
# its orders, saves a screenshot (F12) and quits (Ctrl+Q). The cook stays connected to the end.
# Usage: listen_session.sh WARUNGMQ SCENARIO COOK_PY ACKS
set -u
. "$(dirname "$0")/lib.sh"
app=$1 scenario=$2 cook_py=$3 acks=$4

"$app" gui "$scenario" --listen 0 --exit-after-ms 25000 --state-out state.json \
  --anchors-out anchors.json >gui.out 2>gui.err &
pid=$!
stop() {
  echo "$*" >&2
  kill "$pid" 2>/dev/null
  exit 1
}
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^warungmq gui: listening on 127\.0\.0\.1 port \([0-9][0-9]*\)$/\1/p' gui.out)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || stop "no listening line on stdout: $(cat gui.out gui.err)"
echo "the scene listens on port $port"

/usr/bin/python3 "$cook_py" "$port" "$acks" cook.done >cook.out 2>&1 &
cook=$!
for _ in $(seq 1 150); do
  [ -s cook.done ] && break
  kill -0 "$cook" 2>/dev/null || break
  sleep 0.1
done
[ -s cook.done ] || stop "the python cook did not ack $acks orders: $(cat cook.out)"
cat cook.done

wid=$(timeout 10 xdotool search --sync --name '^WarungMQ$' | head -n 1)
[ -n "$wid" ] || stop "no WarungMQ window"
# Keys go to the window under the pointer (no window manager); a few frames apply the acks.
xdotool mousemove --window "$wid" 640 700
sleep 0.5
screenshot_and_quit
wait "$pid"
status=$?
wait "$cook" || { echo "the python cook failed: $(cat cook.out)" >&2; exit 1; }
exit "$status"
