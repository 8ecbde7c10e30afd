# Shared by tools/bench-vs-rabbitmq and tools/compare-with-rabbitmq: Debian's
# RabbitMQ with its STOMP plugin as a private node on 127.0.0.1. Sourced after
# common.sh, not run.
#
# The node has its own config, data and logs in a temp dir ($rabbit_work), its own
# node name and ports, and listens on 127.0.0.1 only (STOMP, AMQP, epmd and the Erlang
# distribution port). rabbit_cleanup stops it and removes the dir; callers put it in
# their EXIT trap.

rabbit_py=/usr/bin/python3

# Installs rabbitmq-server when it is missing, without letting the package start
# its default node (which would listen on every interface).
rabbit_install() {
  if dpkg-query -W -f='${Status}' rabbitmq-server 2>/dev/null | grep -q "install ok installed"; then
    return 0
  fi
  wmq_log "installing Debian's rabbitmq-server"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    rabbitmq-server >/dev/null
  [ "$made_policy" -eq 1 ] && "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
  return 0
}

rabbit_free_port() {
  "$rabbit_py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rabbit_pid=""
rabbit_epmd_was_running=0
pgrep -x epmd >/dev/null && rabbit_epmd_was_running=1
rabbit_work="$(mktemp -d /tmp/wmq-rabbitmq.XXXXXX)"
# The real scripts, not /usr/sbin's wrappers, which switch to the rabbitmq user
# and its home (another Erlang cookie).
rabbit_ctl_bin=/usr/lib/rabbitmq/bin/rabbitmqctl

rabbit_ctl() { timeout 60 "$rabbit_ctl_bin" -q -n "$RABBITMQ_NODENAME" "$@"; }

# Starts the node; sets rabbit_stomp_port and rabbit_version. Exits on failure.
rabbit_start() {
  rabbit_stomp_port="$(rabbit_free_port)"
  local amqp_port dist_port
  amqp_port="$(rabbit_free_port)"
  dist_port="$(rabbit_free_port)"
  # Everything RabbitMQ reads or writes lives in $rabbit_work.
  export HOME="$rabbit_work"  # its Erlang cookie
  export RABBITMQ_NODENAME="wmqrabbit$$@localhost"
  export RABBITMQ_CONFIG_FILE="$rabbit_work/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_work/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$rabbit_work/mnesia"
  export RABBITMQ_LOG_BASE="$rabbit_work/log"
  export RABBITMQ_DIST_PORT="$dist_port"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  cat >"$rabbit_work/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$amqp_port
stomp.listeners.tcp.1 = 127.0.0.1:$rabbit_stomp_port
loopback_users.guest = true
log.file.level = warning
EOF
  echo "[rabbitmq_stomp]." >"$rabbit_work/enabled_plugins"
  wmq_log "starting RabbitMQ ($RABBITMQ_NODENAME) with STOMP on 127.0.0.1:$rabbit_stomp_port"
  /usr/lib/rabbitmq/bin/rabbitmq-server >"$rabbit_work/rabbitmq.out" 2>&1 &
  rabbit_pid=$!
  # await_startup fails at once while the node is not registered yet: retry.
  local started=0
  for _ in $(seq 60); do
    if rabbit_ctl await_startup >/dev/null 2>&1; then
      started=1
      break
    fi
    kill -0 "$rabbit_pid" 2>/dev/null || break
    sleep 1
  done
  if [ "$started" -eq 0 ]; then
    wmq_log "RabbitMQ did not start; its output:"
    tail -20 "$rabbit_work/rabbitmq.out" >&2
    exit 1
  fi
  rabbit_version="$(rabbit_ctl version 2>/dev/null || echo '?')"
}

rabbit_stop() {
  if [ -n "$rabbit_pid" ]; then
    rabbit_ctl stop >/dev/null 2>&1 || kill "$rabbit_pid" 2>/dev/null || true
    wait "$rabbit_pid" 2>/dev/null || true
    rabbit_pid=""
  fi
}

rabbit_cleanup() {
  rabbit_stop
  if [ "$rabbit_epmd_was_running" -eq 0 ]; then epmd -kill >/dev/null 2>&1 || true; fi
  rm -rf "$rabbit_work"
}

# Starts `warungmq serve BINARY [args]` on a free loopback port; sets serve_pid and
# serve_port. Its output goes to $rabbit_work/serve.{out,err}.
serve_start() {
  local bin="$1"
  shift
  "$bin" serve --port 0 "$@" >"$rabbit_work/serve.out" 2>"$rabbit_work/serve.err" &
  serve_pid=$!
  for _ in $(seq 100); do
    grep -q "port" "$rabbit_work/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  serve_port="$(sed -n 's/.* port \([0-9]*\);.*/\1/p' "$rabbit_work/serve.out")"
  [ -n "$serve_port" ] || { wmq_log "warungmq serve did not start"; cat "$rabbit_work/serve.err" >&2; exit 1; }
}

serve_stop() {
  if [ -n "${serve_pid:-}" ]; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=""
  fi
}
