/**
 * Property-based fuzzing (fast-check) of EVERY route of the real app: bad bodies, query strings, path parameters and
 * headers, sent over HTTP to the app listening on a random port, with REAL tokens of the slot's Keycloak (real
 * PostgreSQL database cloned from the template, real Redis queue).
 *
 * The routes are the ones the app registers (`listarRotas`), each joined with its row of the OpenAPI table (`ROTAS`:
 * who may call it, its DTO, its query keys); a registered route without a row fails the run, so a new route is
 * fuzzed as soon as it is documented. Every generated request carries at least one flaw the route checks (a bad or
 * missing token, a persona without the role, a junk path parameter, a flawed body, an unknown query key, a junk
 * `dryRun`), so none of them may write.
 *
 * Asserted for every request: no 5xx; every 4xx is the JSON error body (`error` from the closed list, a message,
 * an id, details). After the run: the row count of every table of the database is the one before it, and the app
 * still answers a known-good request.
 *
 * Then, once the row counts are checked, NEAR-VALID bodies: a valid record with one or two fields replaced by junk or
 * by edge values that pass the format checks (year 0001 or 9999, NUL inside text, lone surrogates, 200 astral
 * characters…), sent for real to every route that reads a JSON body (a test fails when one has no valid model):
 * they may be accepted or refused, never a 5xx — what reaches PostgreSQL is what the validation let through.
 *
 * Reproducible: fixed seed by default. `FC_SEED=<n>` changes it (route i uses seed n + i), `FC_RUNS=<n>` the
 * requests per route (default 100: 5,200 requests over today's 52 routes, 45–70 s on a loaded 2-core machine),
 * `FC_RUNS_QUASE=<n>` the near-valid bodies per writing route (default 60). A failure prints the seed and the shrunk
 * counterexample (fast-check); `FUZZ_LOG=1` also logs the API's errors (the stack behind a 5xx).
 *   LUM_TEST_SLOT=3 NODE_OPTIONS=--experimental-vm-modules npx jest api/src/http/entradas-invalidas.int.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { criarVerificadorKeycloak } from '../auth/verificador-token.js';
import { baseValida } from '../cmbd/cmbd.fixtures.js';
import { NOMES_DE_ERRO } from '../errors/api-error.js';
import { ROTAS, type RotaDocumentada } from '../openapi/documento.js';
import { listarRotas } from '../openapi/rotas.js';
import { digitosVerificadoresCnpj } from '../validation/cnpj.js';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister } from '../../test/helpers/eventos.js';
import { adminKeycloak, criarServidor } from '../../../test/support/pilha.js';
import { KC_TEST } from '../../../test/support/keycloak.js';
import { discover, loginWithPassword } from '../../../test/support/oidc.js';
import { discoverSecretaria } from '../../../test/support/chave-cliente-dev.js';
import * as oidc from 'openid-client';
import { relogio } from '../relogio.js';

const SEMENTE = Number(process.env['FC_SEED'] ?? 20261205);
const RUNS = Number(process.env['FC_RUNS'] ?? 100);
const SENHA = 'Senha-de-fuzz-2026';
const REDIRECT = 'http://localhost:4000/callback';

/**
 * CMBD routes that read a JSON body (the OpenAPI table names no DTO for them): they are also fuzzed with their
 * valid path parameters and a flawed body. Any other route gets a junk body too, but its flaw is elsewhere.
 */
const CORPO_CMBD = new Set([
  'PUT /cmbd/orgaos/:sigla', 'POST /cmbd/bases', 'PATCH /cmbd/bases/:id', 'POST /cmbd/bases/:id/inativacao',
  'POST /cmbd/bases/:id/transferencia', 'POST /cmbd/campanhas', 'POST /cmbd/campanhas/:codigo/orgaos/:sigla/pontos-focais',
]);

type Persona = 'central' | 'saude' | 'cgm' | 'cidadao' | 'semConta' | 'descomplica';
const token: Partial<Record<Persona, string>> = {};
/** Username of each persona, to sign in again: access tokens live 300 s (realm), a run lasts longer. */
const usuarios: Partial<Record<Persona, string>> = {};
let emitidosEm = 0;
let entrar: (username: string) => Promise<string>;
async function renovarTokensSeVelhos(): Promise<void> {
  if (Date.now() - emitidosEm < 120_000) return;
  emitidosEm = Date.now();
  for (const [p, u] of Object.entries(usuarios)) token[p as Persona] = await entrar(u);
  // the Descomplica points' service account: client credentials with private_key_jwt
  token.descomplica = (await oidc.clientCredentialsGrant(await discoverSecretaria('descomplica-biometria'))).access_token;
}
let t: AppDeTeste;
let servidor: http.Server;
let porta: number;
const agente = new http.Agent({ keepAlive: true, maxSockets: 1 });
let esquemas: Record<string, { properties?: Record<string, { type?: string | string[] }> }> = {};

const cpfPessoa = cpfAleatorio();
const cpfCidadao = cpfAleatorio();
const cnpj = (() => {
  const base = `${Math.floor(Math.random() * 1e11)}`.padStart(8, '5').slice(0, 8) + '0001';
  return `${base}${digitosVerificadoresCnpj(base)}`;
})();
const validos: Record<string, string> = {};
/** The batch-load inbox (CARGA_DIRETORIO) of this file's app, with one file in it. */
let entradaCarga: string;
/** Golden ids seeded for the linkage routes: `identidadeA` (with a CPF, absorbs `identidadeB`), `identidadeC` (two rows). */
const ids: Record<string, string> = {};

// ---------- HTTP ----------

interface Pedido {
  metodo: string;
  /** Raw path and query, sent as is (no normalisation, no encoding). */
  alvo: string;
  cabecalhos: Record<string, string>;
  corpo?: string;
}
interface Resposta {
  status: number;
  tipo: string;
  texto: string;
  etag?: string;
}

