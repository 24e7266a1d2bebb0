/**
 * Template-database harness for integration tests.
 *
 * `prepareTemplateDatabase()` runs once per jest run (globalSetup): it recreates `lum_test_template` and applies
 * every migration to it. Each test file then calls `createTestDatabase()`, which clones the template
 * (`CREATE DATABASE … TEMPLATE`, a file copy: fast, and already migrated) into `lum_test_<random>`,
 * and drops it in `afterAll`.
 *
 * Server: env `TEST_DATABASE_ADMIN_URL` (default postgres://postgres@127.0.0.1:5432/postgres), a role allowed to
 * create databases.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { criarDataSource } from '../../api/src/db/data-source.js';
import { executarMigracoes } from '../../api/src/db/migracoes.js';

/** Per test slot (LUM_TEST_SLOT, see keycloak.ts), so parallel runs do not drop each other's template. */
const TEMPLATE_DATABASE = `lum_test_template${process.env.LUM_TEST_SLOT && process.env.LUM_TEST_SLOT !== '0' ? process.env.LUM_TEST_SLOT : ''}`;
const PREFIXO = 'lum_test_';

function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Same server and credentials as the admin URL, another database. */
function urlDoBanco(nome: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${nome}`;
  return url.toString();
}

async function comAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'lum-test-harness' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function identificador(nome: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(nome)) throw new Error(`nome de banco inválido: ${nome}`);
  return `"${nome}"`;
}

/** Drops and recreates the template database, then applies every migration to it. */
export async function prepareTemplateDatabase(): Promise<void> {
  await comAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${identificador(TEMPLATE_DATABASE)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${identificador(TEMPLATE_DATABASE)}`);
  });
  const dataSource = criarDataSource({ url: urlDoBanco(TEMPLATE_DATABASE), poolMax: 1, applicationName: 'lum-test-template' });
  await dataSource.initialize();
  try {
    await executarMigracoes(dataSource);
  } finally {
    // The template must have no open connection when it is cloned.
    await dataSource.destroy();
  }
}

export interface TestDatabase {
  /** Initialised DataSource on the new database. */
  dataSource: DataSource;
  url: string;
  name: string;
  /** Destroys the DataSource and drops the database. Idempotent. */
  drop(): Promise<void>;
}

/** Clones the template into a fresh `lum_test_<random>` database and opens a DataSource on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${PREFIXO}${randomBytes(6).toString('hex')}`;
  await comAdmin(async (c) => {
    // Two clones at the same moment can collide on the template ("being accessed by other users"): retry briefly.
    for (let tentativa = 1; ; tentativa++) {
      try {
        await c.query(`CREATE DATABASE ${identificador(name)} TEMPLATE ${identificador(TEMPLATE_DATABASE)}`);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || tentativa >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 * tentativa));
      }
    }
  });
  const url = urlDoBanco(name);
  // Test files run in parallel on a machine that may be busy: a request queued behind 49 others for one of the 5
  // connections (entrada-unica's 50 concurrent PATCHes) must not fail because the machine is slow.
  const dataSource = criarDataSource({ url, poolMax: 5, applicationName: 'lum-test', esperaConexaoMs: 60_000 });
  await dataSource.initialize();
  let dropped = false;
  return {
    dataSource,
    url,
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      if (dataSource.isInitialized) await dataSource.destroy();
      await comAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${identificador(name)} WITH (FORCE)`));
    },
  };
}
