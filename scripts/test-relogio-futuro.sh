#!/usr/bin/env bash
# `npm run test:relogio-futuro`: the unit and integration tests with the clock of jest (and of everything it starts:
# the in-process API and worker, Chromium) moved ahead by libfaketime — 400 days unless LUM_TEST_DESLOCAMENTO says
# otherwise (+800d, -30d…). PostgreSQL and Redis run outside and keep the real time. A test that passes with
# `npm test` but not here depends on the date it runs.
#
# Not covered: the files that need Keycloak (the `stack` project and the two `integration` files below) — Keycloak
# 26.7.3 on JDK 25 exits silently under libfaketime 0.9.10 (`kc.sh build` and `kc.sh start --optimized` alike), and
# a Keycloak on the real clock issues tokens that a 400-days-ahead API rightly refuses as expired — and the Chromium
# page test (under libfaketime its axe-core run exceeds the test's timeout).
# Extra arguments go to jest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
desloc="${LUM_TEST_DESLOCAMENTO:-+400d}"
[[ "$desloc" =~ ^[+-][0-9]+[dhms]?$ ]] || die "LUM_TEST_DESLOCAMENTO: use a shift like +400d"
command -v faketime >/dev/null || { log "libfaketime missing: installing Debian's faketime"; apt_install faketime libfaketime; }
ensure_services
ensure_node_modules

FORA='test/cmbd-autorizacao\.test\.ts|api/src/openapi/respostas\.int\.test\.ts|test/cmbd-pagina\.test\.ts'
mapfile -t arquivos < <(NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects unit integration --listTests 2>/dev/null \
  | grep "^$ROOT/.*\.test\.ts$" | sed "s|^$ROOT/||" | grep -Ev "^($FORA)$" | sort)
(( ${#arquivos[@]} > 0 )) || die "jest listed no test file"
export FAKETIME_DONT_FAKE_MONOTONIC=1
log "Clock moved $desloc: $(faketime -f "$desloc" date -u '+%Y-%m-%d %H:%M UTC') (real: $(date -u '+%Y-%m-%d %H:%M UTC')); ${#arquivos[@]} files (unit, integration without Keycloak)"
LUM_TEST_NO_KEYCLOAK=1 exec faketime -f "$desloc" env NODE_OPTIONS=--experimental-vm-modules \
  npx jest --ci --selectProjects unit integration "$@" -- "${arquivos[@]}"