function enviar(p: Pedido): Promise<Resposta> {
  return new Promise((resolve, reject) => {
    const corpo = p.corpo === undefined ? undefined : Buffer.from(p.corpo, 'utf8');
    const req = http.request(
      { host: '127.0.0.1', port: porta, method: p.metodo, path: p.alvo, agent: agente, headers: { ...p.cabecalhos, ...(corpo ? { 'content-length': String(corpo.length) } : {}) } },
      (res) => {
        const partes: Buffer[] = [];
        res.on('data', (c: Buffer) => partes.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, tipo: String(res.headers['content-type'] ?? ''), texto: Buffer.concat(partes).toString('utf8'), etag: res.headers.etag }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(corpo);
  });
}

// ---------- generators ----------

/** A JSON token written as is (numbers JSON.stringify cannot write: 1e400, -0, 30 digits). */
class Bruto {
  constructor(readonly texto: string) {}
}
function json(v: unknown): string {
  if (v instanceof Bruto) return v.texto;
  if (Array.isArray(v)) return `[${v.map(json).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${json(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A CPF with a wrong check digit, or a malformed one. */
const cpfInvalido = fc.oneof(
  fc.constant(cpfAleatorio()).map((c) => `${c.slice(0, 10)}${(Number(c[10]) + 1) % 10}`),
  fc.constantFrom('00000000000', '11111111111', '12345678900', '123.456.789-00', '1234567890', '123456789012', 'abcdefghijk', '０１２３４５６７８９０'),
  fc.stringMatching(/^\d{11}$/).filter((s) => s !== cpfPessoa && s !== cpfCidadao),
);
const cnpjInvalido = fc.oneof(
  fc.constant(cnpj).map((c) => `${c.slice(0, 13)}${(Number(c[13]) + 1) % 10}`),
  fc.constantFrom('00000000000000', '11.222.333/0001-80', '1122233300018', 'XX222333000181'),
  fc.stringMatching(/^\d{14}$/),
);
const unicodeEstranho = fc.oneof(
  fc.constantFrom('\u0000', '\u202Eabc', 'a\u200Bb', '\uD800', '\uDFFFx', 'a\u0301\u0301\u0301', '𝕏𝕐', '\uFFFF', '\u0085', 'Ａｎａ', '🏳️‍🌈', '\t\r\n', '\u001b[31m', ' '),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const textoGrande = fc.tuple(fc.integer({ min: 201, max: 60_000 }), fc.constantFrom('x', 'ç', '𝕏', ' ')).map(([n, c]) => c.repeat(n));
const numeroEstranho = fc.oneof(
  fc.constantFrom('1e400', '-1e400', '-0', '123456789012345678901234567890', '0.0000000000000000000001', '9007199254740993').map((s) => new Bruto(s)),
  fc.constantFrom('1e309', 'NaN', 'Infinity', '0x10', '1_000', ' 42 ', '-1', '2026-02-30', '0000-00-00', '9999-12-31T25:00:00Z', 'true', 'null'),
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** Any value a field may get: wrong types, odd text, oversize text, invalid documents, huge lists. */
const valorRuim: fc.Arbitrary<unknown> = fc.oneof(
  unicodeEstranho, textoGrande, cpfInvalido, cnpjInvalido, numeroEstranho, fc.boolean(), fc.constant(null),
  fc.constant([]), fc.constant({}), fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant({})), { maxLength: 12 }),
  fc.integer({ min: 11, max: 20_000 }).map((n) => Array.from({ length: n }, () => 0)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 4 }),
);
/** A value of a type the schema does not allow for the property (class-validator never converts types here). */
function tipoErrado(tipo: string | string[] | undefined): unknown {
  const tipos = Array.isArray(tipo) ? tipo : tipo ? [tipo] : ['object'];
  if (!tipos.includes('number') && !tipos.includes('integer')) return 42;
  return 'quarenta e dois';
}
/** Text of a JSON value nested `n` levels (`{"a":{"a":…}}`, `[[…]]` or mixed), built as text: JSON.stringify overflows. */
function profundo(n: number, tipo: 'objeto' | 'lista' | 'misto', campo?: string): string {
  let abre = '';
  let fecha = '';
  for (let i = 0; i < n; i++) {
    const lista = tipo === 'lista' || (tipo === 'misto' && i % 2 === 1);
    abre += lista ? '[' : '{"a":';
    fecha = (lista ? ']' : '}') + fecha;
  }
  const v = `${abre}1${fecha}`;
  return campo ? `{${JSON.stringify(campo)}:${v}}` : v;
}
const chaveDesconhecida = fc.string({ minLength: 1, maxLength: 12 }).map((s) => `x_${s}`);
const chavePrototipo = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__');

interface Perfil {
  rota: RotaDocumentada;
  chave: string;
  params: string[];
  /** Properties of the body DTO (from the served document), when the route has one. */
  campos: Record<string, { type?: string | string[] }>;
  leCorpo: boolean;
  /** Unknown body keys are a 400 (every body but the Keycloak event's, which ignores extra fields). */
  recusaDesconhecidos: boolean;
}

/** A body with at least one flaw the route's validation checks. */
function corpoRuim(p: Perfil): fc.Arbitrary<{ tipo: string; texto: string }> {
  const nomes = Object.keys(p.campos);
  const campo = nomes.length ? fc.constantFrom(...nomes) : fc.constant('nome');
  const comuns: fc.Arbitrary<{ tipo: string; texto: string }>[] = [
    fc.tuple(fc.integer({ min: 33, max: 6000 }), fc.constantFrom<'objeto' | 'lista' | 'misto'>('objeto', 'lista', 'misto'), fc.option(campo, { nil: undefined }))
      .map(([n, tipo, c]) => ({ tipo: 'profundo', texto: profundo(n, tipo, c) })),
    fc.constantFrom('[]', '"x"', 'null', 'true', '1', '[{}]', '[[]]', '""', '{}garbage', '[1,2,3]').map((texto) => ({ tipo: 'nao-objeto', texto })),
    fc.oneof(
      fc.constantFrom('{', '{"a":}', "{'a':1}", '{"a":1,}', 'NaN', '{"a":NaN}', '\uFEFF{}', '{"a":"\\ud800"', '{"a":1}{"b":2}', '{"a" 1}', '\u0000', '{"\\u0000":1,', '{"a":"x\u0001"}'),
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `{${s}`),
    ).map((texto) => ({ tipo: 'malformado', texto })),
    fc.tuple(chavePrototipo, fc.oneof(fc.constant({}), fc.constant(null), fc.string(), fc.constant({ nome: 'X', isAdmin: true })), fc.option(campo, { nil: undefined }))
      .map(([k, v, c]) => ({ tipo: 'prototipo', texto: c ? `{${JSON.stringify(c)}:{${JSON.stringify(k)}:${json(v)}}}` : `{${JSON.stringify(k)}:${json(v)}}` })),
  ];
  const valores = fc.dictionary(campo, valorRuim, { maxKeys: 6 });
  // Known fields with junk values, plus one certain flaw: an unknown key, or a value of a type the field never has.
  const certo: fc.Arbitrary<Record<string, unknown>>[] = [];
  if (p.recusaDesconhecidos) certo.push(fc.tuple(chaveDesconhecida, valorRuim).map(([k, v]) => ({ [k]: v })));
  if (nomes.length) certo.push(campo.map((c) => ({ [c]: tipoErrado(p.campos[c].type) })));
  if (certo.length) comuns.push(fc.tuple(valores, fc.oneof(...certo)).map(([v, f]) => ({ tipo: 'campos', texto: json({ ...v, ...f }) })));
  return fc.oneof(...comuns);
}

/** A path parameter that is not a valid value: traversal, encoding junk, invalid documents, odd text, long text. */
function codificar(s: string): string {
  return [...s].map((c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80'; // a lone surrogate: the bytes of an invalid UTF-8 sequence
    }
  }).join('');
}
/**
 * Request targets stay below Node's 16 KB header limit, above which the HTTP server answers 431 before the app (its
 * JSON body: erros-de-cliente.unit.test.ts). A cut in the middle of a %-sequence is more junk.
 */
const TAMANHO_MAXIMO_ALVO = 6000;
/** What Node's client refuses in a request target (outside U+0021–U+00FF) percent-encoded; the rest goes raw. */
const alvoEnviavel = (s: string): string => s.replace(/[^\u0021-\u00ff]/gu, (c) => codificar(c));
const parametroRuim = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', '%00', '%', '%E0%A4%A', '%C0%AF', '%ff', '%25', '%20', '%0A', '%u0041',
    'null', 'undefined', '0', '-1', '1e309', 'NaN', '[object%20Object]', '__proto__', 'constructor', "'%20OR%201%3D1--", '999999999999999999999999',
    '%7B%22a%22%3A1%7D', 'a%2Fb', '..%5C..%5Cwindows', '%F0%9F%8F%B3%EF%B8%8F'),
  cpfInvalido.map(codificar), cnpjInvalido.map(codificar), unicodeEstranho.filter((s) => s.length > 0).map(codificar),
  fc.integer({ min: 40, max: 3000 }).map((n) => 'x'.repeat(n)),
);

const valorDeConsultaRuim = fc.oneof(
  unicodeEstranho.map(codificar), fc.constantFrom('%', '%E0%A4%A', '', '-1', '1e3', '101', '10001', '0x10', ' 1', '1.5', 'true', 'sim', '%00'),
  cpfInvalido.map(codificar), textoGrande.map((s) => codificar(s.slice(0, 2000))),
);
/** A query string with at least one flaw a route reading its query checks: an unknown key, or a junk dryRun. */
function consultaRuim(p: Perfil, certa: boolean): fc.Arbitrary<string> {
  const conhecidas = [...(p.rota.consulta ?? []), ...(p.rota.dryRun ? ['dryRun'] : []), ...(p.rota.caminho === '/cmbd/bases' ? ['sigla'] : [])];
  const chave = fc.oneof(
    ...(conhecidas.length ? [fc.constantFrom(...conhecidas)] : []),
    fc.constantFrom('__proto__', 'constructor', 'a[b]', 'cpf[]', 'limit[0]', 'x[__proto__][y]', '%', '%E0%A4%A', ''),
    chaveDesconhecida.map(codificar),
  );
  const pares = fc.array(fc.tuple(chave, valorDeConsultaRuim), { maxLength: 5 });
  const falha = p.rota.consulta
    ? chaveDesconhecida.map((k) => [[codificar(k), '1']] as [string, string][])
    : p.rota.dryRun
      ? fc.oneof(valorDeConsultaRuim.filter((v) => v !== 'true' && v !== 'false'), fc.constant('true&dryRun=true')).map((v) => [['dryRun', v]] as [string, string][])
      : p.rota.caminho === '/cmbd/bases'
        ? fc.constantFrom('', '%20', 'a%20b', '!!').map((v) => [['sigla', v]] as [string, string][])
        : fc.constant([] as [string, string][]);
  return fc.tuple(pares, certa ? falha : fc.constant([] as [string, string][])).map(([a, b]) => {
    const todos = [...a, ...b];
    return todos.length ? `?${todos.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  });
}

const tokenRuim = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer x.y.z', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer a.b.c.d', 'Token abc'),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }).map((s) => `Bearer ${s}`),
  fc.constantFrom<Persona>('central', 'cgm').map((p) => `Bearer ${token[p]!.slice(0, -3)}abc`), // signature tampered
);
const ifMatchRuim = fc.constantFrom('"v0"', 'W/"v999999999"', '*', '"v1", "v2"', 'v-1', '""', '"v99999999999"', 'x', '"v1', ' ');
const tipoDeConteudo = fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/json; charset=klingon',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'text/csv', '*/*', 'application/merge-patch+json');

/** Who may call the route, and who may not (a role flaw). */
function quem(p: Perfil): { pode?: Persona; naoPode?: Persona } {
  switch (p.rota.acesso) {
    case 'gestor': return { pode: 'central', naoPode: 'cidadao' };
    case 'central': return { pode: 'central', naoPode: 'saude' };
    case 'cmbd': return { pode: 'cgm', naoPode: 'cidadao' };
    case 'cidadao': return { pode: 'cidadao', naoPode: 'semConta' };
    case 'descomplica': return { pode: 'descomplica', naoPode: 'central' };
    default: return {};
  }
}

