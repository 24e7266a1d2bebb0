/**
 * One typed configuration object, read once from the environment.
 *
 * Every key has a default that works with the local stack and a one-line description; `CONFIG_TABLE` is the
 * single source for both the parser below and the README table (`renderConfigMarkdown`).
 * `loadConfig` is pure: it reads only the `env` it is given and throws `ConfigError` listing every problem.
 */

import { lerDeslocamento } from './relogio.js';

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly databaseUrl: string;
  readonly dbPoolMax: number;
  readonly redisUrl: string;
  readonly keycloakUrl: string;
  readonly keycloakRealm: string;
  /** Base URL browsers and tokens use (the `iss` claim); equals keycloakUrl unless Keycloak is reached internally by another name. */
  readonly keycloakPublicUrl: string;
  readonly queuePrefix: string;
  readonly lumApiClientId: string;
  readonly lumApiClientSecret: string;
  readonly lumEventsHmacSecret: string;
  readonly lumApiAudience: string;
  readonly logLevel: LogLevel;
  readonly syncAttempts: number;
  readonly syncBackoffMs: number;
  readonly syncBackoffMaxMs: number;
  readonly eventMaxSkewS: number;
  readonly bodyLimit: string;
  /** Append-only file where the worker anchors the audit chain head (empty: no anchoring). */
  readonly auditAnchorFile: string;
  /** The domain clock's shift from the system clock (ms; 0 in production, see relogio.ts). */
  readonly relogioDeslocamentoMs: number;
  /** Inbox directory of the batch load: `POST /cargas` names a file inside it, nothing else (see carga/gestao). */
  readonly cargaDiretorio: string;
  /** Where the Sala de Espera keeps the documents citizens upload (files outside the database; see sala-espera/). */
  readonly salaDocumentosDir: string;
  /** The Gov.br issuer, with its trailing slash (its `jwk` path gives the keys of the id_tokens the listener forwards). */
  readonly govbrIssuer: string;
  /** Where the API fetches Gov.br's keys ('' = `<govbrIssuer>jwk`; Docker: the simulator by its service name). */
  readonly govbrJwksUrl: string;
  /** The realm's client id at Gov.br (the `aud` of Gov.br's id_tokens). */
  readonly govbrClientId: string;
  /** Tests only: the batch-load point where the CLI pauses, for kill-and-resume tests ('' = never; refused in production). */
  readonly cargaPausa: string;
  /** Query rows the batch load's linkage decides per slice (read again by vincular.ts; validated here at start). */
  readonly vinculoFatia: number;
  readonly syncConcurrency: number;
  /** Most level writes the worker sends to Keycloak in one batch request (1: one request per write). */
  readonly syncLoteMax: number;
  /** Batch requests to Keycloak in flight at once per worker (writes arriving meanwhile form the next batch). */
  readonly syncLotesEmVoo: number;
  readonly reconciliacaoIntervaloS: number;
  readonly eventosRecuperacaoIntervaloS: number;
  readonly metricsPort: number;
  readonly metricsToken: string;
  /** The citizen area ("Minha conta", api/src/portal/): its port in the API process (0: off) and public address. */
  readonly portalPort: number;
  readonly portalUrl: string;
  readonly portalClientId: string;
}

type Parser<T> = (raw: string) => T;

interface ConfigEntry<K extends keyof Config = keyof Config> {
  /** Environment variable name. */
  readonly env: string;
  /** Property of `Config` it fills. */
  readonly key: K;
  /** Default for the local stack (as written in the environment). */
  readonly default: string;
  /** One line for the README. */
  readonly description: string;
  /** A secret: its default is for development only and is refused when NODE_ENV=production. */
  readonly secret?: boolean;
  readonly parse: Parser<Config[K]>;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Configuração inválida:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

// ---- small parsers: each throws a short pt-BR reason, collected by loadConfig ----

const text: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new Error('não pode ser vazio');
  return raw.trim();
};

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new Error('deve ser um número inteiro');
    const n = Number(raw.trim());
    if (n < min || n > max) throw new Error(`deve estar entre ${min} e ${max}`);
    return n;
  };
}

function url(...protocols: string[]): Parser<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      throw new Error('deve ser uma URL');
    }
    if (!protocols.includes(parsed.protocol)) throw new Error(`protocolo deve ser ${protocols.join(' ou ')}`);
    return raw.trim().replace(/\/+$/, '');
  };
}

function oneOf<T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    if (!(values as string[]).includes(raw.trim())) throw new Error(`deve ser um de: ${values.join(', ')}`);
    return raw.trim() as T;
  };
}

