export * from './constantes.js';
export * from './backoff.js';
export * from './fila.js';
export * from './keycloak-users.port.js';
export * from './sincronizar-nivel.js';
export * from './sync-worker.js';
