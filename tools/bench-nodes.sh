#!/usr/bin/env bash
# One `chat bench` run over K server processes on this machine (docs/BENCHMARKS.md, "Several
# nodes"): starts the servers on 127.0.0.1 ports 17701.. with a fresh PostgreSQL schema, runs
# the generator against all of them (clients spread round the nodes) and stops them again.
#
#   tools/bench-nodes.sh MODE NODES OUT.json BENCH-OPTIONS...
#     MODE   cluster: --cluster nats://127.0.0.1:4222 --store jdbc:postgresql://... (NODES >= 1)
#            pg:      --store jdbc:postgresql://... without a cluster (NODES must be 1)
#            memory:  --store memory (NODES must be 1)
#   e.g. tools/bench-nodes.sh cluster 2 /tmp/a2.json -n 100 -s 10 --window 64 --warmup 3 -d 10
#
# Needs PostgreSQL at $CHAT_BENCH_PG (default 127.0.0.1:5432, database test, user root, trust
# auth, psql installed) and, for cluster, NATS at $CHAT_BENCH_NATS (default 127.0.0.1:4222), and
# chat-cli/target/chat.jar (./chat builds it; or ./mvnw -B -pl chat-cli -am package -DskipTests).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/chat-cli/target/chat.jar"
MODE="$1"; NODES="$2"; OUT="$3"; shift 3
PG="${CHAT_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/test?user=root}"
NATS="${CHAT_BENCH_NATS:-nats://127.0.0.1:4222}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[[ -f "$JAR" ]] || { echo "no $JAR: build it first (./chat --help builds it)" >&2; exit 2; }
case "$MODE" in
  cluster) ;;
  pg|memory) [[ "$NODES" == 1 ]] || { echo "$MODE runs one node" >&2; exit 2; } ;;
  *) echo "MODE must be cluster, pg or memory" >&2; exit 2 ;;
esac
[[ "$NODES" =~ ^[1-9]$ ]] || { echo "NODES must be 1 to 9" >&2; exit 2; }

SCHEMA="bench_$(date +%s)_$$"
WORK="$(mktemp -d /tmp/chat-bench-nodes.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "$MODE" != memory ]]; then
    psql -h 127.0.0.1 -U root -d test -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

STORE=(--store memory)
if [[ "$MODE" != memory ]]; then
  psql -h 127.0.0.1 -U root -d test -qc "CREATE SCHEMA $SCHEMA" >/dev/null
  STORE=(--store "$PG&currentSchema=$SCHEMA")
fi
CLUSTER=()
[[ "$MODE" == cluster ]] && CLUSTER=(--cluster "$NATS")

HOSTS=""
for ((k = 0; k < NODES; k++)); do
  port=$((17701 + k))
  "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" server --port "$port" \
      --http-port -1 --irc-port -1 --no-tls --io-threads 1 --data-dir "$WORK/node$k" \
      "${STORE[@]}" "${CLUSTER[@]}" --flood-burst 0 --account-flood-burst 0 \
      --max-connections-per-address 0 --connect-burst 0 >"$WORK/node$k.log" 2>&1 &
  PIDS+=($!)
  HOSTS="${HOSTS:+$HOSTS,}127.0.0.1:$port"
done
for ((k = 0; k < NODES; k++)); do
  port=$((17701 + k))
  for ((i = 0; i < 300; i++)); do # at most 30 s per node
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    kill -0 "${PIDS[$k]}" 2>/dev/null || { cat "$WORK/node$k.log" >&2; exit 2; }
    sleep 0.1
  done
done
PIDLIST="$(IFS=,; echo "${PIDS[*]}")"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench --host "$HOSTS" \
    --server-pid "$PIDLIST" --json "$@" >"$OUT"