/** A directory path: no NUL, no line breaks (it ends up in logs and messages), not the file-system root. */
const diretorio: Parser<string> = (raw) => {
  const v = text(raw);
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point of this check
  if (/[\u0000-\u001f]/.test(v)) throw new Error('não pode conter caracteres de controle');
  if (/^\/+$/.test(v)) throw new Error('não pode ser a raiz do sistema de arquivos');
  return v.replace(/(.)\/+$/, '$1');
};

const byteSize: Parser<string> = (raw) => {
  if (!/^\d+(b|kb|mb)?$/i.test(raw.trim())) throw new Error('deve ser um tamanho como 100kb ou 1mb');
  return raw.trim().toLowerCase();
};

/** A named point of the batch load (carga/executar-carga.ts, `OpcoesCarga.aoPonto`), or '' (none). */
const pontoDePausa: Parser<string> = (raw) => {
  const p = raw.trim();
  if (p !== '' && !/^(lendo:\d+:(copiado|confirmado)|lendo:fim|particionando|fundindo|vinculando|registrando)$/.test(p)) {
    throw new Error('use lendo:<n>:copiado, lendo:<n>:confirmado, lendo:fim, particionando, fundindo, vinculando ou registrando');
  }
  return p;
};

function entry<K extends keyof Config>(e: ConfigEntry<K>): ConfigEntry<K> {
  return e;
}

