# Sourced by ./chat and the irctest scripts (POSIX sh). chat_startup_cache JAVA JAR [JVM flags]
# prints the JVM flag that starts `chat` from its start-up cache (a JDK 25 AOT cache: classes
# read, parsed and linked once, JEP 483/514), making the cache first when it is missing or
# older than the jar: one training run (`chat server --exit-when-ready` on 127.0.0.1, port 0,
# a temp data dir, about 10 s, once per build). Prints nothing, and the JVM starts as before,
# when the JDK is older than 25, CHAT_STARTUP_CACHE=off, the cache's directory is not writable,
# or the training failed (then it is not tried again for this jar: see $cache.failed).
# The cache sits beside the jar (chat-cli/target/chat-jdkNN.aot, gone with `mvn clean`);
# CHAT_STARTUP_CACHE_FILE puts it elsewhere. The JVM itself checks that the cache fits the jar
# and its flags, and ignores one that does not.
# chat_java_major JAVA: the JDK's feature version, from its release file when it has one (no
# JVM started), else from the JVM.
chat_java_major() {
  _release="$(dirname "$(dirname "$1")")/release"
  _v=
  [ -f "$_release" ] && _v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$_release" | head -n1)
  [ -n "$_v" ] || _v=$("$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1)
  echo "$_v"
}

chat_startup_cache() {
  _java=$1; _jar=$2; shift 2
  [ "${CHAT_STARTUP_CACHE:-on}" = off ] && return 0
  _major=${CHAT_JAVA_MAJOR:-$(chat_java_major "$_java")}
  [ -n "$_major" ] && [ "$_major" -ge 25 ] 2>/dev/null || return 0
  _cache=${CHAT_STARTUP_CACHE_FILE:-${_jar%.jar}-jdk$_major.aot}
  if [ ! -f "$_cache" ] || [ "$_jar" -nt "$_cache" ]; then
    [ -w "$(dirname "$_cache")" ] || return 0
    [ -f "$_cache.failed" ] && [ ! "$_jar" -nt "$_cache.failed" ] && return 0
    _tmp=$(mktemp -d "${TMPDIR:-/tmp}/chat-train.XXXXXX") || return 0
    echo "chat: making the start-up cache $_cache (once per build, about 10 s) ..." >&2
    if "$_java" --enable-native-access=ALL-UNNAMED "$@" -XX:AOTCacheOutput="$_tmp/chat.aot" \
        -jar "$_jar" server --host 127.0.0.1 --port 0 --data-dir "$_tmp/data" \
        --exit-when-ready >"$_tmp/train.log" 2>&1 && [ -s "$_tmp/chat.aot" ] \
        && mv -f "$_tmp/chat.aot" "$_cache.$$" && mv -f "$_cache.$$" "$_cache"; then
      rm -f "$_cache.failed"
    else
      echo "chat: could not make the start-up cache (log: $_cache.failed); starting without it" >&2
      cp "$_tmp/train.log" "$_cache.failed" 2>/dev/null || : >"$_cache.failed"
      rm -f "$_cache.$$"
    fi
    rm -rf "$_tmp"
  fi
  [ -f "$_cache" ] && printf '%s\n' "-XX:AOTCache=$_cache"
  return 0
}
