/**
 * Level 4 — biometria cadastrada (issue 13, item 5), against the slot's real Keycloak, PostgreSQL and Redis: the
 * Descomplica points' service account (`descomplica-biometria`, private_key_jwt with the development key, realm role
 * `registro-biometria`) records that a biometric capture was made; the evidence `biometria` raises the account to
 * level 4 by the level rules, and the sync worker writes `nivel_confianca=4` into Keycloak. Another client's or role's
 * token is a 403; every malformed body (template-like data included) is a 400 (413 above 4 KB) and writes nothing.
 *
 * The domain clock is fixed (capture times are judged against it, never the wall clock); the tokens' own expiry
 * stays on the wall clock (jose), as everywhere.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import * as oidc from 'openid-client';
import { relogioFixo, usarRelogio } from '../api/src/relogio.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha } from './support/pilha.js';
import { AdminRenovavel, criarUsuarios, prepararContas, type UsuarioDeTeste } from './support/sincronia.js';

jest.setTimeout(180_000);

const API = `http://127.0.0.1:${KC_TEST.apiPort}`;
const SENHA = 'Senha-da-biometria-2026';
/** "Now" for the domain: Monday 7 December 2026, noon in São Paulo. */
const AGORA = '2026-12-07T12:00:00-03:00';

let db: TestDatabase;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
let tokenDescomplica: string;
let pessoa: UsuarioDeTeste;
let restaurarRelogio: () => void;

const captura = (mais: Record<string, unknown> = {}) => ({
  cpf: pessoa.cpf, ponto: 'descomplica-butanta', operador: 'RF-8123456', capturadaEm: '2026-12-07T11:45:00-03:00', referenciaCaptura: 'BUT-2026-000123', ...mais,
});

