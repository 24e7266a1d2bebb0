#!/usr/bin/env bash
# Keycloak from its distribution zip (Maven Central), with our providers, themes and realm.
#   scripts/keycloak.sh fetch            download + unpack the pinned distribution into .cache/ (once)
#   scripts/keycloak.sh build            build keycloak/ with Maven, install the jar, `kc.sh build` when anything changed
#   scripts/keycloak.sh start            start an instance in the background and wait for :MGMT/health/ready
#   scripts/keycloak.sh stop | status
# Instance settings (env): KC_INSTANCE (dev), KC_HTTP_PORT (8080), KC_MGMT_PORT (9000), KC_DB_NAME (lum_keycloak),
#   KC_FRESH_DB=1 drops the instance's database first, KEYCLOAK_ADMIN_PASSWORD (admin, dev only),
#   LUM_EVENTS_URL / LUM_EVENTS_HMAC_SECRET for the event listener, secrets substituted into realm-export/*.json
#   (LUM_API_CLIENT_SECRET, client URIs, public keys…; development values from scripts/realm/dev.env fill the unset ones).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KC_INSTANCE="${KC_INSTANCE:-dev}"
KC_HTTP_PORT="${KC_HTTP_PORT:-8080}"
KC_MGMT_PORT="${KC_MGMT_PORT:-9000}"
KC_DB_NAME="${KC_DB_NAME:-lum_keycloak}"
NAME="keycloak-$KC_INSTANCE"
BUILD_OPTS=(--db=postgres --health-enabled=true --metrics-enabled=true)
# KC_STOCK=1: an untouched copy of the same distribution (no providers, no theme, no realm import) — the named
# baseline of the benchmarks. It lives in its own folder so both builds stay valid side by side.
if [[ "${KC_STOCK:-0}" == 1 ]]; then KC_HOME="$CACHE_DIR/keycloak-stock/keycloak-$KC_VERSION"; fi
# ICP-Brasil certificate sign-in (docs/certificado-icp.md): the client certificate reaches Keycloak from the
# TLS-terminating proxy in the RFC 9440 header Client-Cert (x509cert-lookup provider rfc9440, a build-time option).
# Our authenticator only believes it with the proxy's secret (LUM_ICP_PROXY_SEGREDO); the stock baseline has neither.
if [[ "${KC_STOCK:-0}" != 1 ]]; then BUILD_OPTS+=(--spi-x509cert-lookup--provider=rfc9440); fi

kc_fetch() {
  [[ -x "$KC_HOME/bin/kc.sh" ]] && return 0
  ensure_tools
  local zip="$CACHE_DIR/keycloak/keycloak-quarkus-dist-$KC_VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "Fetching Keycloak $KC_VERSION from Maven Central (org.keycloak:keycloak-quarkus-dist:zip)"
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
      -DoutputDirectory="$CACHE_DIR/keycloak" -Dmdep.overWriteIfNewer=true
  fi
  log "Unpacking $zip"
  mkdir -p "$(dirname "$KC_HOME")"
  (cd "$(dirname "$KC_HOME")" && unzip -q -o "$zip")
  [[ -x "$KC_HOME/bin/kc.sh" ]] || die "unpacked distribution has no bin/kc.sh"
}

