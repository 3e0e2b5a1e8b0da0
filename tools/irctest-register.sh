#!/bin/sh
# irctest account creation (IRCTEST_REGISTER): irctest-register.sh USER PASSWORD DIR PORT.
# irctest runs this as soon as the test starts, maybe before the server (whose launcher
# creates the database) is up: wait for its port first, at most 60 s.
. "$(dirname "$0")/irctest-java.sh"
i=0
until /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$4" 2>/dev/null; do
  i=$((i+1)); [ "$i" -ge 120 ] && break; sleep 0.5
done
cache=$(chat_startup_cache "$JAVA" "$JAR" -XX:TieredStopAtLevel=1)
printf '%s\n' "$2" | exec "$JAVA" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 $cache \
  -jar "$JAR" user add "$1" --min-password-length 1 \
  --password-stdin --data-dir "$3"
