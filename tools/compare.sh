#!/usr/bin/env bash
# One command for the whole comparison (docs/BENCHMARKS.md, "Side by side: the C servers and
# ours"): starts ngIRCd, InspIRCd (Debian's packages, flood limits relaxed as documented there)
# and our server (native door and IRC door), one fresh server per run, each pinned to CPU 0 with
# the generator on CPU 1; runs loads A-D and the idle run against each; writes every result as
# JSON under OUT, then the table and a latency percentile plot (SVG) into docs/BENCHMARKS.md.
#
#   tools/compare.sh [--quick] [--out DIR] [--targets "ngircd inspircd native irc"]
#
# --quick runs each load for 5 s after 3 s of warm-up (a smoke run, not figures to publish).
# Needs: ngircd and inspircd (apt-get install ngircd inspircd), taskset, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT=/tmp/chat-compare
TARGETS="ngircd inspircd native irc"
WARMUP=10
DURATION=15
IDLE_N=10000
while (($#)); do
  case "$1" in
    --quick) WARMUP=3; DURATION=5; IDLE_N=2000 ;;
    --out) OUT="$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--out DIR] [--targets LIST]" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT"
for tool in taskset python3; do
  command -v "$tool" >/dev/null || { echo "compare: needs $tool" >&2; exit 2; }
done
for target in $TARGETS; do
  case "$target" in
    ngircd) command -v ngircd >/dev/null || { echo "compare: needs ngircd (apt-get install ngircd)" >&2; exit 2; } ;;
    inspircd) command -v inspircd >/dev/null || { echo "compare: needs inspircd (apt-get install inspircd)" >&2; exit 2; } ;;
  esac
done

"$ROOT/chat" --version >/dev/null # builds the jar on the first run
JAR="$ROOT/chat-cli/target/chat.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
  if [[ -z "${JAVA_HOME:-}" && -x "$candidate/bin/java" ]]; then JAVA="$candidate/bin/java"; break; fi
done
BENCH=(taskset -c 1 "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench --json)

conf="$OUT/conf"
mkdir -p "$conf"
cat > "$conf/ngircd.conf" <<EOF
[Global]
	Name = ngircd.bench
	Info = chat bench comparison
	Listen = 127.0.0.1
	Ports = 6668
	PidFile = $conf/ngircd.pid
	MotdPhrase = bench
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxPenaltyTime = 0
	PingTimeout = 600
	PongTimeout = 600
[Options]
	DNS = no
	Ident = no
	PAM = no
	DefaultUserModes = F
EOF
cat > "$conf/inspircd.conf" <<EOF
<server name="inspircd.bench" description="chat bench comparison" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="6669" type="clients">
<power diepass="x" restartpass="x">
<connect name="main" allow="127.0.0.1" maxchans="20" timeout="60" pingfreq="600" hardsendq="1073741824" softsendq="1073741824" recvq="1048576" threshold="1000000" commandrate="100000000" fakelag="off" localmax="100000" globalmax="100000" useident="no" limit="100000" modes="">
<class name="main" commands="*" privs="*" usermodes="*" chanmodes="*">
<options defaultmodes="nt" syntaxhints="no" announcets="no" hostintopic="no" maxtargets="20">
<performance netbuffersize="10240" somaxconn="1024" softlimit="100000" clonesonconnect="no" quietbursts="yes">
<pid file="$conf/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$conf/inspircd.log">
<files motd="$conf/motd">
<module name="ircv3">
<module name="ircv3_echomessage">
<module name="cap">
EOF
echo bench > "$conf/motd"

SERVER_PID=
start() { # target -> starts its server on CPU 0, sets SERVER_PID and PORT and PROTO
  case "$1" in
    ngircd) taskset -c 0 ngircd -n -f "$conf/ngircd.conf" > "$OUT/ngircd.log" 2>&1 &
      SERVER_PID=$!; PORT=6668; PROTO=irc ;;
    inspircd) taskset -c 0 inspircd --nofork --config="$conf/inspircd.conf" --runasroot \
        > "$OUT/inspircd.log" 2>&1 &
      SERVER_PID=$!; PORT=6669; PROTO=irc ;;
    native|irc) taskset -c 0 "$ROOT/chat" server --port 7790 --irc-port 17667 --http-port -1 \
        --no-tls --store memory --io-threads 1 --flood-burst 0 \
        --max-connections-per-address 0 --connect-burst 0 > "$OUT/chat-server.log" 2>&1 &
      SERVER_PID=$!
      if [[ "$1" == native ]]; then PORT=7790; PROTO=native; else PORT=17667; PROTO=irc; fi ;;
  esac
  for _ in $(seq 1 100); do # up to 10 s for the port
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "compare: $1 did not open port $PORT" >&2
  return 1
}
stop() {
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
}
trap stop EXIT

declare -A LOADS=(
  [A]="-n 100 -s 10 --window 64"
  [B]="-n 1000 -s 10 --window 64"
  [C]="-n 1000 -s 10 --rate 20"
  [D]="-n 100 -s 100 --rate 100"
)
for target in $TARGETS; do
  for load in A B C D idle; do
    start "$target"
    sleep 1
    if [[ "$load" == idle ]]; then
      args=(--idle -n "$IDLE_N" --ramp 0)
      [[ "$PROTO" == native ]] && args+=(--stay) # the default configuration: all in lobby
    else
      read -r -a args <<< "${LOADS[$load]}"
      if [[ "$target" == ngircd && "$load" =~ ^[AB]$ ]]; then
        # ngIRCd has no echo-message, so no window to pace the senders by: they offer 1.5 (A) and
        # 3 (B) million deliveries a second, near its capacity (more and it falls behind without
        # bound: 2,000 a sender in A lost 8 million), and a message counts as settled once written.
        if [[ "$load" == A ]]; then rate=1500; else rate=300; fi
        args=("${args[@]/--window/--rate}")
        args=("${args[@]/#64/$rate}")
      fi
      args+=(--warmup "$WARMUP" -d "$DURATION")
    fi
    echo "compare: $target $load" >&2
    if ! timeout 300 "${BENCH[@]}" --protocol "$PROTO" --port "$PORT" --server-pid "$SERVER_PID" \
        "${args[@]}" > "$OUT/$target-$load.json" 2> "$OUT/$target-$load.log"; then
      echo "compare: $target $load failed (see $OUT/$target-$load.log)" >&2
    fi
    stop
  done
done
trap - EXIT
python3 "$ROOT/tools/compare-report.py" "$OUT" "$ROOT/docs/BENCHMARKS.md" \
    "$ROOT/docs/compare-latency.svg" $TARGETS
