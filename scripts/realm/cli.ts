/**
 * Realm configuration as GitOps — `npm run realm:apply | realm:export | realm:diff`.
 *
 *   apply   create or update the running realm from realm-export/prefeitura-sp.json (only what differs is written;
 *           a second run prints "nada a alterar")
 *   export  write the running realm back to the file, normalised (sorted, ids/secrets/timestamps stripped,
 *           `${ENV}` placeholders put back)
 *   diff    exit 1 naming every drifted path (e.g. `clients[sf-fazenda].redirectUris`), 0 when clean
 *   check   no server: the static security policy check of the file with each environment's values (or the one
 *           given), exit 1 naming every offending path
 *
 * `--ambiente dev|homologacao|producao` takes the non-secret values of the file's placeholders from the versioned
 * scripts/realm/<ambiente>.env (`npm run realm:apply -- --ambiente producao`).
 *
 * Env: KEYCLOAK_URL (http://localhost:8080), KEYCLOAK_ADMIN / KEYCLOAK_ADMIN_PASSWORD (admin/admin, dev) or
 * KEYCLOAK_ADMIN_CLIENT_ID / KEYCLOAK_ADMIN_CLIENT_SECRET (a master-realm service client), LUM_REALM_FILE (the
 * file), the file's `${VAR}` placeholders (client secrets LUM_*_CLIENT_SECRET…); LUM_REALM_DEV_DEFAULTS=1 takes
 * missing ones from scripts/realm/dev.env (local stack only). See docs/realm-gitops.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aplicar } from './aplicar.js';
import { AmbienteInvalido, AMBIENTES, ambienteDe, ambienteDev, reporMarcadores, resolver, VariavelAusente } from './ambiente.js';
import { derivas, formatarDerivas, type Deriva } from './diferenca.js';
import { conectar, credenciaisDoAmbiente, lerRealm, realmExiste, type Conexao } from './keycloak.js';
import { comoTexto, normalizar, texto, type Obj } from './normalizar.js';
import { violacoesDePolitica, violacoesDoAmbiente } from './politicas.js';

/** The project root: the nearest folder above this file holding realm-export/ (works from scripts/ and dist/). */
export const RAIZ = (() => {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'realm-export')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
})();

export interface Saida {
  log(linha: string): void;
  erro(linha: string): void;
}
const console_: Saida = { log: (l) => process.stdout.write(`${l}\n`), erro: (l) => process.stderr.write(`${l}\n`) };

export interface Opcoes {
  env?: NodeJS.ProcessEnv;
  arquivo?: string;
  saida?: Saida;
  /** An admin session to reuse (tests); otherwise one is opened from the env. */
  conexao?: Conexao;
  /** `--ambiente`: the values file scripts/realm/<ambiente>.env (dev also with LUM_REALM_DEV_DEFAULTS=1). */
  ambiente?: string;
}

/**
 * The static security check of the git file for one environment: the policies of politicas.ts on the document
 * resolved with that environment's values (secrets left empty: not needed to check). Each line names a path.
 */
export function verificarArquivo(git: Obj, env: NodeJS.ProcessEnv, ambiente: string): string[] {
  const resolvido = resolver(normalizar(git), env, { tolerante: true });
  return [...violacoesDePolitica(resolvido), ...violacoesDoAmbiente(resolvido, ambiente)];
}

export function arquivoDoRealm(env: NodeJS.ProcessEnv): string {
  return path.resolve(RAIZ, env['LUM_REALM_FILE'] ?? 'realm-export/prefeitura-sp.json');
}

export function lerArquivo(arquivo: string): Obj {
  return JSON.parse(readFileSync(arquivo, 'utf8')) as Obj;
}

/** The running realm with the git file's placeholders put back (what `export` writes). */
async function exportado(k: Conexao, git: Obj, env: NodeJS.ProcessEnv, s: Saida): Promise<Obj> {
  const atual = await lerRealm(k);
  const { doc, divergentes, naoVerificados } = reporMarcadores(normalizar(git), atual, env);
  for (const d of divergentes) s.erro(`aviso: o segredo em ${d} difere do valor da variável de ambiente (não exportado)`);
  for (const d of naoVerificados) s.erro(`aviso: ${d} não pôde ser comparado (variável ausente ou valor mascarado pelo servidor)`);
  // placeholders put back for keys the server left out (empty attributes) land last: sort again
  return normalizar(doc);
}

/** Drift between git and the running realm (after the same normalisation). */
export async function calcularDerivas(k: Conexao, git: Obj, env: NodeJS.ProcessEnv): Promise<Deriva[]> {
  const atual = await lerRealm(k);
  const { doc, divergentes } = reporMarcadores(normalizar(git), atual, env);
  const ds = derivas(normalizar(git), doc);
  for (const d of divergentes) if (!ds.some((x) => x.caminho === d)) ds.push({ caminho: d, tipo: 'alterado', git: '(segredo do ambiente)', servidor: '(outro valor)' });
  return ds;
}

