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
        'Valores que não são segredo vêm do arquivo do ambiente (--ambiente dev|homologacao|producao → ' +
        'scripts/realm/<ambiente>.env); segredos só do ambiente do processo, nunca do git.',
    );
  }
}

/** Names whose values are secrets: an empty value counts as missing, and no versioned values file may set them. */
const nomeSecreto = (nome: string): boolean => /SECRET|SENHA|PASSWORD|PRIVAT/.test(nome);

/** The whole string is one placeholder (no text around it): its name, else null. */
const marcadorInteiro = (s: string): string | null => /^\$\{([A-Z][A-Z0-9_]*)\}$/.exec(s)?.[1] ?? null;

/** Client attribute holding a `##`-separated list (Keycloak's own encoding of the post-logout URIs). */
const ATRIBUTO_LISTA = 'post.logout.redirect.uris';

/** Resolve one string; names with neither env value nor default are collected in `faltando`. */
function resolverTexto(s: string, env: NodeJS.ProcessEnv, faltando: Set<string>): string {
  return s.replace(PADRAO, (tudo, nome: string, padrao: string | undefined) => {
    const v = env[nome];
    // an empty value is a value (e.g. no back-channel logout URL), except for a secret
    if (v !== undefined && (v !== '' || !nomeSecreto(nome))) return v;
    if (padrao !== undefined) return padrao;
    faltando.add(nome);
    return tudo;
  });
}

/** The words of a list placeholder's value (URIs separated by spaces). */
const palavras = (v: string): string[] => v.split(/\s+/).filter(Boolean);

/**
 * Deep copy with every placeholder resolved. Throws VariavelAusente listing every missing name at once.
 * Lists: a string-array element that is exactly one placeholder (`"redirectUris": ["${LUM_FAZENDA_REDIRECT_URIS}"]`)
 * becomes one element per space-separated word of its value (an empty value, none); the client attribute
 * `post.logout.redirect.uris` given as one placeholder gets its words joined with `##`, as Keycloak stores it.
 */
export function resolver<T extends Json>(doc: T, env: NodeJS.ProcessEnv, opcoes: { tolerante?: boolean } = {}): T {
  const faltando = new Set<string>();
  const r = resolverProfundo(doc, env, faltando, '') as T;
  // tolerant (static checks without the secrets): a missing value resolves to the empty string
  if (faltando.size && opcoes.tolerante) return resolverProfundo(doc, { ...Object.fromEntries([...faltando].map((n) => [n, ''])), ...env }, new Set(), '') as T;
  if (faltando.size) throw new VariavelAusente([...faltando].sort());
  return r;
}

function resolverProfundo(v: Json, env: NodeJS.ProcessEnv, faltando: Set<string>, chave: string): Json {
  if (typeof v === 'string') {
    const t = resolverTexto(v, env, faltando);
    return chave === ATRIBUTO_LISTA && marcadorInteiro(v) ? palavras(t).join('##') : t;
  }
  if (Array.isArray(v)) {
    return v.flatMap((x): Json[] => (typeof x === 'string' && marcadorInteiro(x) ? palavras(resolverTexto(x, env, faltando)) : [resolverProfundo(x, env, faltando, '')]));
  }
  if (isObj(v)) {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) {
      const r = resolverProfundo(x, env, faltando, k);
      // an attribute whose placeholder is empty is left out (Keycloak drops empty attributes)
      if (chave === 'attributes' && r === '' && typeof x === 'string' && marcadorInteiro(x)) continue;
      o[k] = r;
    }
    return o;
  }
  return v;
}

/** The environments a values file exists for (`--ambiente`). */
export const AMBIENTES = ['dev', 'homologacao', 'producao'] as const;
type Ambiente = (typeof AMBIENTES)[number];

export class AmbienteInvalido extends Error {}

