#!/usr/bin/env bash
# `npm run test:relogio-futuro`: the whole jest suite (unit, integration, stack) with the clock of jest and of
# everything it starts — the in-process API and worker, the Keycloak test instance, Chromium — moved ahead by
# libfaketime: 400 days unless LUM_TEST_DESLOCAMENTO says otherwise (+800d, -30d…). PostgreSQL and Redis run
# outside and keep the real time. A test that passes with `npm test` but not here depends on the date it runs.
#
# tsc, lint and Maven are not clock-dependent and run on the real clock first (`npm test`'s own steps are not
# repeated here: run `npm test` for them). libfaketime settings, each needed on this machine:
#   NO_FAKE_STAT=1                  file times stay real: Keycloak's `start --optimized` compares the provider jars'
#                                   mtimes with its build and exits with code 2 ("A provider JAR was updated") when
#                                   stat() is faked
#   FAKETIME_DONT_FAKE_MONOTONIC=1  timers and timeouts (monotonic clocks) keep running normally
# Extra arguments go to jest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
desloc="${LUM_TEST_DESLOCAMENTO:-+400d}"
[[ "$desloc" =~ ^[+-][0-9]+[dhms]?$ ]] || die "LUM_TEST_DESLOCAMENTO: use a shift like +400d"
command -v faketime >/dev/null || { log "libfaketime missing: installing Debian's faketime"; apt_install faketime libfaketime; }
ensure_tools
ensure_services        # probes on the real clock (redis-cli hangs under libfaketime)
ensure_chromium
ensure_node_modules
choose_java_home
(cd keycloak && mvn -B -q -DskipTests package > "$RUN_DIR/mvn-relogio.log" 2>&1) || die "keycloak/ Maven build failed (.run/mvn-relogio.log)"
LUM_SKIP_MVN=1 bash scripts/keycloak.sh build   # on the real clock; under libfaketime only `start --optimized`

export NO_FAKE_STAT=1 FAKETIME_DONT_FAKE_MONOTONIC=1
# A fresh Keycloak database takes several minutes to create under libfaketime (Liquibase), more than the usual 300 s.
export KC_READY_TIMEOUT="${KC_READY_TIMEOUT:-900}"
log "Clock moved $desloc: $(faketime -f "$desloc" date -u '+%Y-%m-%d %H:%M UTC') (real: $(date -u '+%Y-%m-%d %H:%M UTC'))"
mkdir -p test-artifacts
exec faketime -f "$desloc" env NODE_OPTIONS=--experimental-vm-modules npx jest --ci "$@"
