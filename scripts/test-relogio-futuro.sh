#!/usr/bin/env bash
# `npm run test:relogio-futuro`: the whole `npm test` with the machine's clock moved ahead (default 400 days) for
# every process the tests start — jest, the API and worker they run, the Keycloak test instance (Java), Chromium,
# Maven — through libfaketime (LD_PRELOAD). PostgreSQL and Redis run outside and keep the real time. A test that
# passes today but not here depends on the date it runs. LUM_TEST_DESLOCAMENTO=+800d (etc.) chooses the shift.
# Extra arguments go to jest, as with `npm test`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
desloc="${LUM_TEST_DESLOCAMENTO:-+400d}"
[[ "$desloc" =~ ^[+-][0-9]+[dhms]?$ ]] || die "LUM_TEST_DESLOCAMENTO: use a shift like +400d"
command -v faketime >/dev/null || { log "libfaketime missing: installing Debian's faketime"; apt_install faketime libfaketime; }
# The Keycloak test instance must be started under the shifted clock (its tokens carry its time).
[[ "${LUM_TEST_REUSE_KEYCLOAK:-}" == 1 ]] && die "LUM_TEST_REUSE_KEYCLOAK=1 would reuse a Keycloak on the real clock: unset it"
# The JVM hangs when its monotonic clock is faked; only the wall clock moves.
export FAKETIME_DONT_FAKE_MONOTONIC=1
log "Clock moved $desloc: $(faketime -f "$desloc" date -u '+%Y-%m-%d %H:%M UTC') (real: $(date -u '+%Y-%m-%d %H:%M UTC'))"
exec faketime -f "$desloc" bash "$ROOT/scripts/test.sh" "$@"
