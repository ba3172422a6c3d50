# A real OpenSearch 2.19 node from Maven artifacts (sourced by scripts/cs4od; also
# runnable as: scripts/opensearch.sh build|start|stop|status).
# The launcher is services/opensearch/; jars go to $CS4OD_BUILD_DIR/opensearch/lib,
# data, log and pid to $CS4OD_DATA_DIR/opensearch/.

if [ -z "${CS4OD_ROOT:-}" ]; then
  CS4OD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  # shellcheck source=scripts/lib.sh
  source "$CS4OD_ROOT/scripts/lib.sh"
fi

OS_SRC="$CS4OD_ROOT/services/opensearch"
OS_BUILD="$CS4OD_BUILD_DIR/opensearch"
OS_HOME="$CS4OD_DATA_DIR/opensearch"
OS_LOG="$OS_HOME/node.log"
OS_TRANSPORT_PORT="${CS4OD_OPENSEARCH_TRANSPORT_PORT:-9300}"
OS_HEAP="${CS4OD_OPENSEARCH_HEAP:-768m}"
OS_JAVA_HOME="${CS4OD_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
# Modules InvenioRDM needs: analysers, search_as_you_type, join, percolator, painless,
# delete_by_query, HTTP.
OS_REQUIRED_PLUGINS=(CommonAnalysisPlugin MapperExtrasPlugin ParentJoinPlugin
  PercolatorPlugin PainlessPlugin ReindexPlugin Netty4Plugin)

opensearch_url() { echo "http://127.0.0.1:$CS4OD_OPENSEARCH_PORT"; }

opensearch_build() {
  local stamp="$OS_BUILD/.stamp" want
  want=$(find "$OS_SRC" -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -d "$OS_BUILD/lib" ]; then
    return 0
  fi
  [ -x "$OS_JAVA_HOME/bin/java" ] || die "JDK 17 not found at $OS_JAVA_HOME (set CS4OD_JAVA_HOME)"
  rm -rf "$OS_BUILD/lib"
  mkdir -p "$OS_BUILD"
  JAVA_HOME="$OS_JAVA_HOME" mvn -q -B -f "$OS_SRC/pom.xml" -Dcs4od.build.dir="$OS_BUILD" \
    compile dependency:copy-dependencies >"$OS_BUILD/build.log" 2>&1 ||
    { tail -n 30 "$OS_BUILD/build.log" >&2; return 1; }
  echo "$want" >"$stamp"
}

opensearch_healthy() {
  curl -fsS "$(opensearch_url)/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

# Refuse a node that lacks a module or is not OpenSearch: indices would be wrong.
opensearch_verify() {
  local root plugins missing=() plugin
  root=$(curl -fsS "$(opensearch_url)/")
  case "$root" in
    *'"distribution" : "opensearch"'* | *'"distribution":"opensearch"'*) ;;
    *) say "the server on port $CS4OD_OPENSEARCH_PORT is not OpenSearch:"; echo "$root" >&2; return 1 ;;
  esac
  plugins=$(curl -fsS "$(opensearch_url)/_cat/plugins?h=component")
  for plugin in "${OS_REQUIRED_PLUGINS[@]}"; do
    grep -q "\.$plugin\$" <<<"$plugins" || missing+=("$plugin")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "OpenSearch on port $CS4OD_OPENSEARCH_PORT lacks modules: ${missing[*]} (log: $OS_LOG)"
    return 1
  fi
}

opensearch_start() {
  mkdir -p "$OS_HOME"
  if ! opensearch_healthy; then
    if pid_alive "$OS_HOME/node.pid"; then
      say "OpenSearch (pid $(cat "$OS_HOME/node.pid")) is starting or stuck; waiting"
    else
      opensearch_build
      [ -f "$OS_LOG" ] && mv "$OS_LOG" "$OS_LOG.1"
      nohup "$OS_JAVA_HOME/bin/java" "-Xms$OS_HEAP" "-Xmx$OS_HEAP" -XX:+UseG1GC \
        -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dlog4j2.formatMsgNoLookups=true \
        -cp "$OS_BUILD/target/classes:$OS_BUILD/lib/*" org.cs4od.search.SearchNode \
        "$OS_HOME" "$CS4OD_OPENSEARCH_PORT" "$OS_TRANSPORT_PORT" \
        </dev/null >"$OS_LOG" 2>&1 &
      echo $! >"$OS_HOME/node.pid"
    fi
    wait_for OpenSearch "$CS4OD_OPENSEARCH_PORT" "$OS_LOG" 120 opensearch_healthy || return 1
  fi
  opensearch_verify
}

opensearch_stop() {
  pid_alive "$OS_HOME/node.pid" || return 0
  local pid waited=0
  pid=$(cat "$OS_HOME/node.pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$OS_HOME/node.pid"
  say "OpenSearch stopped"
}

opensearch_status() {
  if opensearch_healthy; then say "OpenSearch  up    $(opensearch_url)  log $OS_LOG"
  else say "OpenSearch  down  $(opensearch_url)  log $OS_LOG"; return 1; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    build | start | stop | status) "opensearch_$1" ;;
    *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
  esac
fi