type Falha = 'token' | 'papel' | 'caminho' | 'corpo' | 'consulta' | 'nenhuma-publica';

/** One generated request for the route, and the flaw it was built around. */
function pedidoRuim(p: Perfil): fc.Arbitrary<{ falha: Falha; pedido: Pedido; corpoTipo?: string }> {
  const { pode, naoPode } = quem(p);
  const autenticada = pode !== undefined;
  const falhas: Falha[] = [];
  if (autenticada) falhas.push('token', 'papel');
  if (p.params.length) falhas.push('caminho');
  if (p.leCorpo) falhas.push('corpo');
  if (p.rota.consulta || p.rota.dryRun || p.rota.caminho === '/cmbd/bases') falhas.push('consulta');
  if (!falhas.length) falhas.push('nenhuma-publica'); // public GETs without parameters: they never write
  const corpo = p.leCorpo || p.rota.metodo !== 'GET' ? corpoRuim(p) : fc.option(corpoRuim(p), { nil: undefined, freq: 3 });
  return fc.constantFrom(...falhas).chain((falha) =>
    fc.record({
      params: fc.tuple(...p.params.map((nome) => (falha === 'caminho' ? fc.constant(null as string | null) : fc.option(parametroRuim, { nil: null, freq: 1 }).map((v) => (falha === 'corpo' || falha === 'consulta' ? null : v))).map((v) => [nome, v] as const))),
      ruim: falha === 'caminho' ? fc.tuple(fc.nat({ max: Math.max(0, p.params.length - 1) }), parametroRuim) : fc.constant(null),
      consulta: consultaRuim(p, falha === 'consulta'),
      corpo: falha === 'corpo' || p.leCorpo ? corpoRuim(p).map((c) => c as { tipo: string; texto: string } | undefined) : corpo,
      autorizacao: falha === 'token' ? tokenRuim : fc.constant(`Bearer ${token[(falha === 'papel' ? naoPode : pode) ?? 'central']}`),
      ifMatch: fc.option(ifMatchRuim, { nil: undefined }),
      tipo: falha === 'corpo' || falha === 'consulta' ? fc.constant('application/json') : tipoDeConteudo,
      hmacValido: fc.boolean(),
    }).map((g) => {
      let caminho = p.rota.caminho;
      p.params.forEach((nome, i) => {
        const v = g.ruim && g.ruim[0] === i ? g.ruim[1] : (g.params[i][1] ?? validos[`${p.rota.caminho}:${nome}`] ?? validos[nome]);
        caminho = caminho.replace(`:${nome}`, v);
      });
      const cabecalhos: Record<string, string> = {};
      if (autenticada && g.autorizacao !== undefined) cabecalhos['authorization'] = g.autorizacao;
      if (g.ifMatch !== undefined) cabecalhos['if-match'] = g.ifMatch;
      if (g.corpo !== undefined) cabecalhos['content-type'] = g.tipo;
      if (p.rota.acesso === 'hmac' && g.corpo !== undefined) {
        // The events route: the flaw is in the body; half the requests are signed right, so the body gets parsed.
        const assinados = cabecalhosAssinados(g.hmacValido ? g.corpo.texto : 'outro corpo');
        for (const [k, v] of Object.entries(assinados)) if (k !== 'content-type') cabecalhos[k] = v;
      }
      return { falha, corpoTipo: g.corpo?.tipo, pedido: { metodo: p.rota.metodo, alvo: alvoEnviavel(`${caminho}${g.consulta}`).slice(0, TAMANHO_MAXIMO_ALVO), cabecalhos, corpo: g.corpo?.texto } };
    }),
  );
}

// ---------- set-up: personas (real Keycloak), seeded records, the listening app ----------

