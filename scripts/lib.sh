#!/usr/bin/env bash
# Shared helpers for the project's scripts. Source it; do not run it.
# Everything downloaded or built lives in .cache/ (git-ignored); process state and logs in .run/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
KC_VERSION="26.7.3"                      # pinned; docker-compose.yml must name the same image tag
CACHE_DIR="$ROOT/.cache"
RUN_DIR="$ROOT/.run"
KC_HOME="$CACHE_DIR/keycloak/keycloak-$KC_VERSION"
PROVIDER_JAR="$ROOT/keycloak/target/lum-keycloak-providers.jar"
mkdir -p "$CACHE_DIR" "$RUN_DIR"

log()  { printf '\033[1;34m[lum]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[lum]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[lum]\033[0m %s\n' "$*" >&2; exit 1; }

# Pick a JDK that runs Keycloak 26.7 (17, 21 or 25): the newest one under /usr/lib/jvm, unless JAVA_HOME is set.
choose_java_home() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then return; fi
  local best="" best_major=0 d major
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -x "$d/bin/java" && -x "$d/bin/javac" && ! -L "$d" ]] || continue
    major=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p')
    case "$major" in 17|21|25) ;; *) continue ;; esac
    if (( major > best_major )); then best="$d"; best_major=$major; fi
  done
  if [[ -z "$best" ]]; then
    command -v java >/dev/null || die "No JDK found: install openjdk-17-jdk (apt-get install -y openjdk-17-jdk-headless)"
    best="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  export JAVA_HOME="$best"
  # Maven's bundled Guava warns about sun.misc.Unsafe on JDK 24+; allow it quietly.
  local chosen; chosen=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p')
  if (( ${chosen:-0} >= 24 )) && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

# Wait until a URL answers 2xx, or fail after $2 seconds.
wait_http() {
  local url="$1" timeout="${2:-120}" start=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    (( SECONDS - start < timeout )) || return 1
    sleep 0.5
  done
}

# The probes run without libfaketime even when a caller runs under it (`npm run test:relogio-futuro`): redis-cli
# hangs under a faked clock.
pg_ready()    { env -u LD_PRELOAD pg_isready -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -q 2>/dev/null; }
redis_ready() { [[ "$(env -u LD_PRELOAD redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == "PONG" ]]; }

# Start the machine's PostgreSQL and Redis when they are installed but stopped; install them when missing (Debian).
ensure_services() {
  if ! pg_ready; then
    if ! command -v pg_ctlcluster >/dev/null; then
      log "PostgreSQL missing: installing Debian's postgresql"
      apt_install postgresql
    fi
    log "Starting PostgreSQL"
    local v; v=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
    pg_ready || die "PostgreSQL is not answering on 127.0.0.1:5432"
  fi
  if ! redis_ready; then
    if ! command -v redis-server >/dev/null; then
      log "Redis missing: installing Debian's redis-server"
      apt_install redis-server
    fi
    log "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/lum.log
    for _ in $(seq 1 30); do redis_ready && break; sleep 0.5; done
    redis_ready || die "Redis is not answering on 127.0.0.1:6379"
  fi
}

apt_install() {
  [[ $(id -u) == 0 ]] || die "need root to apt-get install $*"
  if [[ ! -f "$CACHE_DIR/.apt-updated" ]]; then apt-get update -qq && touch "$CACHE_DIR/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_tools() {
  command -v curl >/dev/null || apt_install curl
  command -v unzip >/dev/null || apt_install unzip
  command -v mvn >/dev/null || apt_install maven
  command -v psql >/dev/null || apt_install postgresql-client
}

# Debian's Chromium for the browser tests (playwright-core drives it; it never downloads a browser of its own).
ensure_chromium() {
  command -v chromium >/dev/null && return 0
  log "Installing Debian's chromium for the browser tests"
  apt_install chromium fonts-dejavu-core
}

ensure_node_modules() {
  local stamp="$ROOT/node_modules/.lum-lock-stamp" sum
  sum=$(sha256sum "$ROOT/package-lock.json" | cut -c1-64)
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sum" ]]; then
    # `npm ci`: installs exactly the committed lock and never rewrites it. The lock is the one `npm install` writes in
    # a clean clone without node_modules, so it lists every platform's optional packages (@swc/core-*, …) and `npm ci`
    # accepts it; .ci/run checks that the tree is still clean afterwards.
    log "Installing npm dependencies (npm ci from the committed lock)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" > "$stamp"
  fi
}

createdb_if_missing() {
  local db="$1"
  if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "create database \"$db\" encoding 'UTF8' template template0" >/dev/null
  fi
}

dropdb_if_exists() {
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists \"$1\" with (force)" >/dev/null
}

# Process helpers: pidfiles in .run/<name>.pid, logs in .run/<name>.log
is_running() { local f="$RUN_DIR/$1.pid"; [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null; }
stop_process() {
  local name="$1" f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { warn "$name did not stop in 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
}