export async function executar(comando: string, opcoes: Opcoes = {}): Promise<number> {
  const s = opcoes.saida ?? console_;
  let env: NodeJS.ProcessEnv;
  try {
    env = opcoes.ambiente ? ambienteDe(RAIZ, opcoes.ambiente, opcoes.env ?? process.env) : ambienteDev(RAIZ, opcoes.env ?? process.env);
  } catch (e) {
    if (!(e instanceof AmbienteInvalido)) throw e;
    s.erro(`erro: ${e.message}`);
    return 2;
  }
  const arquivo = opcoes.arquivo ?? arquivoDoRealm(env);
  const git = lerArquivo(arquivo);
  const cred = credenciaisDoAmbiente(env);
  cred.realm = comoTexto(git['realm']);
  const rotuloAmbiente = env['LUM_REALM_AMBIENTE'] ?? 'sem --ambiente';
  if (comando === 'check') {
    const ambientes = opcoes.ambiente ? [opcoes.ambiente] : [...AMBIENTES];
    let total = 0;
    for (const a of ambientes) {
      const vs = verificarArquivo(git, ambienteDe(RAIZ, a, opcoes.env ?? process.env), a);
      total += vs.length;
      if (vs.length) s.erro(`${path.relative(RAIZ, arquivo)} com os valores de ${a}: ${vs.length} violação(ões):`);
      for (const x of vs) s.erro(`  ! ${x}`);
      if (!vs.length) s.log(`${path.relative(RAIZ, arquivo)} com os valores de ${a}: políticas de segurança atendidas`);
    }
    return total ? 1 : 0;
  }
  try {
    // placeholders first: a missing secret fails before anything is read or written
    // normalised again after resolving: a list placeholder may resolve to several elements, out of order
    const desejado = comando === 'apply' ? normalizar(resolver(normalizar(git), env)) : null;
    const violacoes = comando === 'apply' || comando === 'diff' ? verificarArquivo(git, env, env['LUM_REALM_AMBIENTE'] ?? 'producao') : [];
    if (violacoes.length) {
      s.erro(`o arquivo ${path.relative(RAIZ, arquivo)} (${rotuloAmbiente}) viola ${violacoes.length} política(s) de segurança do realm:`);
      for (const x of violacoes) s.erro(`  ! ${x}`);
      if (comando === 'apply') return 2;
    }
    const k = opcoes.conexao ?? (await conectar(cred));
    switch (comando) {
      case 'apply': {
        const r = await aplicar(k, desejado!, s);
        if (r.alteracoes.length === 0) s.log(`realm ${cred.realm}: nada a alterar (no changes)`);
        else s.log(`realm ${cred.realm}: ${r.alteracoes.length} alteração(ões) aplicada(s)`);
        return 0;
      }
      case 'export': {
        if (!(await realmExiste(k))) throw new Error(`o realm ${cred.realm} não existe em ${cred.url}`);
        const doc = await exportado(k, git, env, s);
        writeFileSync(arquivo, texto(doc));
        s.log(`realm ${cred.realm} exportado para ${path.relative(RAIZ, arquivo)}`);
        return 0;
      }
      case 'diff': {
        if (!(await realmExiste(k))) {
          s.log(`realm ${cred.realm}: não existe em ${cred.url} (tudo difere)`);
          return 1;
        }
        const ds = await calcularDerivas(k, git, env);
        if (ds.length === 0) {
          s.log(`realm ${cred.realm}: sem diferenças entre o git e o servidor`);
          return violacoes.length ? 1 : 0;
        }
        s.log(`realm ${cred.realm}: ${ds.length} diferença(s) entre o git (${path.relative(RAIZ, arquivo)}) e ${cred.url}:`);
        s.log(formatarDerivas(ds));
        return 1;
      }
      default:
        s.erro('uso: realm apply | export | diff | check [--ambiente dev|homologacao|producao]');
        return 2;
    }
  } catch (e) {
    if (e instanceof VariavelAusente) {
      s.erro(`erro: ${e.message}`);
      return 2;
    }
    s.erro(`erro: ${(e as Error).message}`);
    return 2;
  }
}

const principal = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (principal) {
  // no top-level await: the jest global setup require()s this module to apply the realm of the test Keycloak
  const args = process.argv.slice(3);
  const i = args.indexOf('--ambiente');
  const ambiente = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--ambiente='))?.slice('--ambiente='.length);
  void executar(process.argv[2] ?? '', ambiente ? { ambiente } : {}).then((codigo) => {
    process.exitCode = codigo;
  });
}