async function contagens(): Promise<Record<string, number>> {
  const tabelas = await t.db.dataSource.query<{ nome: string }[]>(
    `SELECT table_name AS nome FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { nome } of tabelas) out[nome] = Number((await t.db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${nome}"`))[0].n);
  return out;
}

async function chamarValido(metodo: string, alvo: string, quem_: Persona, corpo?: unknown, extra: Record<string, string> = {}): Promise<Resposta> {
  return enviar({
    metodo, alvo, corpo: corpo === undefined ? undefined : JSON.stringify(corpo),
    cabecalhos: { authorization: `Bearer ${token[quem_]}`, ...(corpo === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
  });
}
function esperar(r: Resposta, status: number, oque: string): void {
  if (r.status !== status) throw new Error(`${oque}: esperado ${status}, veio ${r.status} ${r.texto.slice(0, 300)}`);
}

let perfis: Perfil[] = [];
let antes: Record<string, number>;
let rotasSemPerfil: string[] = [];

beforeAll(async () => {
  const verificarToken = criarVerificadorKeycloak({ keycloakUrl: KC_TEST.url, keycloakPublicUrl: KC_TEST.url, keycloakRealm: KC_TEST.realm, lumApiAudience: 'lum-api' });
  entradaCarga = await mkdtemp(join(tmpdir(), 'lum-fuzz-carga-'));
  await writeFile(join(entradaCarga, 'fuzz.csv'), 'ID_CIDADAO;CPF;NOME;NOME_MAE;DATA_NASC;SEXO;CIDADE/UF;TELEFONE;FALECIDO\r\n1;;ANA;;01/02/1980;FEMININO;SAO PAULO/SP;;N\r\n');
  t = await criarAppDeTeste('fuzz', { env: { KEYCLOAK_URL: KC_TEST.url, CARGA_DIRETORIO: entradaCarga, ...(process.env['FUZZ_LOG'] ? { LOG_LEVEL: 'error' } : {}) }, deps: { verificarToken } });
  servidor = http.createServer(t.app);
  await new Promise<void>((r) => servidor.listen(0, '127.0.0.1', r));
  porta = (servidor.address() as AddressInfo).port;

  const kc = await adminKeycloak();
  const portal = await discover('portal-cidadao');
  entrar = async (username: string) => (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username, password: SENHA })).access_token;
  const papeis: [Persona, string[]][] = [['central', ['admin-cadastro']], ['saude', ['gestor-saude']], ['cgm', ['servidor', 'cmbd-cgm']], ['semConta', []]];
  for (const [p, roles] of papeis) usuarios[p] = (await criarServidor(kc, roles, SENHA)).cpf;
  const cidadao = await kc.users.create({
    username: cpfCidadao, email: `${cpfCidadao}@exemplo.sp.gov.br`, firstName: 'Cida', lastName: 'Fuzz', enabled: true, emailVerified: true,
    credentials: [{ type: 'password', value: SENHA, temporary: false }], attributes: { cpf: [cpfCidadao] },
  });
  usuarios.cidadao = cpfCidadao;
  await renovarTokensSeVelhos();

  // Seeded records, so valid path parameters reach the code behind them (validation, the record's current state).
  const evento = JSON.stringify(eventoRegister(cpfCidadao, { userId: cidadao.id }));
  esperar(await enviar({ metodo: 'POST', alvo: '/eventos/keycloak', corpo: evento, cabecalhos: cabecalhosAssinados(evento) }), 202, 'REGISTER do cidadão');
  esperar(await chamarValido('POST', '/pessoas', 'central', { cpf: cpfPessoa, nome: 'Pessoa de Fuzz', dataNascimento: '1980-05-06' }), 201, 'pessoa');
  esperar(await chamarValido('POST', '/pessoas', 'central', { cpf: cpfCidadao, nome: 'Cida Fuzz', dataNascimento: '1985-03-04' }), 201, 'registro do cidadão');
  esperar(await chamarValido('POST', `/contas/${cidadao.id}/vinculo`, 'central', { cpf: cpfCidadao, documento: { tipo: 'RG', numero: '123456789' } }), 200, 'vínculo da conta');
  esperar(await chamarValido('PATCH', '/me/pessoa', 'cidadao', { nome: 'Cida Fuzz Silva' }), 200, 'pedido de troca de nome (revisão)');
  const revisoes = JSON.parse((await chamarValido('GET', `/revisoes?chave=${cpfCidadao}`, 'central')).texto) as { itens: { id: string | number }[] };
  esperar(await chamarValido('POST', '/pessoas-juridicas', 'central', {
    cnpj, razaoSocial: 'Padaria Fuzz Ltda', situacao: 'ativa', responsaveis: [{ cpf: cpfPessoa, papel: 'socio-administrador' }],
  }), 201, 'pessoa jurídica');
  esperar(await chamarValido('PUT', '/cmbd/orgaos/SMADS', 'cgm', { nome: 'Secretaria Municipal de Assistência e Desenvolvimento Social' }), 201, 'órgão');
  const base = await chamarValido('POST', '/cmbd/bases', 'cgm', baseValida());
  esperar(base, 201, 'base do CMBD');
  esperar(await chamarValido('POST', '/cmbd/campanhas', 'cgm', { codigo: '2026-2', prazo: '2099-11-30' }), 201, 'campanha');

  // Golden ids, rows and a linkage review item (what a load would have written), for the linkage routes.
  const q = <T>(sql: string, p: unknown[] = []) => t.db.dataSource.query<T>(sql, p);
  const [{ id: carga }] = await q<{ id: string }[]>(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por, situacao, fase)
     VALUES ('bdc', 'smads-bdc', 'SMADS', 'smads-bdc', 'fuzz.csv', repeat('f', 64), 1, now(), 'fuzz', 'concluida', 'concluida') RETURNING id::text AS id`);
  const novaIdentidade = async (cpf: string | null) => (await q<{ id: string }[]>(`INSERT INTO identidade (cpf, situacao) VALUES ($1, $2) RETURNING id::text AS id`, [cpf, cpf ? 'ativa' : 'pendente']))[0].id;
  const cpfIdentidade = cpfAleatorio();
  Object.assign(ids, { identidadeA: await novaIdentidade(cpfIdentidade), identidadeB: await novaIdentidade(null), identidadeC: await novaIdentidade(null), identidadeR: await novaIdentidade(null) });
  for (const [chave, identidade, cpf] of [['fz-a', ids['identidadeA'], cpfIdentidade], ['fz-b', ids['identidadeB'], null], ['fz-c1', ids['identidadeC'], null], ['fz-c2', ids['identidadeC'], null], ['fz-r', ids['identidadeR'], null]] as const) {
    await q(`INSERT INTO linha_carga (fonte, carga_id, chave_fonte, linha, hash, triagem, cpf, nome, identidade_id, vinculo) VALUES ('bdc', $1, $2, 1, 'h', $3, $4, 'ANA', $5, $6)`,
      [carga, chave, cpf ? 'base-unica' : 'sem-cpf', cpf, identidade, cpf ? 'cpf' : 'novo']);
  }
  const [{ id: itemVinculo }] = await q<{ id: string }[]>(
    `INSERT INTO revisao_vinculo (fonte, chave_fonte, carga_id, identidade_candidata, pontuacao, comparacoes) VALUES ('bdc', 'fz-r', $1, $2, 4.5, '{}') RETURNING id::text AS id`, [carga, ids['identidadeA']]);
  const pedidoCarga = JSON.parse((await chamarValido('POST', '/cargas', 'central', { fonte: 'bdc', arquivo: 'fuzz.csv' })).texto) as { id: string };

  Object.assign(validos, {
    cpf: cpfPessoa, cnpj, campo: 'nome', '/pessoas-juridicas/:cnpj/historico/:campo:campo': 'razaoSocial',
    '/revisoes/:id/assumir:id': String(revisoes.itens[0].id), '/revisoes/:id/resolver:id': String(revisoes.itens[0].id),
    keycloakUserId: cidadao.id, id: (JSON.parse(base.texto) as { id: string }).id, codigo: '2026-2', sigla: 'SMADS', arquivo: '2026-2.csv',
    '/cargas/:id:id': pedidoCarga.id, '/identidades/:id:id': ids['identidadeA'], '/identidades/:id/fundir:id': ids['identidadeA'],
    '/identidades/:id/separar:id': ids['identidadeC'], '/revisoes-vinculo/:id/resolver:id': itemVinculo,
  });

  const doc = JSON.parse((await enviar({ metodo: 'GET', alvo: '/openapi.json', cabecalhos: {} })).texto) as { components: { schemas: typeof esquemas } };
  esquemas = doc.components.schemas;
  const documentadas = new Map(ROTAS.map((r) => [`${r.metodo} ${r.caminho}`, r]));
  const registradas = listarRotas(t.app);
  rotasSemPerfil = registradas.map((r) => `${r.metodo} ${r.caminho}`).filter((k) => !documentadas.has(k));
  perfis = registradas.filter((r) => documentadas.has(`${r.metodo} ${r.caminho}`)).map((r) => {
    const rota = documentadas.get(`${r.metodo} ${r.caminho}`)!;
    const chave = `${r.metodo} ${r.caminho}`;
    return {
      rota, chave, params: [...r.caminho.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]),
      campos: rota.corpo ? (esquemas[rota.corpo]?.properties ?? {}) : {},
      leCorpo: rota.corpo !== undefined || CORPO_CMBD.has(chave),
      recusaDesconhecidos: rota.acesso !== 'hmac',
    };
  });
  antes = await contagens();
}, 300_000);

afterAll(async () => {
  agente.destroy();
  await new Promise<void>((r) => (servidor ? servidor.close(() => r()) : r()));
  await t?.fechar();
  if (entradaCarga) await rm(entradaCarga, { recursive: true, force: true });
});

// ---------- the properties ----------

/** 2xx answers by route (public pages ignore a junk query; a junk-but-well-formed parameter may read nothing). */
const sucessos = new Map<string, number>();
const total = { pedidos: 0, porStatus: new Map<number, number>(), porRota: new Map<string, Map<string, number>>() };

function verificarResposta(p: Pedido, r: Resposta): void {
  const onde = `${p.metodo} ${p.alvo.slice(0, 200)} → ${r.status}: ${r.texto.slice(0, 300)}`;
  if (r.status >= 500) throw new Error(`5xx para entrada inválida: ${onde}`);
  if (r.status >= 400) {
    if (!/^application\/json\b/.test(r.tipo)) throw new Error(`4xx sem corpo JSON (${r.tipo}): ${onde}`);
    const corpo = JSON.parse(r.texto) as { error?: unknown; message?: unknown; id?: unknown; details?: unknown };
    const forma = (NOMES_DE_ERRO as readonly unknown[]).includes(corpo.error) && typeof corpo.message === 'string' && corpo.message.length > 0 &&
      typeof corpo.id === 'string' && Array.isArray(corpo.details);
    if (!forma) throw new Error(`4xx fora da forma de erro: ${onde}`);
  }
}

/** The answer's JSON error, for the hand-written examples below. */
function erro(r: Resposta): { status: number; error: string; message: string; details: unknown } {
  const c = JSON.parse(r.texto) as { error: string; message: string; details: unknown };
  return { status: r.status, error: c.error, message: c.message, details: c.details };
}
const corpoCru = (metodo: string, alvo: string, texto: string, extra: Record<string, string> = {}) =>
  enviar({ metodo, alvo, corpo: texto, cabecalhos: { authorization: `Bearer ${token.central}`, 'content-type': 'application/json', ...extra } });
const pessoaValida = () => ({ cpf: cpfAleatorio(), nome: 'Pessoa Nova', dataNascimento: '1990-01-02' });
const PROFUNDO = 'O corpo JSON passa de 32 níveis de objetos ou listas aninhados';

describe('the bad inputs of the issue, one by one (expected answers written by hand)', () => {
  it('a body nested 5,000 levels (~30 KB, under the body limit) → 400 with the nesting message, on every JSON parser', async () => {
    const texto = profundo(5000, 'objeto');
    expect(texto.length).toBeGreaterThan(29_000);
    expect(texto.length).toBeLessThan(100 * 1024);
    const esperado = { status: 400, error: 'DadosInvalidos', message: PROFUNDO, details: [{ path: Array.from({ length: 32 }, () => 'a').join('.'), message: PROFUNDO }] };
    await renovarTokensSeVelhos();
    expect(erro(await corpoCru('POST', '/pessoas', texto))).toEqual(esperado);
    expect(erro(await corpoCru('PATCH', `/pessoas/${cpfPessoa}`, texto, { 'if-match': '"v1"' }))).toEqual(esperado);
    expect(erro(await enviar({ metodo: 'PATCH', alvo: '/me/pessoa', corpo: texto, cabecalhos: { authorization: `Bearer ${token.cidadao}`, 'content-type': 'application/json' } }))).toEqual(esperado);
    expect(erro(await enviar({ metodo: 'POST', alvo: '/cmbd/bases', corpo: texto, cabecalhos: { authorization: `Bearer ${token.cgm}`, 'content-type': 'application/json' } }))).toEqual(esperado);
    // The events route reads its raw body (HMAC): the same check after its own JSON.parse.
    expect(erro(await enviar({ metodo: 'POST', alvo: '/eventos/keycloak', corpo: texto, cabecalhos: cabecalhosAssinados(texto) }))).toEqual(esperado);
    // Lists too, inside a real field: the path names the field.
    const lista = erro(await corpoCru('POST', '/pessoas', profundo(40, 'lista', 'emails')));
    expect(lista).toMatchObject({ status: 400, error: 'DadosInvalidos', message: PROFUNDO });
    expect((lista.details as { path: string }[])[0].path).toBe(`emails${'.0'.repeat(31)}`);
  });

  it('32 levels are still read (the limit is not off by one): the DTO answers about the field, not the nesting', async () => {
    const r = erro(await corpoCru('POST', '/pessoas?dryRun=true', json({ ...pessoaValida(), rg: JSON.parse(profundo(30, 'objeto')) })));
    expect(r.status).toBe(400);
    expect(r.message).not.toBe(PROFUNDO);
  });

  it('keys named after Object.prototype members are unknown fields (400 naming them), never silently dropped', async () => {
    const casos: [string, string][] = [
      [json({ ...pessoaValida(), toString: 1 }), 'toString'],
      [json({ ...pessoaValida(), hasOwnProperty: 'x' }), 'hasOwnProperty'],
      [`{"cpf":"${cpfAleatorio()}","nome":"Pessoa Nova","dataNascimento":"1990-01-02","__proto__":{"nome":"Outro"}}`, '__proto__'],
      [`{"cpf":"${cpfAleatorio()}","nome":"Pessoa Nova","dataNascimento":"1990-01-02","constructor":{"prototype":{"x":1}}}`, 'constructor'],
      [`{"cpf":"${cpfAleatorio()}","nome":"Pessoa Nova","dataNascimento":"1990-01-02","rg":{"numero":"1","uf":"SP","__proto__":null}}`, 'rg.__proto__'],
    ];
    for (const [texto, campo] of casos) {
      expect(erro(await corpoCru('POST', '/pessoas', texto))).toEqual({
        status: 400, error: 'DadosInvalidos', message: `Campo não permitido: ${campo}`, details: [{ path: campo, message: `Campo não permitido: ${campo}` }],
      });
    }
    expect(erro(await enviar({ metodo: 'PUT', alvo: '/cmbd/orgaos/SF', corpo: '{"nome":"Secretaria da Fazenda","valueOf":1}', cabecalhos: { authorization: `Bearer ${token.cgm}`, 'content-type': 'application/json' } })))
      .toEqual({ status: 400, error: 'DadosInvalidos', message: 'Campo não permitido: valueOf', details: [{ path: 'valueOf', message: 'Campo não permitido: valueOf' }] });
  });

  it('an ordinary unknown field stays a 400 naming it', async () => {
    expect(erro(await corpoCru('POST', '/pessoas', json({ ...pessoaValida(), apelido: 'Zé' })))).toEqual({
      status: 400, error: 'DadosInvalidos', message: 'Campo não permitido: apelido', details: [{ path: 'apelido', message: 'Campo não permitido: apelido' }],
    });
  });

  it('non-object bodies, huge lists and numbers where text is expected are 400s', async () => {
    expect(erro(await corpoCru('POST', '/pessoas', '[]'))).toMatchObject({ status: 400, error: 'DadosInvalidos', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' });
    for (const texto of ['"x"', 'null', 'true', '42']) expect(erro(await corpoCru('POST', '/pessoas', texto))).toMatchObject({ status: 400, error: 'JsonMalformado', message: 'JSON malformado' });
    const enorme = json({ ...pessoaValida(), emails: Array.from({ length: 20_000 }, () => 0) });
    expect(erro(await corpoCru('POST', '/pessoas', enorme))).toEqual({
      status: 400, error: 'DadosInvalidos', message: 'A lista emails passa de 1000 itens', details: [{ path: 'emails', message: 'A lista emails passa de 1000 itens' }],
    });
    expect(erro(await corpoCru('POST', '/pessoas', json({ ...pessoaValida(), emails: Array.from({ length: 11 }, () => 0) })))).toMatchObject({ status: 400, details: [{ path: 'emails', message: 'emails: no máximo 10' }] });
    expect(erro(await corpoCru('POST', '/pessoas', json({ ...pessoaValida(), cpf: 12345678909 })))).toMatchObject({ status: 400, error: 'DadosInvalidos', details: [{ path: 'cpf' }] });
  });

  it('a NUL character (U+0000), which PostgreSQL text cannot hold, is a 400 on the CMBD routes too (was a 500)', async () => {
    const cgm = { authorization: `Bearer ${token.cgm}`, 'content-type': 'application/json' };
    expect(erro(await enviar({ metodo: 'PUT', alvo: '/cmbd/orgaos/SMADS', corpo: '{"nome":"a\\u0000b"}', cabecalhos: cgm }))).toEqual({
      status: 400, error: 'DadosInvalidos', message: 'O campo nome contém o caractere nulo (U+0000), que não é aceito em texto',
      details: [{ path: 'nome', message: 'O campo nome contém o caractere nulo (U+0000), que não é aceito em texto' }],
    });
    expect(erro(await enviar({ metodo: 'POST', alvo: '/cmbd/importacao', corpo: 'Sigla,Título\nSMADS,Base\u0000\n', cabecalhos: { ...cgm, 'content-type': 'text/csv; charset=utf-8' } }))).toEqual({
      status: 400, error: 'DadosInvalidos', message: 'O CSV contém o caractere nulo (U+0000), que não é aceito em texto',
      details: [{ path: '', message: 'O CSV contém o caractere nulo (U+0000), que não é aceito em texto' }],
    });
  });

  it('null for a list field is a 400 (was a 500: the NOT NULL list column got NULL; [] empties a list)', async () => {
    await renovarTokensSeVelhos();
    for (const campo of ['emails', 'telefones', 'enderecos', 'relacoesFamiliares']) {
      expect(erro(await corpoCru('PATCH', `/pessoas/${cpfPessoa}?dryRun=true`, json({ [campo]: null }), { 'if-match': '"v1"' }))).toEqual({
        status: 400, error: 'DadosInvalidos', message: `${campo} deve ser uma lista`, details: [{ path: campo, message: `${campo} deve ser uma lista` }],
      });
    }
    expect(erro(await corpoCru('PATCH', `/pessoas-juridicas/${cnpj}?dryRun=true`, json({ responsaveis: null }), { 'if-match': '"v1"' }))).toEqual({
      status: 400, error: 'DadosInvalidos', message: 'responsaveis deve ser uma lista', details: [{ path: 'responsaveis', message: 'responsaveis deve ser uma lista' }],
    });
  });

  it('a path parameter that cannot be percent-decoded → 400 naming the problem (was a 500: the router throws a URIError)', async () => {
    const msg = 'Parâmetro do caminho com codificação inválida: cada % deve vir seguido de dois dígitos hexadecimais de um caractere UTF-8 válido';
    for (const alvo of ['/pessoas/%E0%A4%A', '/pessoas/%', '/cmbd/bases/%ff', '/contas/%C0%AF']) {
      expect(erro(await chamarValido('GET', alvo, alvo.startsWith('/cmbd') ? 'cgm' : 'central'))).toEqual({ status: 400, error: 'DadosInvalidos', message: msg, details: [{ path: '', message: msg }] });
    }
  });
});

describe('fuzzing every route with bad input (real Keycloak tokens, real database)', () => {
  it('every route the app registers has a fuzzing profile (a row in the OpenAPI table)', () => {
    expect(rotasSemPerfil).toEqual([]);
    expect(perfis.length).toBe(ROTAS.length);
  });

  it('no generated bad input answers 5xx; every 4xx is the error body', async () => {
    for (const [i, perfil] of perfis.entries()) {
      await renovarTokensSeVelhos();
      const porFalha = new Map<string, number>();
      total.porRota.set(perfil.chave, porFalha);
      await fc.assert(
        fc.asyncProperty(pedidoRuim(perfil), async ({ falha, pedido, corpoTipo }) => {
          const r = await enviar(pedido);
          total.pedidos++;
          total.porStatus.set(r.status, (total.porStatus.get(r.status) ?? 0) + 1);
          const k = corpoTipo && falha === 'corpo' ? `corpo:${corpoTipo}` : falha;
          porFalha.set(k, (porFalha.get(k) ?? 0) + 1);
          if (r.status < 300) sucessos.set(perfil.chave, (sucessos.get(perfil.chave) ?? 0) + 1);
          verificarResposta(pedido, r);
        }),
        { seed: SEMENTE + i, numRuns: RUNS },
      );
    }
    const status = [...total.porStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`fuzzing: ${total.pedidos} pedidos inválidos gerados em ${perfis.length} rotas (FC_SEED=${SEMENTE}, FC_RUNS=${RUNS}); status: ${status}; 2xx por rota: ${[...sucessos].map(([r, n]) => `${r}×${n}`).join(', ')}`);
  }, 900_000);

  it('every route got its share, with each flaw it can have', () => {
    const faltas: string[] = [];
    for (const p of perfis) {
      const vistos = total.porRota.get(p.chave) ?? new Map<string, number>();
      const n = [...vistos.values()].reduce((a, b) => a + b, 0);
      if (n < RUNS) faltas.push(`${p.chave}: ${n} pedidos`);
      if (p.params.length && !vistos.has('caminho')) faltas.push(`${p.chave}: nenhum parâmetro de caminho inválido`);
      if (p.leCorpo && ![...vistos.keys()].some((k) => k.startsWith('corpo:'))) faltas.push(`${p.chave}: nenhum corpo inválido com caminho válido`);
      if (p.rota.acesso !== 'publico' && p.rota.acesso !== 'hmac' && p.rota.acesso !== 'referencia' && !vistos.has('token')) faltas.push(`${p.chave}: nenhum token inválido`);
    }
    expect(faltas).toEqual([]);
    expect(total.pedidos).toBeGreaterThanOrEqual(ROTAS.length * RUNS);
  });

  it('nothing was written: the row count of every table is unchanged', async () => {
    expect(await contagens()).toEqual(antes);
  });

  it('the API keeps serving: readiness and a known-good read answer 200', async () => {
    esperar(await enviar({ metodo: 'GET', alvo: '/health/ready', cabecalhos: {} }), 200, '/health/ready');
    await renovarTokensSeVelhos();
    const r = await chamarValido('GET', `/pessoas/${cpfPessoa}`, 'central');
    esperar(r, 200, 'leitura da pessoa semeada');
    expect(JSON.parse(r.texto)).toMatchObject({ cpf: cpfPessoa, nome: 'Pessoa de Fuzz' });
  });
});

// ---------- near-valid bodies: one junk field in an otherwise valid record (writes allowed) ----------

const RUNS_QUASE = Number(process.env['FC_RUNS_QUASE'] ?? 60);
/** Values that pass a format check and may still trouble what comes after it (the database, the PMCC, the audit). */
const valorDeBorda: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('0001-01-01', '9999-12-31', '1900-02-29', '2000-02-29', '1582-10-10', '2026-13-01', '1970-01-01T00:00:00Z', '+275760-09-13'),
  fc.constantFrom('a\u0000b', 'Ana\uD800', '\uDC00Ana', '  Ana  ', 'Ana\nMaria', '<script>alert(1)</script>', "O'Brien; DROP TABLE pessoa;--", '%s%n%x', 'Ａｎａ', 'e\u0301', '\u202EAna', 'Ana\u200B', '🏳️‍🌈', '\\'),
  fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('x', 'ç', '𝕏', 'é', '\u0301')).map(([n, c]) => c.repeat(n)),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, -0, 0.1),
  fc.constantFrom(new Bruto('1e400'), new Bruto('123456789012345678901234567890')),
  fc.constantFrom([], {}, [{}], null, true, ''),
);
const endereco = { cep: '01001000', logradouro: 'Praça da Sé', numero: '1', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' };

/** The target and the If-Match of the record's current version (read first: a near-valid write may have changed it). */
function comEtag(alvo: () => string): () => Promise<{ alvo: string; cabecalhos: Record<string, string> }> {
  return async () => {
    const r = await enviar({ metodo: 'GET', alvo: alvo(), cabecalhos: { authorization: `Bearer ${token.central}` } });
    esperar(r, 200, `GET ${alvo()}`);
    return { alvo: alvo(), cabecalhos: { 'if-match': r.etag! } };
  };
}

interface Modelo {
  persona: Persona;
  alvo: () => Promise<{ alvo: string; cabecalhos?: Record<string, string> }>;
  corpo: () => Record<string, unknown>;
}
/** Valid bodies of the writing routes that take a JSON record. */
const MODELOS: Record<string, Modelo> = {
  'POST /pessoas': {
    persona: 'central', alvo: async () => ({ alvo: '/pessoas' }),
    corpo: () => ({
      cpf: cpfAleatorio(), nome: 'Pessoa Quase Válida', dataNascimento: '1985-03-04', nomeSocial: null, genero: 'feminino', estadoCivil: 'casado',
      localNascimento: { municipio: 'São Paulo', uf: 'SP' }, rg: { numero: '123456789', digito: 'X', uf: 'SP' }, nomeMae: 'Mãe de Teste',
      emails: [{ endereco: 'quase@exemplo.sp.gov.br', verificado: false }], telefones: [{ numero: '11987654321', tipo: 'celular', verificado: false }],
      enderecos: [{ ...endereco, complemento: 'Sala 2' }], relacoesFamiliares: [{ tipo: 'filho', cpf: cpfPessoa }],
    }),
  },
  'PATCH /pessoas/:cpf': {
    persona: 'central',
    alvo: comEtag(() => `/pessoas/${cpfPessoa}`),
    corpo: () => ({ nomeSocial: 'Nome Social', genero: 'masculino', emails: [{ endereco: 'outro@exemplo.sp.gov.br', verificado: false }], enderecos: [endereco] }),
  },
  'PATCH /me/pessoa': {
    persona: 'cidadao', alvo: async () => ({ alvo: '/me/pessoa' }),
    corpo: () => ({ nomeSocial: 'Cida', telefones: [{ numero: '11912345678', tipo: 'celular', verificado: false }], enderecos: [endereco] }),
  },
  'POST /me/verificacao-conhecimento/:id/respostas': {
    persona: 'cidadao', alvo: async () => ({ alvo: `/me/verificacao-conhecimento/${randomUUID()}/respostas` }),
    corpo: () => ({ respostas: [{ pergunta: 'p1', opcao: 'a' }, { pergunta: 'p2', opcao: 'b' }, { pergunta: 'p3', opcao: 'c' }] }),
  },
  // Mensagens: a new thread, a reply in an unknown thread (validated before the lookup: 400 or 404), the e-mail choice.
  'POST /me/conversas': { persona: 'cidadao', alvo: async () => ({ alvo: '/me/conversas' }), corpo: () => ({ orgao: 'saude', assunto: 'Assunto quase válido', texto: 'Texto da mensagem.\nSegunda linha.' }) },
  'POST /me/conversas/:id/mensagens': { persona: 'cidadao', alvo: async () => ({ alvo: `/me/conversas/${randomUUID()}/mensagens` }), corpo: () => ({ texto: 'Resposta quase válida.' }) },
  'PUT /me/aviso-email': { persona: 'cidadao', alvo: async () => ({ alvo: '/me/aviso-email' }), corpo: () => ({ ativo: true }) },
  'POST /conversas/:id/mensagens': { persona: 'central', alvo: async () => ({ alvo: `/conversas/${randomUUID()}/mensagens` }), corpo: () => ({ texto: 'Resposta do órgão.' }) },
  'POST /pessoas-juridicas': {
    persona: 'central', alvo: async () => ({ alvo: '/pessoas-juridicas' }),
    corpo: () => {
      const base = `${Math.floor(Math.random() * 1e8)}`.padStart(8, '3') + '0001';
      return { cnpj: `${base}${digitosVerificadoresCnpj(base)}`, razaoSocial: 'Empresa Quase Válida Ltda', nomeFantasia: 'Quase', situacao: 'ativa', endereco, responsaveis: [{ cpf: cpfPessoa, papel: 'socio-administrador' }] };
    },
  },
  'POST /cmbd/bases': {
    persona: 'cgm', alvo: async () => ({ alvo: '/cmbd/bases' }),
    corpo: () => baseValida({ titulo: `Base quase válida ${Math.random().toString(36).slice(2)}` }),
  },
  'PATCH /pessoas-juridicas/:cnpj': {
    persona: 'central', alvo: comEtag(() => `/pessoas-juridicas/${cnpj}`),
    corpo: () => ({ nomeFantasia: 'Pão Quase', endereco, responsaveis: [{ cpf: cpfPessoa, papel: 'socio' }] }),
  },
  'PATCH /cmbd/bases/:id': { persona: 'cgm', alvo: async () => ({ alvo: `/cmbd/bases/${validos['id']}` }), corpo: () => ({ resumo: 'Resumo alterado pelo teste.', palavrasChave: ['a', 'b'] }) },
  'POST /cmbd/campanhas/:codigo/orgaos/:sigla/pontos-focais': {
    persona: 'cgm', alvo: async () => ({ alvo: '/cmbd/campanhas/2026-2/orgaos/SMADS/pontos-focais' }),
    corpo: () => ({ nome: 'Ponto Focal', email: `pf.${Math.random().toString(36).slice(2)}@prefeitura.sp.gov.br`, username: 'pf.smads' }),
  },
  'POST /contas/:keycloakUserId/vinculo': {
    persona: 'central', alvo: async () => ({ alvo: `/contas/${validos['keycloakUserId']}/vinculo` }), corpo: () => ({ cpf: cpfCidadao, documento: { tipo: 'RG', numero: '123456789' } }),
  },
  'POST /revisoes/:id/resolver': {
    persona: 'central', alvo: async () => ({ alvo: `/revisoes/${validos['/revisoes/:id/resolver:id']}/resolver` }), corpo: () => ({ resolucao: 'manter-vigente', justificativa: 'Documento não confere' }),
  },
  'POST /biometria/capturas': {
    persona: 'descomplica', alvo: async () => ({ alvo: '/biometria/capturas' }),
    corpo: () => ({ cpf: cpfCidadao, ponto: 'descomplica-butanta', operador: 'RF-1234567', capturadaEm: relogio().agora().toISOString(), referenciaCaptura: `FZ-${randomUUID()}` }),
  },
  'POST /eventos/keycloak': { persona: 'central', alvo: async () => ({ alvo: '/eventos/keycloak' }), corpo: () => ({ ...eventoRegister(cpfAleatorio()) }) },
  // Batch load: a request for the inbox's file (no worker here: it stays in the queue), and the linkage decisions —
  // once one is accepted, the same decision again is a 409.
  'POST /cargas': { persona: 'central', alvo: async () => ({ alvo: '/cargas' }), corpo: () => ({ fonte: 'bdc', arquivo: 'fuzz.csv' }) },
  'POST /revisoes-vinculo/:id/resolver': {
    persona: 'central', alvo: async () => ({ alvo: `/revisoes-vinculo/${validos['/revisoes-vinculo/:id/resolver:id']}/resolver` }),
    corpo: () => ({ resolucao: 'pessoas-diferentes', justificativa: 'Documentos conferidos no atendimento.' }),
  },
  'POST /identidades/:id/fundir': {
    persona: 'central', alvo: async () => ({ alvo: `/identidades/${ids['identidadeA']}/fundir` }), corpo: () => ({ com: ids['identidadeB'], justificativa: 'Documentos conferidos no atendimento.' }),
  },
  'POST /identidades/:id/separar': {
    persona: 'central', alvo: async () => ({ alvo: `/identidades/${ids['identidadeC']}/separar` }),
    corpo: () => ({ linhas: [{ fonte: 'bdc', chave: 'fz-c2' }], justificativa: 'Documentos conferidos no atendimento.' }),
  },
  'PUT /cmbd/orgaos/:sigla': { persona: 'cgm', alvo: async () => ({ alvo: '/cmbd/orgaos/SMADS' }), corpo: () => ({ nome: 'Secretaria Municipal de Assistência e Desenvolvimento Social' }) },
  'POST /cmbd/campanhas': { persona: 'cgm', alvo: async () => ({ alvo: '/cmbd/campanhas' }), corpo: () => ({ codigo: '2027-1', prazo: '2099-06-30' }) },
  // Last: once one is accepted, the entry is inactive or transferred and later writes to it are refused (422).
  'POST /cmbd/bases/:id/transferencia': { persona: 'cgm', alvo: async () => ({ alvo: `/cmbd/bases/${validos['id']}/transferencia` }), corpo: () => ({ siglaDestino: 'SMADS', data: '2025-02-01' }) },
  'POST /cmbd/bases/:id/inativacao': { persona: 'cgm', alvo: async () => ({ alvo: `/cmbd/bases/${validos['id']}/inativacao` }), corpo: () => ({ desde: '2025-01-01' }) },
};

describe('near-valid bodies on the writing routes (after the row-count check: these may write)', () => {
  it('every route that reads a JSON body has a valid model', () => {
    expect(perfis.filter((p) => p.leCorpo && !MODELOS[p.chave]).map((p) => p.chave)).toEqual([]);
  });

  it('one or two fields of a valid record replaced by junk or edge values: accepted or refused, never a 5xx', async () => {
    let n = 0;
    for (const [i, [chave, m]] of Object.entries(MODELOS).entries()) {
      await renovarTokensSeVelhos();
      const [metodo] = chave.split(' ');
      const nomes = Object.keys(m.corpo());
      const perfil = perfis.find((p) => p.chave === chave);
      const campos = [...new Set([...nomes, ...Object.keys(perfil?.campos ?? {})])];
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...campos), fc.oneof(valorDeBorda, valorRuim)), { minLength: 1, maxLength: 2 }), fc.boolean(), async (trocas, dryRun) => {
          const { alvo, cabecalhos } = await m.alvo();
          const corpo = { ...m.corpo(), ...Object.fromEntries(trocas) };
          const texto = json(corpo);
          const pedido: Pedido = {
            metodo: metodo, alvo: dryRun && perfil?.rota.dryRun ? `${alvo}?dryRun=true` : alvo, corpo: texto,
            cabecalhos: perfil?.rota.acesso === 'hmac' ? cabecalhosAssinados(texto) : { authorization: `Bearer ${token[m.persona]}`, 'content-type': 'application/json', ...cabecalhos },
          };
          n++;
          verificarResposta(pedido, await enviar(pedido));
        }),
        { seed: SEMENTE + 1000 + i, numRuns: RUNS_QUASE },
      );
    }
    console.log(`corpos quase válidos: ${n} pedidos em ${Object.keys(MODELOS).length} rotas de escrita (FC_SEED=${SEMENTE}, FC_RUNS_QUASE=${RUNS_QUASE})`);
    expect(n).toBeGreaterThanOrEqual(Object.keys(MODELOS).length * RUNS_QUASE);
  }, 900_000);
});
