#!/bin/sh
# irctest launcher: irctest-server.sh PORT DIR [PASSWORD]. Runs the server in the foreground
# with irctest's expectations: server name My.Little.Server, no TLS, no flood or connection
# limits, the connection password when the test gives one, and irctest's IRC operator (an
# admin account operuser/operpassword) made by the server itself as it starts (--admin-account:
# one JVM per test, not a `chat user add` before it), from the start-up cache
# (tools/startup-cache.sh; irctest.sh makes it before the run).
set -e
. "$(dirname "$0")/irctest-java.sh"
port=$1; dir=$2; password=${3:-}
[ -n "$password" ] && export CHAT_IRC_PASSWORD="$password"
cache=$(chat_startup_cache "$JAVA" "$JAR" -XX:TieredStopAtLevel=1)
CHAT_ADMIN_PASSWORD=operpassword exec "$JAVA" --enable-native-access=ALL-UNNAMED \
  -XX:TieredStopAtLevel=1 $cache -jar "$JAR" server \
  --host 127.0.0.1 --port 0 --http-port -1 --irc-port "$port" \
  --irc-server-name My.Little.Server --irc-server-info "test server" --data-dir "$dir" --no-tls --admin-account operuser \
  --flood-burst 10000 --flood-rate 10000 --account-flood-burst 10000 --account-flood-rate 10000 \
  --connect-burst 10000 --connect-rate 10000 --max-connections-per-address 10000