/**
 * `NAME=value` lines of a values file (comments and blank lines skipped, the value trimmed). A value is written as
 * inside a JSON string — a quote as `\"` — because Keycloak's own import (scripts/keycloak.sh, docker-compose)
 * pastes the raw value into the file's text; here the escapes are decoded.
 */
function lerValores(arquivo: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const linha of readFileSync(arquivo, 'utf8').split('\n')) {
    const x = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(linha);
    if (x) m.set(x[1], x[2].includes('\\') ? (JSON.parse(`"${x[2].trim()}"`) as string) : x[2].trim());
  }
  return m;
}

const arquivoDeValores = (raiz: string, ambiente: Ambiente): string => path.join(raiz, 'scripts/realm', `${ambiente}.env`);

/**
 * The env for one environment's values file (scripts/realm/<ambiente>.env, versioned). `dev`: the file fills what
 * the process env leaves unset (tests set their own secrets), as LUM_REALM_DEV_DEFAULTS=1 always did.
 * `homologacao`/`producao`: the file wins for every name it sets (git is what the environment gets) and may set no
 * secret (a name with SECRET/SENHA/PASSWORD/PRIVAT fails); secrets come only from the process env.
 */
export function ambienteDe(raiz: string, ambiente: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!(AMBIENTES as readonly string[]).includes(ambiente)) throw new AmbienteInvalido(`ambiente desconhecido: ${ambiente} (use ${AMBIENTES.join(', ')})`);
  const valores = lerValores(arquivoDeValores(raiz, ambiente as Ambiente));
  const out: NodeJS.ProcessEnv = { ...env, LUM_REALM_AMBIENTE: ambiente };
  for (const [k, v] of valores) {
    if (ambiente === 'dev') {
      if (out[k] === undefined || out[k] === '') out[k] = v;
    } else if (nomeSecreto(k)) {
      throw new AmbienteInvalido(`scripts/realm/${ambiente}.env define ${k}: segredos nunca vão para o git (defina-o no ambiente do processo)`);
    } else out[k] = v;
  }
  return out;
}

/**
 * Development-only values of the placeholders (scripts/realm/dev.env, `NAME=value` lines). The realm commands use
 * them only when LUM_REALM_DEV_DEFAULTS=1 (set by scripts/up.sh and the test set-up) and never override a variable
 * that is set. (scripts/keycloak.sh reads the same file on its own, for Keycloak's import at start.)
 */
export function ambienteDev(raiz: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env['LUM_REALM_DEV_DEFAULTS'] !== '1') return env;
  return ambienteDe(raiz, 'dev', env);
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
    if (Array.isArray(g) && g.some((x) => typeof x === 'string' && marcadorInteiro(x)) && Array.isArray(a)) {
      // a list placeholder: the whole array is put back when the server holds exactly what it resolves to
      if (pai === null || chave === null) return;
      const faltando = new Set<string>();
      const esperado = resolverProfundo(g, env, faltando, '') as Json[];
      const ordenar = (l: Json[]) => JSON.stringify([...l].map((x) => JSON.stringify(x)).sort());
      if (faltando.size || ordenar(esperado) !== ordenar(a)) return;
      if (Array.isArray(pai)) pai[chave as number] = [...g];
      else pai[chave as string] = [...g];
      return;
    }
    if (typeof g === 'string' && temMarcador(g)) {
      if (pai === null || chave === null) return;
      const faltando = new Set<string>();
      const valor = resolverProfundo(g, env, faltando, typeof chave === 'string' ? chave : '') as string;
      const segredo = ehSegredo(caminho);
      const definir = (v: Json) => (Array.isArray(pai) ? (pai[chave as number] = v) : (pai[chave as string] = v));
      if (a === undefined && !segredo) {
        // an attribute with an empty value is absent on the server: git's placeholder stands
        if (!faltando.size && valor === '' && marcadorInteiro(g) && caminho[caminho.length - 2] === 'attributes') definir(g);
        return;
      }
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
