/**
 * The pieces a test needs to run our stack against the slot's Keycloak: the API/worker configuration (the API on
 * the fixed port the Keycloak listener posts events to, its own BullMQ prefix, fast sync retries) and an admin
 * client of the realm.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../api/src/config.js';
import { cpfAleatorio } from '../../api/test/helpers/cpfs.js';
import { KC_TEST } from './keycloak.js';

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
    SYNC_ATTEMPTS: '40',
    SYNC_BACKOFF_MS: '500',
    SYNC_BACKOFF_MAX_MS: '2000',
    // the worker's audit anchors of test databases stay out of the repository's .run/, one file per test stack
    // (parallel test files and other slots never append to the same file)
    AUDIT_ANCHOR_FILE: path.join(os.tmpdir(), `${prefixo}-auditoria-ancoras.jsonl`),
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** An admin client signed in to the master realm, pointed at the test realm. */
export async function adminKeycloak(): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: KC_TEST.url, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: KC_TEST.adminUser, password: KC_TEST.adminPassword });
  kc.setConfig({ realmName: KC_TEST.realm });
  return kc;
}

/** A staff account holding `papeis` (realm roles), with a password; returns its CPF (the username) and id. */
export async function criarServidor(kc: KcAdminClient, papeis: readonly string[], senha: string): Promise<{ cpf: string; id: string }> {
  const cpf = cpfAleatorio();
  const { id } = await kc.users.create({
    username: cpf, email: `gestor.${cpf}@prefeitura.sp.gov.br`, firstName: 'Gestora', lastName: 'de Dados',
    enabled: true, emailVerified: true, credentials: [{ type: 'password', value: senha, temporary: false }],
  });
  const roles = await Promise.all(papeis.map((name) => kc.roles.findOneByName({ name })));
  await kc.users.addRealmRoleMappings({ id, roles: roles.map((r) => ({ id: r!.id!, name: r!.name! })) });
  return { cpf, id };
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
