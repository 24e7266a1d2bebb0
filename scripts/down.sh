#!/usr/bin/env bash
# `npm stop`: stops the API, the worker and the dev Keycloak started by `npm start` (PostgreSQL and Redis stay up).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
stop_process api
stop_process worker
stop_process mail-sink
stop_process govbr-simulador
bash "$ROOT/scripts/keycloak.sh" stop
log "Stack stopped"
