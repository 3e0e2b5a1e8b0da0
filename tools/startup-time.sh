#!/usr/bin/env bash
# Start-up time of `chat server`, measured from outside: from just before the JVM is started to
# the moment its native, IRC and web ports all accept a TCP connection on 127.0.0.1.
#
#   tools/startup-time.sh [-n RUNS] [-m existing|new|both] [-- extra server flags]
#
# Each run starts the server on three free ports of 127.0.0.1 with a data dir under a temp
# directory, polls the ports (every 5 ms, at most 60 s), prints the milliseconds, then stops
# the server (SIGTERM, then SIGKILL after 10 s). "existing": the data dir is made by a first,
# unmeasured start and then reused, as irctest and restarts do; "new": every run gets a new,
# empty data dir (schema and certificate made). Prints each run (with the server's own "ready"
# line, which says where its time went) and the median per mode.
# CHAT_JAR picks the jar (default chat-cli/target/chat.jar); the JVM is started the way the
# launcher ./chat starts it (CHAT_LAUNCHER=./chat to go through the launcher itself).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5
MODE=both
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    -m) MODE=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [-n RUNS] [-m existing|new|both] [-- server flags]" >&2; exit 2 ;;
  esac
done
EXTRA=("$@")
JAR=${CHAT_JAR:-$ROOT/chat-cli/target/chat.jar}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
LAUNCHER=${CHAT_LAUNCHER:-}
[[ -f "$JAR" || -n "$LAUNCHER" ]] || { echo "startup-time: $JAR is missing (build it first)" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chat-startup.XXXXXX")"
PID=
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_ports() { # prints three free TCP ports of 127.0.0.1
  python3 -c 'import socket
ss=[socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()'
}

# wait_ports START_NS PID PORT...: waits until every port accepts (every 5 ms, at most 60 s, or
# until PID exits) and prints the milliseconds since START_NS; one process, so that polling
# does not take the CPU from the server it times.
wait_ports() {
  python3 - "$@" <<'PY'
import os, socket, sys, time
start, pid, ports = int(sys.argv[1]), int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
deadline = time.time() + 60
for port in ports:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            try:
                os.kill(pid, 0)
            except OSError:
                sys.exit("the server exited")
            if time.time() > deadline:
                sys.exit("no listener after 60 s")
            time.sleep(0.005)
print((time.time_ns() - start) // 1_000_000)
PY
}

stop_server() {
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
}

# one_run DATA_DIR LOG: prints the milliseconds to all three ports, or fails
one_run() {
  local dir=$1 log=$2 native irc web start t
  read -r native irc web <<<"$(free_ports)"
  start=$(date +%s%N)
  if [[ -n "$LAUNCHER" ]]; then
    "$LAUNCHER" server --host 127.0.0.1 --port "$native" --irc-port "$irc" --http-port "$web" \
      --data-dir "$dir" "${EXTRA[@]}" >"$log" 2>&1 &
  else
    "$JAVA" --enable-native-access=ALL-UNNAMED ${CHAT_JAVA_OPTS:-} -jar "$JAR" server \
      --host 127.0.0.1 --port "$native" --irc-port "$irc" --http-port "$web" \
      --data-dir "$dir" "${EXTRA[@]}" >"$log" 2>&1 &
  fi
  PID=$!
  if ! t=$(wait_ports "$start" "$PID" "$native" "$irc" "$web"); then
    echo "startup-time: no listener; log:" >&2; cat "$log" >&2; stop_server; return 1
  fi
  stop_server
  echo "$t"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # measure MODE
  local mode=$1 i dir times=() t
  if [[ $mode == existing ]]; then
    dir="$WORK/existing"
    one_run "$dir" "$WORK/first.log" >/dev/null # makes the schema and certificate
  fi
  for i in $(seq 1 "$RUNS"); do
    [[ $mode == new ]] && dir="$WORK/new-$i"
    t=$(one_run "$dir" "$WORK/run-$mode-$i.log")
    times+=("$t")
    echo "$mode data dir, run $i: $t ms  [server: $(grep -o 'ready .*' "$WORK/run-$mode-$i.log" || echo 'no ready line')]"
  done
  echo "$mode data dir: median $(printf '%s\n' "${times[@]}" | median) ms of $RUNS runs (min $(printf '%s\n' "${times[@]}" | sort -n | head -1), max $(printf '%s\n' "${times[@]}" | sort -n | tail -1))"
}

case "$MODE" in
  existing|new) measure "$MODE" ;;
  both) measure existing; measure new ;;
  *) echo "startup-time: -m existing|new|both" >&2; exit 2 ;;
esac
