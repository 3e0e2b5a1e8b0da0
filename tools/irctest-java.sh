# Sourced by the irctest scripts: sets JAVA to a JDK >= 21 (JAVA_HOME if new enough, else one
# under /usr/lib/jvm) and JAR to the server's shaded jar (CHAT_JAR, else chat-cli/target).
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR=${CHAT_JAR:-$ROOT/chat-cli/target/chat.jar}
. "$ROOT/tools/startup-cache.sh"
java_ok() {
  [ -x "$1/bin/java" ] || return 1
  v=$(chat_java_major "$1/bin/java") # its release file: no JVM started per test for this
  [ "${v%%.*}" -ge 21 ] 2>/dev/null
}
if [ -n "${JAVA_HOME:-}" ] && java_ok "$JAVA_HOME"; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=
  for d in /usr/lib/jvm/*; do
    if java_ok "$d"; then JAVA=$d/bin/java; fi
  done
  if [ -z "$JAVA" ]; then
    echo "irctest: no JDK 21 or newer found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
    exit 1
  fi
fi
if [ ! -f "$JAR" ]; then
  echo "irctest: $JAR is missing: build it with ./mvnw -B -DskipTests -pl chat-cli -am package" >&2
  exit 1
fi
