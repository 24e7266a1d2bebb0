#!/usr/bin/env bash
# `npm run bench`: builds what is needed, then runs every benchmark in bench/ and prints their tables.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_tools
ensure_services
ensure_node_modules
npx tsc -p tsconfig.build.json
bash scripts/keycloak.sh build
for b in ${LUM_BENCH:-cold-start pessoa-get}; do
  log "bench/$b"
  node "dist/bench/$b.js"
done
