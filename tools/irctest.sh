#!/bin/sh
# Runs irctest (the IRC conformance suite) against this server's IRC door.
#
#   tools/irctest.sh [run.sh options]     e.g. -n 2, --preset all, -k 'Who or Whois'
#
# Needs the shaded jar (./mvnw -B -DskipTests -pl chat-cli -am package; CHAT_JAR overrides
# it) and irctest's runner: IRCTEST_RUN, by default ../shared/irctest/run.sh beside the
# checkout (a snapshot of progval/irctest with a generic controller; its README lists the
# Debian packages it needs). Results go to /tmp/irctest-out/Chat/ (junit.xml, summary.json,
# one server log per test); the last line printed is "N passed, N failed, N skipped".
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/irctest-java.sh"
RUN=${IRCTEST_RUN:-$ROOT/../shared/irctest/run.sh}
[ -x "$RUN" ] || { echo "irctest: $RUN not found (set IRCTEST_RUN)" >&2; exit 1; }
export CHAT_JAR="$JAR"
export IRCTEST_SASL_MECHS="${IRCTEST_SASL_MECHS:-PLAIN}"
# (The template's braces cannot sit inside ${...:-...}: the first '}' would end it.)
DEFAULT_REGISTER="$HERE/irctest-register.sh {username} {password} {dir} {port}"
export IRCTEST_REGISTER="${IRCTEST_REGISTER:-$DEFAULT_REGISTER}"
# The start-up cache, made once here rather than by the first tests at once.
# (irctest-java.sh sourced tools/startup-cache.sh)
chat_startup_cache "$JAVA" "$JAR" -XX:TieredStopAtLevel=1 >/dev/null
# A full run starts one JVM per test (the server makes the operator's account itself), more
# for tests that register accounts; run.sh's default 900 s limit can be short on 2 cores, and
# --timeout after this overrides it.
exec "$RUN" --name Chat -n 2 --timeout 3600 "$@" "$HERE/irctest-server.sh {port} {dir} [{password}]"
