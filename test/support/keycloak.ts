/**
 * The Keycloak test instance: started once per jest run by the global setup (scripts/keycloak.sh, fresh database),
 * stopped by the global teardown. Tests reach it through these constants.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * LUM_TEST_SLOT (0–9, default 0) lets several test runs share one machine: each slot has its own Keycloak ports,
 * database, pid file and API port. CI uses slot 0.
 */
const SLOT = Number(process.env.LUM_TEST_SLOT ?? '0');
if (!Number.isInteger(SLOT) || SLOT < 0 || SLOT > 9) throw new Error('LUM_TEST_SLOT must be 0..9');

export const KC_TEST = {
  instance: SLOT === 0 ? 'test' : `test${SLOT}`,
  httpPort: 8180 + SLOT,
  mgmtPort: 9100 + SLOT,
  db: SLOT === 0 ? 'lum_keycloak_test' : `lum_keycloak_test${SLOT}`,
  url: `http://localhost:${8180 + SLOT}`,
  realm: 'prefeitura-sp',
  adminUser: 'admin',
  adminPassword: 'test-admin-password',
  apiClientSecret: 'test-lum-api-secret',
  eventsSecret: 'test-events-secret',
  /** The spine tests run the API on this fixed port: the listener in Keycloak posts events here. */
  apiPort: 3199 - SLOT,
  /** Keycloak sends this slot's e-mails (forgotten password, verification) here; tests run the SMTP sink on it. */
  smtpPort: 2600 + SLOT,
  /** The Gov.br simulator of this slot (the realm's govbr identity provider points here): SSO and APIs origins. */
  govbrPort: 4500 + SLOT,
  govbrApiPort: 4510 + SLOT,
  govbrClientId: 'teste-loginunico.prefeitura.sp.gov.br',
  govbrClientSecret: 'test-govbr-secret',
  /** The PEM bundle of trusted ICP-Brasil certificates this slot's Keycloak reads (LUM_ICP_ANCORAS). */
  icpAncoras: path.join(ROOT, '.run', `keycloak-${SLOT === 0 ? 'test' : `test${SLOT}`}-icp-ancoras.pem`),
  icpProxySegredo: 'test-icp-proxy-secret',
  /** The TLS-terminating proxy of the certificate tests (HTTPS, asks for a client certificate). */
  icpProxyPort: 8480 + SLOT,
  /** The CRLs of the test CA. */
  icpCrlPort: 8490 + SLOT,
} as const;

export const GOVBR_ISSUER = `http://localhost:${KC_TEST.govbrPort}/`;

export const issuer = `${KC_TEST.url}/realms/${KC_TEST.realm}`;

export function keycloakEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KC_INSTANCE: KC_TEST.instance,
    KC_HTTP_PORT: String(KC_TEST.httpPort),
    KC_MGMT_PORT: String(KC_TEST.mgmtPort),
    KC_DB_NAME: KC_TEST.db,
    KEYCLOAK_ADMIN: KC_TEST.adminUser,
    KEYCLOAK_ADMIN_PASSWORD: KC_TEST.adminPassword,
    LUM_API_CLIENT_SECRET: KC_TEST.apiClientSecret,
    LUM_EVENTS_HMAC_SECRET: KC_TEST.eventsSecret,
    LUM_EVENTS_URL: `http://127.0.0.1:${KC_TEST.apiPort}/eventos/keycloak`,
    // ICP-Brasil certificate sign-in: the trusted bundle the certificate tests write (a CA they generate at run
    // time) and the secret their TLS proxy sends (test/support/proxy-tls.ts).
    LUM_ICP_ANCORAS: KC_TEST.icpAncoras,
    LUM_ICP_PROXY_SEGREDO: KC_TEST.icpProxySegredo,
    LUM_SMTP_HOST: '127.0.0.1',
    LUM_SMTP_PORT: String(KC_TEST.smtpPort),
    LUM_GOVBR_ISSUER: GOVBR_ISSUER,
    LUM_GOVBR_CLIENT_ID: KC_TEST.govbrClientId,
    LUM_GOVBR_CLIENT_SECRET: KC_TEST.govbrClientSecret,
    ...extra,
  };
}

async function script(cmd: string, extra: Record<string, string> = {}): Promise<string> {
  const { stdout, stderr } = await run('bash', [path.join(ROOT, 'scripts/keycloak.sh'), cmd], {
    env: keycloakEnv(extra),
    maxBuffer: 16 * 1024 * 1024,
  });
  if (stderr.trim()) process.stderr.write(stderr);
  return stdout;
}

/** Start with a fresh database (once per run). LUM_TEST_REUSE_KEYCLOAK=1 keeps an already-running instance. */
export async function startKeycloak(opts: { fresh: boolean }): Promise<void> {
  await script('start', { KC_FRESH_DB: opts.fresh ? '1' : '0', LUM_SKIP_MVN: '1' });
}

export async function stopKeycloak(): Promise<void> {
  await script('stop');
}

export async function keycloakRunning(): Promise<boolean> {
  try {
    await script('status');
    return true;
  } catch {
    return false;
  }
}
