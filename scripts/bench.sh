#!/usr/bin/env bash
# `npm run bench`: builds what is needed, then runs every benchmark in bench/, prints their tables, writes each one's
# results file (bench/resultados/<name>.md) and copies the official ones into the README's Benchmarks section.
# `npm run bench -- login pessoa-get` runs only the named ones (also LUM_BENCH="login").
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_tools
ensure_services
ensure_node_modules
benches=("$@")
(( ${#benches[@]} )) || read -r -a benches <<< "${LUM_BENCH:-cold-start pessoa-get login login-politicas sala-espera carga vinculo sincronia acessos}"
for b in "${benches[@]}"; do
  [[ -f "$ROOT/bench/$b.ts" ]] || die "no benchmark bench/$b.ts (have: $(cd "$ROOT/bench" && ls *.ts | grep -v -e '^lib.ts$' -e '^baseline-server.ts$' -e '^readme.ts$' -e '^login-comum.ts$' | sed 's/\.ts$//' | tr '\n' ' '))"
done
npx tsc -p tsconfig.build.json
bash scripts/keycloak.sh build
# The untouched distribution, the named baseline of cold-start and login (its own folder; built once).
KC_STOCK=1 bash scripts/keycloak.sh build
for b in "${benches[@]}"; do
  log "bench/$b"
  node "dist/bench/$b.js"
done
node dist/bench/readme.js
