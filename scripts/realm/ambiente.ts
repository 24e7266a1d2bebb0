/**
 * `${VAR}` / `${VAR:default}` placeholders of the realm file, resolved from the process env — the same syntax
 * Keycloak's own `--import-realm` resolves at start. Only UPPER_CASE names are placeholders: `${role_default-roles}`,
 * `${lumCpf}`, `${profileScopeConsentText}` are Keycloak message keys and are left alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chaveEstavel, comoTexto, isObj, type Json, type Obj } from './normalizar.js';

const PADRAO = /\$\{([A-Z][A-Z0-9_]*)(?::([^}]*))?\}/g;

const temMarcador = (s: string): boolean => new RegExp(PADRAO.source).test(s);

export class VariavelAusente extends Error {
  constructor(readonly nomes: string[]) {
    super(
      `variáveis de ambiente ausentes (sem valor padrão no arquivo do realm): ${nomes.join(', ')}. ` +
        'Defina-as no ambiente (segredos nunca vão para o git); no ambiente de desenvolvimento, ' +
        'LUM_REALM_DEV_DEFAULTS=1 usa os valores de scripts/realm/dev.env.',
    );
  }
}

/** Resolve one string; names with neither env value nor default are collected in `faltando`. */
function resolverTexto(s: string, env: NodeJS.ProcessEnv, faltando: Set<string>): string {
  return s.replace(PADRAO, (tudo, nome: string, padrao: string | undefined) => {
    const v = env[nome];
    if (v !== undefined && v !== '') return v;
    if (padrao !== undefined) return padrao;
    faltando.add(nome);
    return tudo;
  });
}

/** Deep copy with every placeholder resolved. Throws VariavelAusente listing every missing name at once. */
export function resolver<T extends Json>(doc: T, env: NodeJS.ProcessEnv): T {
  const faltando = new Set<string>();
  const r = resolverProfundo(doc, env, faltando) as T;
  if (faltando.size) throw new VariavelAusente([...faltando].sort());
  return r;
}

function resolverProfundo(v: Json, env: NodeJS.ProcessEnv, faltando: Set<string>): Json {
  if (typeof v === 'string') return resolverTexto(v, env, faltando);
  if (Array.isArray(v)) return v.map((x) => resolverProfundo(x, env, faltando));
  if (isObj(v)) {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) o[k] = resolverProfundo(x, env, faltando);
    return o;
  }
  return v;
}

/**
 * Development-only values of the placeholders (scripts/realm/dev.env, `NAME=value` lines). The realm commands use
 * them only when LUM_REALM_DEV_DEFAULTS=1 (set by scripts/up.sh and the test set-up) and never override a variable
 * that is set. (scripts/keycloak.sh reads the same file on its own, for Keycloak's import at start.)
 */
export function ambienteDev(raiz: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env['LUM_REALM_DEV_DEFAULTS'] !== '1') return env;
  const out: NodeJS.ProcessEnv = { ...env };
  for (const linha of readFileSync(path.join(raiz, 'scripts/realm/dev.env'), 'utf8').split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(linha);
    if (m && (out[m[1]] === undefined || out[m[1]] === '')) out[m[1]] = m[2].trim();
  }
  return out;
}

/** Paths whose values are secrets: never printed, never written to git. */
export const ehSegredo = (caminho: readonly string[]): boolean => {
  const u = caminho[caminho.length - 1] ?? '';
  return u === 'secret' || u === 'clientSecret' || u === 'password' || /segredo|secret/i.test(u);
};

/**
 * Puts the git file's `${ENV}` placeholders back into a document read from the server wherever the server's value
 * is what the placeholder resolves to now (so export after apply gives the git text back). Secrets always get
 * their placeholder (a value never reaches git); `divergentes` lists the secret paths whose server value differs
 * from the env, `naoVerificados` those that could not be checked (variable unset, or the server masks the value).
 * Arrays of objects are matched by their stable key, like the normaliser sorts them.
 */
export function reporMarcadores(git: Obj, atual: Obj, env: NodeJS.ProcessEnv): { doc: Obj; divergentes: string[]; naoVerificados: string[] } {
  const doc = JSON.parse(JSON.stringify(atual)) as Obj;
  const divergentes: string[] = [];
  const naoVerificados: string[] = [];
  const andar = (g: Json, a: Json, caminho: string[], rotulo: string, pai: Obj | Json[] | null, chave: string | number | null): void => {
    if (typeof g === 'string' && temMarcador(g)) {
      if (pai === null || chave === null) return;
      const faltando = new Set<string>();
      const valor = resolverTexto(g, env, faltando);
      const segredo = ehSegredo(caminho);
      const definir = (v: Json) => (Array.isArray(pai) ? (pai[chave as number] = v) : (pai[chave as string] = v));
      if (a === undefined && !segredo) return;
      if (faltando.size || a === '**********') {
        if (segredo || a === valor) definir(g);
        if (segredo) naoVerificados.push(rotulo);
        return;
      }
      if (a === valor) definir(g);
      else if (segredo) {
        divergentes.push(rotulo);
        definir(g);
      }
      return;
    }
    if (Array.isArray(g) && Array.isArray(a)) {
      g.forEach((gi, i) => {
        const k = chaveEstavel(caminho, gi);
        const j = k === null ? i : a.findIndex((ai) => chaveEstavel(caminho, ai) === k);
        if (j >= 0 && j < a.length) andar(gi, a[j], caminho, `${rotulo}[${k ?? i}]`, a, j);
      });
      return;
    }
    if (isObj(g) && (isObj(a) || a === undefined)) {
      for (const [k, gv] of Object.entries(g)) {
        if (!isObj(a)) continue;
        andar(gv, a[k], [...caminho, k], rotulo ? `${rotulo}.${k}` : k, a, k);
      }
    }
  };
  andar(git, doc, [], '', null, null);
  // confidential clients that are not in git yet: placeholder by convention
  for (const c of (doc['clients'] as Obj[] | undefined) ?? []) {
    if (typeof c['secret'] === 'string' && !temMarcador(c['secret'])) {
      c['secret'] = `\${${variavelSegredo(comoTexto(c['clientId']))}}`;
      naoVerificados.push(`clients[${comoTexto(c['clientId'])}].secret`);
    }
  }
  return { doc, divergentes, naoVerificados };
}

/** LUM_<CLIENT_ID>_CLIENT_SECRET, for a confidential client that git does not know yet. */
const variavelSegredo = (clientId: string): string => `LUM_${clientId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_CLIENT_SECRET`;