async function postar(token: string | null, corpo: unknown, tipo = 'application/json') {
  const res = await fetch(`${API}/biometria/capturas`, {
    method: 'POST', headers: { 'content-type': tipo, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: typeof corpo === 'string' ? corpo : JSON.stringify(corpo),
  });
  return { status: res.status, corpo: (await res.json()) as Record<string, unknown> };
}

const contar = async (sql: string, params: unknown[]) => ((await db.dataSource.query<Array<{ n: number }>>(sql, params))[0]).n;

beforeAll(async () => {
  restaurarRelogio = usarRelogio(relogioFixo(AGORA));
  db = await createTestDatabase();
  const config = configDeTeste(db.url);
  [api, worker] = await Promise.all([iniciarServidor(config), iniciarWorker(config)]);
  fila = criarProdutorSync(config);
  kc = await adminKeycloak();
  [pessoa] = await criarUsuarios(new AdminRenovavel(adminKeycloak), 1);
  // the account (level 1, as after REGISTER) and a valid master record with its CPF: set-up, not under test
  await prepararContas(db.dataSource, [pessoa]);
  const descomplica = await discoverSecretaria('descomplica-biometria');
  tokenDescomplica = (await oidc.clientCredentialsGrant(descomplica)).access_token;
}, 120_000);

afterAll(async () => {
  if (pessoa) await kc.users.del({ id: pessoa.id }).catch(() => undefined);
  await pararPilha({ worker, api, fila, db });
  restaurarRelogio?.();
}, 60_000);

describe('the descomplica-biometria client', () => {
  it('gets a token by client credentials with private_key_jwt: for lum-api, with the one role registro-biometria', () => {
    const at = decodeJwt(tokenDescomplica);
    expect({ azp: at['azp'], aud: at['aud'], papeis: (at['realm_access'] as { roles: string[] }).roles, recursos: at['resource_access'] ?? null })
      .toEqual({ azp: 'descomplica-biometria', aud: 'lum-api', papeis: ['registro-biometria'], recursos: null });
  });

  it('cannot authenticate with a shared secret', async () => {
    const descomplica = await discoverSecretaria('descomplica-biometria');
    const impostor = new oidc.Configuration(descomplica.serverMetadata(), 'descomplica-biometria', 'um-segredo-qualquer');
    oidc.allowInsecureRequests(impostor);
    await expect(oidc.clientCredentialsGrant(impostor)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});

describe('POST /biometria/capturas: who may call', () => {
  it('no token → 401; a citizen, a central steward, and a user holding registro-biometria through another client → 403; nothing written', async () => {
    expect((await postar(null, captura())).status).toBe(401);
    const portal = await discover('portal-cidadao');
    for (const papeis of [['cidadao'], ['gestor-cadastro'], ['registro-biometria']]) {
      const u = await criarServidor(kc, papeis, SENHA);
      try {
        const t = await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: u.cpf, password: SENHA });
        const r = await postar(t.access_token, captura());
        expect({ papeis, status: r.status, mensagem: r.corpo['message'] }).toEqual({
          papeis, status: 403, mensagem: 'Acesso restrito à conta de serviço dos postos Descomplica (cliente descomplica-biometria, papel registro-biometria)',
        });
      } finally {
        await kc.users.del({ id: u.id });
      }
    }
    expect(await contar(`SELECT count(*)::int AS n FROM evidencia WHERE conta_id = $1`, [pessoa.id])).toBe(0);
  });
});

describe('POST /biometria/capturas: bad bodies are refused and write nothing', () => {
  const modeloBase64 = Buffer.alloc(600, 7).toString('base64');
  it.each([
    ['a template-like reference (base64)', { referenciaCaptura: modeloBase64.slice(0, 60) + '+/==' }, 'referenciaCaptura'],
    ['a reference longer than 64', { referenciaCaptura: 'A'.repeat(65) }, 'referenciaCaptura'],
    ['a template field', { template: modeloBase64 }, 'template'],
    ['an image field', { imagem: 'data:image/png;base64,iVBORw0KGgo=' }, 'imagem'],
    ['an invalid CPF', { cpf: '12345678900' }, 'cpf'],
    ['an unknown point', { ponto: 'posto-inexistente' }, 'ponto'],
    ['an operator with spaces', { operador: 'Maria da Silva' }, 'operador'],
    ['a time without offset', { capturadaEm: '2026-12-07T11:45:00' }, 'capturadaEm'],
    ['a time in the future of the domain clock', { capturadaEm: '2026-12-07T12:10:00-03:00' }, 'capturadaEm'],
    ['a time over 7 days old', { capturadaEm: '2026-11-29T12:00:00-03:00' }, 'capturadaEm'],
    ['no CPF', { cpf: undefined }, 'cpf'],
  ])('%s → 400 naming the field', async (_nome, mudanca, campo) => {
    const r = await postar(tokenDescomplica, captura(mudanca));
    expect(r.status).toBe(400);
    expect((r.corpo['details'] as Array<{ path: string }>).map((d) => d.path)).toEqual([campo]);
  });

  it('a list, a string, malformed JSON → 400; a body over 4 KB (a template would be) → 413', async () => {
    expect((await postar(tokenDescomplica, [captura()])).status).toBe(400);
    expect((await postar(tokenDescomplica, '"texto"')).status).toBe(400);
    expect((await postar(tokenDescomplica, '{"cpf":')).status).toBe(400);
    expect((await postar(tokenDescomplica, captura({ referenciaCaptura: 'x', extra: 'y'.repeat(5000) }))).status).toBe(413);
  });

  it('nothing was written by any of them', async () => {
    expect(await contar(`SELECT count(*)::int AS n FROM evidencia WHERE conta_id = $1`, [pessoa.id])).toBe(0);
    expect(await contar(`SELECT count(*)::int AS n FROM auditoria WHERE acao = 'biometria.registrada'`, [])).toBe(0);
    expect(await contar(`SELECT count(*)::int AS n FROM sincronizacao_saida WHERE conta_id = $1`, [pessoa.id])).toBe(0);
  });

  it('a CPF without an account → 404; a valid CPF whose account exists but has no master record → 422; nothing written', async () => {
    const [semRegistro] = await criarUsuarios(new AdminRenovavel(adminKeycloak), 1);
    try {
      await db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado) VALUES ($1, $2, $3)`, [semRegistro.id, semRegistro.cpf, semRegistro.cpf]);
      const r422 = await postar(tokenDescomplica, captura({ cpf: semRegistro.cpf }));
      expect([r422.status, r422.corpo['message']]).toEqual([422, 'Não há registro com este CPF no cadastro base: o nível 4 exige o registro; cadastre a pessoa antes de registrar a biometria']);
      await db.dataSource.query(`DELETE FROM conta WHERE keycloak_user_id = $1`, [semRegistro.id]);
      expect((await postar(tokenDescomplica, captura({ cpf: semRegistro.cpf }))).status).toBe(404);
    } finally {
      await kc.users.del({ id: semRegistro.id });
    }
    expect(await contar(`SELECT count(*)::int AS n FROM evidencia`, [])).toBe(0);
  });
});

describe('POST /biometria/capturas: the fact recorded, level 4 in Keycloak', () => {
  it('201: evidence biometria (the fact only), level 1 → 4, audit row, outbox row; the worker writes nivel_confianca=4 into Keycloak', async () => {
    const r = await postar(tokenDescomplica, captura({ cpf: `${pessoa.cpf.slice(0, 3)}.${pessoa.cpf.slice(3, 6)}.${pessoa.cpf.slice(6, 9)}-${pessoa.cpf.slice(9)}` }));
    expect(r.status).toBe(201);
    expect(r.corpo).toMatchObject({
      keycloakUserId: pessoa.id, nivelAnterior: 1, nivel: 4, agendamentoId: null,
      evidencia: {
        tipo: 'biometria', pessoaCpf: pessoa.cpf, registradoPor: 'descomplica-biometria',
        detalhe: { ponto: 'descomplica-butanta', operador: 'RF-8123456', capturadaEm: '2026-12-07T14:45:00.000Z', referenciaCaptura: 'BUT-2026-000123' },
      },
      sincronizacao: { jobId: expect.any(String) },
    });
    // only the fact: exactly these keys in the stored evidence
    const [ev] = await db.dataSource.query<Array<{ detalhe: Record<string, unknown> }>>(`SELECT detalhe FROM evidencia WHERE conta_id = $1`, [pessoa.id]);
    expect(Object.keys(ev.detalhe).sort()).toEqual(['capturadaEm', 'operador', 'ponto', 'referenciaCaptura']);
    const [aud] = await db.dataSource.query<Array<{ ator: string; cliente: string; pessoa_cpf: string; campos: string[] }>>(
      `SELECT ator, cliente, pessoa_cpf, campos FROM auditoria WHERE acao = 'biometria.registrada'`,
    );
    expect(aud).toEqual({ ator: 'descomplica-biometria', cliente: 'descomplica-biometria', pessoa_cpf: pessoa.cpf, campos: ['evidencias', 'nivel_confianca'] });
    expect(await contar(`SELECT count(*)::int AS n FROM sincronizacao_saida WHERE conta_id = $1 AND motivo = 'nivel'`, [pessoa.id])).toBe(1);
    await eventually(async () => expect((await kc.users.findOne({ id: pessoa.id }))?.attributes?.['nivel_confianca']?.[0]).toBe('4'), { timeoutMs: 90_000 });
  });

  it('the same capture again → 409, nothing more written', async () => {
    const r = await postar(tokenDescomplica, captura());
    expect([r.status, r.corpo['message']]).toEqual([409, 'Esta captura (descomplica-butanta, BUT-2026-000123) já foi registrada']);
    expect(await contar(`SELECT count(*)::int AS n FROM evidencia WHERE conta_id = $1`, [pessoa.id])).toBe(1);
  });
});