kc_build() {
  kc_fetch
  choose_java_home
  if [[ "${KC_STOCK:-0}" == 1 ]]; then
    :
  elif [[ "${LUM_SKIP_MVN:-0}" != 1 ]]; then
    log "Building keycloak/ providers with Maven (JAVA_HOME=$JAVA_HOME)"
    (cd "$ROOT/keycloak" && mvn -B -q ${LUM_MVN_ARGS:--DskipTests} package)
  fi
  if [[ "${KC_STOCK:-0}" != 1 ]]; then
    if [[ ! -f "$PROVIDER_JAR" ]]; then
      log "No provider jar yet: building keycloak/ with Maven"
      (cd "$ROOT/keycloak" && mvn -B -q -DskipTests package)
    fi
    # Copy only a changed jar: Keycloak compares file times, and a needless copy forces a rebuild.
    cmp -s "$PROVIDER_JAR" "$KC_HOME/providers/$(basename "$PROVIDER_JAR")" || cp -f "$PROVIDER_JAR" "$KC_HOME/providers/"
  fi
  local stamp="$KC_HOME/.lum-build-stamp" want
  # Keycloak itself notices a provider change by file time, so the stamp covers content and time.
  local jars_id="no-providers"
  if compgen -G "$KC_HOME/providers/*.jar" >/dev/null; then
    jars_id="$(cat "$KC_HOME"/providers/*.jar | sha256sum | cut -c1-16) $(stat -c %Y "$KC_HOME"/providers/*.jar | tr '\n' ' ')"
  fi
  want="$jars_id ${BUILD_OPTS[*]} $JAVA_HOME"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "Keycloak build is current (providers unchanged)"
    return 0
  fi
  # Rebuilding rewrites lib/ under any instance running from this install, which then fails at random
  # ("invalid LOC header"): refuse, naming them, rather than break them.
  local f n others=()
  for f in "$RUN_DIR"/keycloak-*.home; do
    [[ -e "$f" ]] || continue
    n="$(basename "$f" .home)"
    [[ "$n" != "$NAME" && "$(cat "$f")" == "$KC_HOME" ]] && is_running "$n" && others+=("$n")
  done
  if (( ${#others[@]} > 0 )); then
    die "the Keycloak providers changed and need 'kc.sh build', but ${others[*]} run(s) from this install: stop it first (npm stop, or KC_INSTANCE=<name> bash scripts/keycloak.sh stop)"
  fi
  log "kc.sh build ${BUILD_OPTS[*]} (once per provider change, ~30 s)"
  local t=$SECONDS
  "$KC_HOME/bin/kc.sh" build "${BUILD_OPTS[@]}" > "$RUN_DIR/keycloak-build.log" 2>&1 \
    || { tail -30 "$RUN_DIR/keycloak-build.log"; die "kc.sh build failed (log: .run/keycloak-build.log)"; }
  echo "$want" > "$stamp"
  log "Keycloak built in $((SECONDS - t)) s"
}

# Realm files are imported at start (IGNORE_EXISTING: an existing realm is left alone; `npm run realm:apply` applies edits).
stage_realm_import() {
  mkdir -p "$KC_HOME/data/import"
  # Instances of the same install share this folder: replace a file only when it changed (atomic rename), so an
  # instance starting meanwhile never reads a half-written or missing realm file.
  local f dest
  for f in "$ROOT"/realm-export/*.json; do
    dest="$KC_HOME/data/import/$(basename "$f")"
    cmp -s "$f" "$dest" || { cp "$f" "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"; }
  done
  for dest in "$KC_HOME"/data/import/*.json; do
    [[ -e "$ROOT/realm-export/$(basename "$dest")" ]] || rm -f "$dest"
  done
}

# Development-only values of the realm file's ${VAR} placeholders (client secrets…), from scripts/realm/dev.env;
# a variable already set (tests, CI, a real deployment's env) always wins. The realm import at start resolves them.
load_realm_dev_env() {
  local k v
  while IFS='=' read -r k v; do
    [[ "$k" =~ ^[A-Z][A-Z0-9_]*$ ]] || continue
    [[ -n "${!k:-}" ]] || export "$k=$v"
  done < "$ROOT/scripts/realm/dev.env"
}

kc_start() {
  if is_running "$NAME"; then
    log "$NAME already running (pid $(cat "$RUN_DIR/$NAME.pid"))"
    wait_ready; return 0
  fi
  kc_build
  ensure_services
  [[ "${KC_FRESH_DB:-0}" == 1 ]] && dropdb_if_exists "$KC_DB_NAME"
  createdb_if_missing "$KC_DB_NAME"
  local -a lum_opts=(--import-realm --spi-theme--folder--dir="$ROOT/themes")
  if [[ "${KC_STOCK:-0}" == 1 ]]; then lum_opts=(); else stage_realm_import; fi
  log "Starting $NAME on http://localhost:$KC_HTTP_PORT (management :$KC_MGMT_PORT, db $KC_DB_NAME, JAVA_HOME=$JAVA_HOME)"
  local -a theme_opts=()
  if [[ "${KC_THEME_CACHE:-1}" == 0 ]]; then
    theme_opts=(--spi-theme--static-max-age=-1 --spi-theme--cache-themes=false --spi-theme--cache-templates=false)
  fi
  echo "$SECONDS" > "$RUN_DIR/$NAME.started"
  echo "$KC_HOME" > "$RUN_DIR/$NAME.home"
  load_realm_dev_env
  KC_DB_URL="jdbc:postgresql://127.0.0.1:5432/$KC_DB_NAME" KC_DB_USERNAME="${KC_DB_USERNAME:-postgres}" \
  KC_DB_PASSWORD="${KC_DB_PASSWORD:-unused-trust-auth}" \
  KC_BOOTSTRAP_ADMIN_USERNAME="${KEYCLOAK_ADMIN:-admin}" KC_BOOTSTRAP_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-admin}" \
  LUM_EVENTS_URL="${LUM_EVENTS_URL:-http://127.0.0.1:${PORT:-3000}/eventos/keycloak}" \
  LUM_EVENTS_HMAC_SECRET="${LUM_EVENTS_HMAC_SECRET:-dev-events-secret}" \
  LUM_ICP_ANCORAS="${LUM_ICP_ANCORAS:-$RUN_DIR/$NAME-icp-ancoras.pem}" \
  LUM_ICP_PROXY_SEGREDO="${LUM_ICP_PROXY_SEGREDO:-dev-icp-proxy-secret}" \
  JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx512m}" \
  setsid nohup "$KC_HOME/bin/kc.sh" start --optimized \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$KC_HTTP_PORT" --http-management-port="$KC_MGMT_PORT" \
      --hostname="http://localhost:$KC_HTTP_PORT" --cache=local "${lum_opts[@]}" "${theme_opts[@]}" \
      > "$RUN_DIR/$NAME.log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$NAME.pid"
  wait_ready
}

wait_ready() {
  local t=$SECONDS timeout="${KC_READY_TIMEOUT:-300}"
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$KC_MGMT_PORT/health/ready" 2>/dev/null; do
    if ! is_running "$NAME"; then
      tail -40 "$RUN_DIR/$NAME.log" >&2 || true
      rm -f "$RUN_DIR/$NAME.pid"
      die "$NAME exited before it was ready (log: .run/$NAME.log)"
    fi
    (( SECONDS - t < timeout )) || { tail -40 "$RUN_DIR/$NAME.log" >&2; die "$NAME not ready after $timeout s (log: .run/$NAME.log)"; }
    sleep 0.5
  done
  log "$NAME ready ($((SECONDS - t)) s waiting)"
}

case "${1:-}" in
  fetch) kc_fetch ;;
  build) kc_build ;;
  start) kc_start ;;
  stop) stop_process "$NAME"; log "$NAME stopped" ;;
  status) if is_running "$NAME"; then echo "$NAME running (pid $(cat "$RUN_DIR/$NAME.pid"))"; else echo "$NAME stopped"; exit 1; fi ;;
  java-home) choose_java_home; echo "$JAVA_HOME" ;;
  *) echo "usage: $0 fetch|build|start|stop|status|java-home" >&2; exit 2 ;;
esac