/** Every configuration key, in README order. */
export const CONFIG_TABLE = [
  entry({ env: 'NODE_ENV', key: 'nodeEnv', default: 'development', description: 'development, test ou production; em production os segredos padrão são recusados', parse: oneOf<NodeEnv>('development', 'test', 'production') }),
  entry({ env: 'PORT', key: 'port', default: '3000', description: 'Porta HTTP da API', parse: integer(0, 65535) }),
  entry({ env: 'DATABASE_URL', key: 'databaseUrl', default: 'postgres://postgres@127.0.0.1:5432/lum', description: 'PostgreSQL do cadastro base (URL de conexão)', parse: url('postgres:', 'postgresql:') }),
  entry({ env: 'DB_POOL_MAX', key: 'dbPoolMax', default: '32', description: 'Conexões máximas do pool PostgreSQL por processo (leituras auditadas esperam o commit: mais conexões, mais vazão)', parse: integer(1, 500) }),
  entry({ env: 'REDIS_URL', key: 'redisUrl', default: 'redis://127.0.0.1:6379', description: 'Redis das filas BullMQ', parse: url('redis:', 'rediss:') }),
  entry({ env: 'KEYCLOAK_URL', key: 'keycloakUrl', default: 'http://localhost:8080', description: 'URL base do Keycloak (sem /realms)', parse: url('http:', 'https:') }),
  entry({ env: 'KEYCLOAK_PUBLIC_URL', key: 'keycloakPublicUrl', default: '', description: 'URL pública do Keycloak, a do `iss` dos tokens (vazio: igual a KEYCLOAK_URL)', parse: (raw) => (raw.trim() === '' ? '' : url('http:', 'https:')(raw)) }),
  entry({ env: 'KEYCLOAK_REALM', key: 'keycloakRealm', default: 'prefeitura-sp', description: 'Realm do Login Único', parse: text }),
  entry({ env: 'LUM_API_CLIENT_ID', key: 'lumApiClientId', default: 'lum-api', description: 'Cliente confidencial (service account) usado para gravar atributos no Keycloak', parse: text }),
  entry({ env: 'LUM_API_CLIENT_SECRET', key: 'lumApiClientSecret', default: 'dev-lum-api-secret', description: 'Segredo do cliente lum-api', secret: true, parse: text }),
  entry({ env: 'LUM_EVENTS_HMAC_SECRET', key: 'lumEventsHmacSecret', default: 'dev-events-secret', description: 'Segredo HMAC-SHA256 compartilhado com o event listener do Keycloak', secret: true, parse: text }),
  entry({ env: 'LUM_API_AUDIENCE', key: 'lumApiAudience', default: 'lum-api', description: 'Audience exigida nos access tokens recebidos', parse: text }),
  entry({ env: 'QUEUE_PREFIX', key: 'queuePrefix', default: 'lum', description: 'Prefixo das chaves BullMQ no Redis (isola pilhas que dividem um Redis)', parse: (raw) => { if (!/^[a-z0-9][a-z0-9-]*$/.test(raw.trim())) throw new Error('use letras minúsculas, dígitos e hífen'); return raw.trim(); } }),
  entry({ env: 'LOG_LEVEL', key: 'logLevel', default: 'info', description: 'Nível de log do pino', parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') }),
  entry({ env: 'SYNC_ATTEMPTS', key: 'syncAttempts', default: '12', description: 'Tentativas de um job de sincronização de nível com o Keycloak', parse: integer(1, 1000) }),
  entry({ env: 'SYNC_BACKOFF_MS', key: 'syncBackoffMs', default: '1000', description: 'Espera base entre tentativas (dobra a cada tentativa)', parse: integer(1) }),
  entry({ env: 'SYNC_BACKOFF_MAX_MS', key: 'syncBackoffMaxMs', default: '30000', description: 'Espera máxima entre tentativas', parse: integer(1) }),
  entry({ env: 'SYNC_CONCURRENCY', key: 'syncConcurrency', default: '64', description: 'Jobs de sincronização com o Keycloak processados ao mesmo tempo por worker', parse: integer(1, 256) }),
  entry({ env: 'SYNC_LOTE_MAX', key: 'syncLoteMax', default: '100', description: 'Máximo de gravações de nível enviadas ao Keycloak numa só requisição (as que esperam enquanto outra está em curso seguem juntas); 1 = uma requisição por gravação', parse: integer(1, 200) }),
  entry({ env: 'SYNC_LOTES_EM_VOO', key: 'syncLotesEmVoo', default: '2', description: 'Requisições de gravação em lote ao Keycloak em curso ao mesmo tempo por worker', parse: integer(1, 64) }),
  entry({ env: 'RECONCILIACAO_INTERVALO_S', key: 'reconciliacaoIntervaloS', default: '3600', description: 'Intervalo (s) da reconciliação periódica Keycloak × cadastro (job repetível do worker); 0 desliga', parse: integer(0, 604800) }),
  entry({ env: 'EVENTOS_RECUPERACAO_INTERVALO_S', key: 'eventosRecuperacaoIntervaloS', default: '15', description: 'Intervalo (s) da leitura dos eventos armazenados no Keycloak (entrega do que o listener não entregou); 0 desliga', parse: integer(0, 86400) }),
  entry({ env: 'LUM_METRICS_PORT', key: 'metricsPort', default: '9464', description: 'Porta do endpoint /metrics (Prometheus) do worker; 0 desliga', parse: integer(0, 65535) }),
  entry({ env: 'LUM_METRICS_TOKEN', key: 'metricsToken', default: 'dev-metrics-token', description: 'Token Bearer exigido em /metrics (configure o scrape do Prometheus com ele)', secret: true, parse: text }),
  entry({ env: 'EVENT_MAX_SKEW_S', key: 'eventMaxSkewS', default: '300', description: 'Diferença máxima (s) entre X-LUM-Timestamp e o relógio da API', parse: integer(1, 86400) }),
  entry({ env: 'AUDIT_ANCHOR_FILE', key: 'auditAnchorFile', default: '.run/auditoria-ancoras.jsonl', description: 'Arquivo só-acréscimo onde o worker ancora o topo da cadeia de auditoria, fora do banco (em produção: outro host/armazenamento WORM); `-` desliga', parse: (raw) => (raw.trim() === '-' ? '' : raw.trim()) }),
  entry({ env: 'LUM_RELOGIO_DESLOCAMENTO', key: 'relogioDeslocamentoMs', default: '0', description: 'Desloca o relógio do domínio (hoje, prazos, datas futuras) em relação ao do sistema, ex.: +400d; só fora de production (testes do calendário)', parse: lerDeslocamento }),
  entry({ env: 'CARGA_DIRETORIO', key: 'cargaDiretorio', default: '.run/carga-entrada', description: 'Diretório de entrada da carga em lote: `POST /cargas` só aceita o nome de um arquivo dentro dele (relativo ao diretório de trabalho, se não for absoluto)', parse: diretorio }),
  entry({ env: 'LUM_SALA_DOCUMENTOS_DIR', key: 'salaDocumentosDir', default: '.run/sala-documentos', description: 'Diretório dos documentos enviados na Sala de Espera (fora do banco; só o cidadão e o órgão que analisa os leem pela API; relativo ao diretório de trabalho, se não for absoluto)', parse: diretorio }),
  entry({ env: 'LUM_CARGA_PAUSA', key: 'cargaPausa', default: '', description: 'Só testes: a carga em lote (npm run carga) para e espera no ponto indicado (ex.: lendo:2:copiado, fundindo), para o teste de kill -9 e retomada; vazio desliga; recusado em production', parse: pontoDePausa }),
  entry({ env: 'LUM_VINCULO_FATIA', key: 'vinculoFatia', default: '25000', description: 'Carga em lote: linhas sem CPF decididas por fatia no vínculo (memória × idas ao banco)', parse: integer(1, 10_000_000) }),
  entry({ env: 'LUM_GOVBR_ISSUER', key: 'govbrIssuer', default: 'http://localhost:4400/', description: 'Issuer do gov.br, com a barra final (o mesmo do realm; chaves em `<issuer>jwk`); desenvolvimento: o simulador local; em production precisa ser https', parse: (raw) => { if (!raw.trim().endsWith('/')) throw new Error('o issuer do gov.br termina com /'); return `${url('http:', 'https:')(raw)}/`; } }),
  entry({ env: 'LUM_GOVBR_JWKS_URL', key: 'govbrJwksUrl', default: '', description: 'De onde a API lê as chaves do gov.br (vazio: `<issuer>jwk`; no Docker, o simulador pelo nome do serviço)', parse: (raw) => (raw.trim() === '' ? '' : url('http:', 'https:')(raw)) }),
  entry({ env: 'LUM_GOVBR_CLIENT_ID', key: 'govbrClientId', default: 'dev-loginunico.prefeitura.sp.gov.br', description: 'client_id do realm no gov.br (o `aud` dos id_tokens do gov.br)', parse: text }),
  entry({ env: 'LUM_PORTAL_PORT', key: 'portalPort', default: '4000', description: 'Porta da Área do Cidadão ("Minha conta"), servida pelo processo da API; 0 desliga', parse: integer(0, 65535) }),
  entry({ env: 'LUM_PORTAL_URL', key: 'portalUrl', default: 'http://localhost:4000', description: 'Endereço público da Área do Cidadão, sem barra final (o rootUrl e os redirects do cliente portal-cidadao no realm)', parse: (raw) => url('http:', 'https:')(raw).replace(/\/+$/, '') }),
  entry({ env: 'LUM_PORTAL_CLIENT_ID', key: 'portalClientId', default: 'portal-cidadao', description: 'Cliente público do realm com que a Área do Cidadão entra (código de autorização + PKCE)', parse: text }),
  entry({ env: 'BODY_LIMIT', key: 'bodyLimit', default: '100kb', description: 'Tamanho máximo do corpo das requisições (acima: 413)', parse: byteSize }),
] as const satisfies readonly ConfigEntry[];

/** Builds the configuration from `env` (defaults for anything unset). Pure; throws ConfigError. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const problems: string[] = [];
  const values: Partial<Record<keyof Config, unknown>> = {};
  for (const e of CONFIG_TABLE as readonly ConfigEntry[]) {
    const raw = env[e.env];
    try {
      values[e.key] = e.parse(raw === undefined || raw === '' ? e.default : raw);
    } catch (err) {
      problems.push(`${e.env}: ${(err as Error).message}`);
    }
  }
  if (values.nodeEnv === 'production') {
    for (const e of CONFIG_TABLE as readonly ConfigEntry[]) {
      if (e.secret && values[e.key] === e.default) {
        problems.push(`${e.env}: defina um segredo próprio (o valor padrão de desenvolvimento é recusado em produção)`);
      }
    }
  }
  if (values.nodeEnv === 'production' && values.relogioDeslocamentoMs !== 0) {
    problems.push('LUM_RELOGIO_DESLOCAMENTO: em produção o relógio do domínio é o do sistema (use 0)');
  }
  if (values.nodeEnv === 'production' && typeof values.govbrIssuer === 'string' && !values.govbrIssuer.startsWith('https://')) {
    problems.push('LUM_GOVBR_ISSUER: em produção use o issuer https do gov.br (https://sso.acesso.gov.br/); o simulador é só de desenvolvimento');
  }
  if (values.nodeEnv === 'production' && values.cargaPausa !== '') {
    problems.push('LUM_CARGA_PAUSA: só para testes; em produção deixe vazio');
  }
  if (typeof values.syncBackoffMs === 'number' && typeof values.syncBackoffMaxMs === 'number' && values.syncBackoffMaxMs < values.syncBackoffMs) {
    problems.push('SYNC_BACKOFF_MAX_MS: deve ser maior ou igual a SYNC_BACKOFF_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (values.keycloakPublicUrl === '') values.keycloakPublicUrl = values.keycloakUrl;
  return Object.freeze(values as Config);
}

/** Derived URLs, kept here so every component spells them the same way. */
export function keycloakIssuer(config: Pick<Config, 'keycloakPublicUrl' | 'keycloakRealm'>): string {
  return `${config.keycloakPublicUrl}/realms/${encodeURIComponent(config.keycloakRealm)}`;
}

/** Where the API itself reaches the realm (JWKS, discovery, admin API): the internal URL. */
export function keycloakRealmUrl(config: Pick<Config, 'keycloakUrl' | 'keycloakRealm'>): string {
  return `${config.keycloakUrl}/realms/${encodeURIComponent(config.keycloakRealm)}`;
}

/** Markdown table of the configuration, for the README. Secrets show their default as development-only. */
export function renderConfigMarkdown(): string {
  const rows = (CONFIG_TABLE as readonly ConfigEntry[]).map(
    (e) => `| \`${e.env}\` | \`${e.default}\`${e.secret ? ' (só desenvolvimento)' : ''} | ${e.description} |`,
  );
  return ['| variável | padrão | descrição |', '| --- | --- | --- |', ...rows].join('\n');
}
