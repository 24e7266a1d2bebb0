/**
 * `node dist/scripts/sincronia.js <comando>` (after `npm run build`) — operators' commands of the Keycloak sync path,
 * against DATABASE_URL and KEYCLOAK_URL:
 *
 *   reenviar [--id N ...]   replays the dead letters (all not yet replayed, or the ids given) as new outbox rows;
 *                           the worker's relay delivers them
 *   reconciliar             compares every account's state in Keycloak with the master record's now, repairs drift
 *                           through the outbox, prints what it repaired (the worker runs it periodically too)
 *
 * Prints a JSON report on stdout. Exit 0 when it ran, 1 when it could not (usage, database or Keycloak down).
 */
import 'reflect-metadata';
import { loadConfig } from '../api/src/config.js';
import { criarDataSource } from '../api/src/db/data-source.js';
import { KeycloakAdminUsers, opcoesKeycloakAdmin } from '../api/src/keycloak-sync/keycloak-users.port.js';
import { reconciliar } from '../api/src/keycloak-sync/reconciliar.js';
import { reenviarFalhas } from '../api/src/keycloak-sync/saida.js';
import { executarSeForPrincipal } from '../api/src/processo.js';

export async function executarSincronia(args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<{ codigo: number; saida: string }> {
  const [comando, ...resto] = args;
  if (comando !== 'reenviar' && comando !== 'reconciliar') return { codigo: 1, saida: 'uso: sincronia.js reenviar [--id N ...] | reconciliar' };
  const ids: string[] = [];
  for (let i = 0; i < resto.length; i++) {
    if (resto[i] === '--id' && /^\d+$/.test(resto[i + 1] ?? '')) ids.push(resto[++i]);
    else return { codigo: 1, saida: `argumento inválido: ${resto[i]} (use --id <número>)` };
  }
  const config = loadConfig(env);
  const dataSource = criarDataSource({ url: config.databaseUrl, applicationName: 'lum-sincronia-cli' });
  await dataSource.initialize();
  try {
    const ator = `cli:${env['USER'] ?? 'operador'}`;
    const r =
      comando === 'reenviar'
        ? await reenviarFalhas(dataSource, { ids, ator })
        : await reconciliar({ dataSource, keycloak: new KeycloakAdminUsers(opcoesKeycloakAdmin(config)), origem: ator });
    return { codigo: 0, saida: JSON.stringify(r, null, 2) };
  } finally {
    await dataSource.destroy();
  }
}

executarSeForPrincipal(import.meta.url, async () => {
  const r = await executarSincronia(process.argv.slice(2));
  (r.codigo === 0 ? console.log : console.error)(r.saida);
  process.exitCode = r.codigo;
  return { parar: () => Promise.resolve() };
});
