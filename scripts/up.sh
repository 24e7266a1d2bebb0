#!/usr/bin/env bash
# `npm start`: the whole stack on this machine, with demo data.
# Installs or starts whatever is missing (npm packages, PostgreSQL, Redis, the Keycloak distribution), builds the
# providers and the API, starts Keycloak, the API and the worker in the background, loads demo data and prints the
# URLs and demo credentials. Idempotent: a second run reuses everything and only starts what is stopped.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
t0=$SECONDS
export PORT="${PORT:-3000}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lum}"
export KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:${KC_HTTP_PORT:-8080}}"
export LUM_EVENTS_URL="${LUM_EVENTS_URL:-http://127.0.0.1:$PORT/eventos/keycloak}"

ensure_tools
ensure_services
ensure_node_modules

log "Compiling the API (tsc)"
npx tsc -p tsconfig.build.json

bash scripts/keycloak.sh start
# An existing realm is never re-imported at start: bring it to what git says (docs/realm-gitops.md).
log "Applying realm-export/ to the running realm (realm:apply)"
LUM_REALM_DEV_DEFAULTS=1 node dist/scripts/realm/cli.js apply

db="${DATABASE_URL##*/}"; db="${db%%\?*}"
createdb_if_missing "$db"
log "Applying migrations to $db"
node dist/api/src/db/migrate.js

start_node() {
  local name="$1" entry="$2"
  if is_running "$name"; then log "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  setsid nohup node "$entry" > "$RUN_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$name.pid"
  log "$name started (pid $!, log .run/$name.log)"
}
# Development mail sink: every e-mail Keycloak sends (forgotten password, e-mail verification) is stored under
# .run/mail/ as an .eml file and logged in .run/mail-sink.log; nothing leaves the machine.
start_node mail-sink dist/scripts/support/mail-sink.js
# Development only: the local Gov.br (scripts/support/govbr/simulador.ts) the realm's govbr identity provider points
# to in dev.env (LUM_GOVBR_ISSUER=http://localhost:4400/); it refuses to start with NODE_ENV=production.
start_node govbr-simulador dist/scripts/support/govbr/simulador.js
start_node api dist/api/src/server.js
start_node worker dist/api/src/worker.js
wait_http "http://127.0.0.1:$PORT/health/ready" 60 || { tail -30 "$RUN_DIR/api.log"; die "API not ready (log: .run/api.log)"; }

log "Loading demo data"
node dist/scripts/seed-demo.js

cat <<INFO

  Login Único Municipal — stack up in $((SECONDS - t0)) s

  Keycloak (login)        $KEYCLOAK_URL/realms/prefeitura-sp/account
  Keycloak admin console  $KEYCLOAK_URL/admin   (user ${KEYCLOAK_ADMIN:-admin} / ${KEYCLOAK_ADMIN_PASSWORD:-admin})
  Master-data API         http://localhost:$PORT   (health: /health/ready)
  Minha conta (citizens)  http://localhost:${LUM_PORTAL_PORT:-4000}/   (the Área do Cidadão, served by the API process)
  Logs                    .run/*.log          Stop: npm stop
  E-mails sent (dev sink) .run/mail/*.eml     (SMTP 127.0.0.1:${LUM_SMTP_PORT:-2525}, log .run/mail-sink.log)

  Gov.br simulator        http://localhost:4400/   (APIs http://localhost:4401, log .run/govbr-simulador.log)

  Demo accounts (development only)
    citizen, level 1        CPF 52998224725 / ${LUM_DEMO_CIDADAO_PASSWORD:-Cidadao@2026}
    data steward            CPF 11144477735 / ${LUM_DEMO_GESTOR_PASSWORD:-Gestor@2026}   (role gestor-cadastro)
    gov.br (simulator), password ${LUM_DEMO_GOVBR_PASSWORD:-Govbr@2026} for all, "Entrar com gov.br" on the login page:
      prata, master record (→ level 3)   39053344705   José Carlos de Oliveira
      prata, no master record (→ 2)      35711131796   Luana Martins Rocha
      bronze, no master record (→ 2)     24816326480   Pedro Henrique Souza
      ouro, master record (→ 3)          15350946056   Francisca Lima Pereira
      prata, same CPF as the citizen     52998224725   links after the citizen's password
  Sign in as the citizen:   $KEYCLOAK_URL/realms/prefeitura-sp/account
  Raise the citizen to level 3 (as the steward, with a token from the portal-cidadao client):
    POST http://localhost:$PORT/contas/<keycloak user id>/vinculo  {"cpf":"52998224725","documento":{"tipo":"RG","numero":"..."}}

INFO
