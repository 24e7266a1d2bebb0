/**
 * The pieces a test needs to run our stack against the slot's Keycloak: the API/worker configuration (the API on
 * the fixed port the Keycloak listener posts events to, its own BullMQ prefix, fast sync retries), an admin
 * client of the realm, staff accounts, citizens registered through the portal, and the teardown.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../api/src/config.js';
import { cpfAleatorio } from '../../api/test/helpers/cpfs.js';
import type { Configuration } from 'openid-client';
import type { DataSource } from 'typeorm';
import { eventually, present } from './eventually.js';
import { KC_TEST } from './keycloak.js';
import { decodeJwt, pageErrors, register } from './oidc.js';

export function configDeTeste(databaseUrl: string, extra: Record<string, string> = {}): Config {
  const prefixo = `lum-teste-${randomBytes(3).toString('hex')}`;
  return loadConfig({
    NODE_ENV: 'test',
    PORT: String(KC_TEST.apiPort),
    DATABASE_URL: databaseUrl,
    KEYCLOAK_URL: KC_TEST.url,
    LUM_API_CLIENT_SECRET: KC_TEST.apiClientSecret,
    LUM_EVENTS_HMAC_SECRET: KC_TEST.eventsSecret,
    QUEUE_PREFIX: prefixo,
    // ~200 s of retries: a restarted Keycloak can take over 100 s to be ready on a busy 2-core machine
    SYNC_ATTEMPTS: '100',
    SYNC_BACKOFF_MS: '500',
    SYNC_BACKOFF_MAX_MS: '2000',
    // the worker's audit anchors of test databases stay out of the repository's .run/, one file per test stack
    // (parallel test files and other slots never append to the same file)
    AUDIT_ANCHOR_FILE: path.join(os.tmpdir(), `${prefixo}-auditoria-ancoras.jsonl`),
    LOG_LEVEL: 'silent',
    // the worker's periodic reconciliation, the recovery of Keycloak's stored events (they would read the events of
    // every test sharing the realm) and its metrics port are off unless a test turns them on
    RECONCILIACAO_INTERVALO_S: '0',
    EVENTOS_RECUPERACAO_INTERVALO_S: '0',
    LUM_METRICS_PORT: '0',
    // the citizen area listens on the realm's portal port (4000) only in the test that drives it (e2e-area-cidadao)
    LUM_PORTAL_PORT: '0',
    ...extra,
  });
}

/** An admin client signed in to the master realm, pointed at the test realm. */
/** Signs `kc` in again as the tests' admin (master realm), then points it back at the city's realm. */
export async function autenticarAdmin(kc: KcAdminClient): Promise<void> {
  kc.setConfig({ realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: KC_TEST.adminUser, password: KC_TEST.adminPassword });
  kc.setConfig({ realmName: KC_TEST.realm });
}

export async function adminKeycloak(): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: KC_TEST.url, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: KC_TEST.adminUser, password: KC_TEST.adminPassword });
  kc.setConfig({ realmName: KC_TEST.realm });
  return kc;
}

/**
 * A staff account holding `papeis` (realm roles; none is allowed), with a password; returns its CPF (the username)
 * and id. A role missing from the realm fails the set-up, naming it.
 */
export async function criarServidor(kc: KcAdminClient, papeis: readonly string[], senha: string): Promise<{ cpf: string; id: string }> {
  const cpf = cpfAleatorio();
  const { id } = await kc.users.create({
    username: cpf, email: `gestor.${cpf}@prefeitura.sp.gov.br`, firstName: 'Gestora', lastName: 'de Dados',
    enabled: true, emailVerified: true, credentials: [{ type: 'password', value: senha, temporary: false }],
  });
  const roles = [];
  for (const name of papeis) {
    const r = await kc.roles.findOneByName({ name });
    if (!r?.id || !r.name) throw new Error(`papel ${name} ausente do realm (realm-export/prefeitura-sp.json)`);
    roles.push({ id: r.id, name: r.name });
  }
  if (roles.length) await kc.users.addRealmRoleMappings({ id, roles });
  return { cpf, id };
}

/** Where test citizens land after the portal's sign-in (nothing listens there; the code is read from the URL). */
const REDIRECT_PORTAL = 'http://localhost:4000/callback';

/**
 * A citizen registers through the portal's registration form (real Keycloak pages) and is signed in; returns the
 * Keycloak user id. With `contaEm`, also waits until the API has recorded the account (the REGISTER event arrived).
 */
export async function registrarCidadao(
  portal: Configuration,
  dados: { cpf: string; senha: string; nome: string; sobrenome: string; dataNascimento: string },
  contaEm?: DataSource,
): Promise<string> {
  const { cpf } = dados;
  const r = await register({
    config: portal, redirectUri: REDIRECT_PORTAL,
    user: {
      cpf, password: dados.senha, email: `${cpf}@exemplo.sp.gov.br`, firstName: dados.nome, lastName: dados.sobrenome, dataNascimento: dados.dataNascimento,
    },
  });
  if (!r.ok) throw new Error(`registration failed:\n${pageErrors(r.html)}`);
  const userId = decodeJwt(r.tokens.id_token!).sub as string;
  if (contaEm) await eventually(async () => present((await contaEm.query<unknown[]>('SELECT 1 FROM conta WHERE keycloak_user_id = $1', [userId]))[0], 'conta'));
  return userId;
}

/** Stops whatever of the stack a test started (any may be missing) and drops its database. */
export async function pararPilha(p: {
  worker?: { parar(): Promise<void> };
  api?: { parar(): Promise<void> };
  fila?: { fila: { obliterate(o: { force: boolean }): Promise<void> }; fechar(): Promise<void> };
  db?: { drop(): Promise<void> };
}): Promise<void> {
  await p.worker?.parar();
  await p.api?.parar();
  await p.fila?.fila.obliterate({ force: true }).catch(() => undefined);
  await p.fila?.fechar();
  await p.db?.drop();
}
