#!/bin/sh
# irctest launcher: irctest-server.sh PORT DIR [PASSWORD]. Creates irctest's IRC operator (an
# admin account operuser/operpassword), then runs the server in the foreground with irctest's
# expectations: server name My.Little.Server, no TLS, no flood or connection limits, and the
# connection password when the test gives one.
set -e
. "$(dirname "$0")/irctest-java.sh"
port=$1; dir=$2; password=${3:-}
printf 'operpassword\n' | "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" user add \
  --admin operuser --password-stdin --data-dir "$dir" >/dev/null
[ -n "$password" ] && export CHAT_IRC_PASSWORD="$password"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -jar "$JAR" server \
  --host 127.0.0.1 --port 0 --http-port -1 --irc-port "$port" \
  --irc-server-name My.Little.Server --data-dir "$dir" --no-tls \
  --flood-burst 10000 --flood-rate 10000 --account-flood-burst 10000 --account-flood-rate 10000 \
  --connect-burst 10000 --connect-rate 10000 --max-connections-per-address 10000
