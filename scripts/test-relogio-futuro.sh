#!/usr/bin/env bash
# `npm run test:relogio-futuro`: `npm test` with the clock moved ahead (default 400 days) for jest and every process it
# starts — the API and worker the tests run, the Keycloak test instance (Java), Chromium — through libfaketime
# (LD_PRELOAD). PostgreSQL and Redis run outside and keep the real time; so do tsc and Maven's JUnit tests (the
# build steps before jest). A test that passes today but not here depends on the date it runs.
# LUM_TEST_DESLOCAMENTO=+800d (etc.) chooses the shift. Extra arguments go to jest, as with `npm test`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
desloc="${LUM_TEST_DESLOCAMENTO:-+400d}"
[[ "$desloc" =~ ^[+-][0-9]+[dhms]?$ ]] || die "LUM_TEST_DESLOCAMENTO: use a shift like +400d"
command -v faketime >/dev/null || { log "libfaketime missing: installing Debian's faketime"; apt_install faketime libfaketime; }
# The Keycloak test instance must be started under the shifted clock (its tokens carry its time).
[[ "${LUM_TEST_REUSE_KEYCLOAK:-}" == 1 ]] && die "LUM_TEST_REUSE_KEYCLOAK=1 would reuse a Keycloak on the real clock: unset it"
log "Clock moved $desloc for jest: $(faketime -f "$desloc" date -u '+%Y-%m-%d %H:%M UTC') (real: $(date -u '+%Y-%m-%d %H:%M UTC'))"
# (test.sh keeps the JVM's monotonic clock real: it hangs when that one is faked too.)
LUM_TEST_FAKETIME="$desloc" exec bash "$ROOT/scripts/test.sh" "$@"
