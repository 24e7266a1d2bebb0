import { describe, expect, it } from '@jest/globals';
import { CONFIG_TABLE, ConfigError, keycloakIssuer, loadConfig, renderConfigMarkdown } from './config.js';

describe('loadConfig', () => {
  it('gives the local-stack defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/lum',
      redisUrl: 'redis://127.0.0.1:6379',
      keycloakUrl: 'http://localhost:8080',
      keycloakRealm: 'prefeitura-sp',
      lumApiClientId: 'lum-api',
      lumApiClientSecret: 'dev-lum-api-secret',
      lumEventsHmacSecret: 'dev-events-secret',
      lumApiAudience: 'lum-api',
      logLevel: 'info',
      syncAttempts: 12,
      syncBackoffMs: 1000,
      syncBackoffMaxMs: 30000,
      eventMaxSkewS: 300,
      bodyLimit: '100kb',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(keycloakIssuer(c)).toBe('http://localhost:8080/realms/prefeitura-sp');
  });

  it('reads only the env it is given, parsing numbers and trimming URLs', () => {
    const c = loadConfig({ PORT: '8081', KEYCLOAK_URL: 'https://sso.prefeitura.sp.gov.br/', SYNC_ATTEMPTS: '3' });
    expect(c.port).toBe(8081);
    expect(c.keycloakUrl).toBe('https://sso.prefeitura.sp.gov.br');
    expect(c.syncAttempts).toBe(3);
  });

  it('lists every problem at once', () => {
    let erro: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', LOG_LEVEL: 'verbose', BODY_LIMIT: 'muito' });
    } catch (e) {
      erro = e;
    }
    expect(erro).toBeInstanceOf(ConfigError);
    expect((erro as ConfigError).problems).toHaveLength(4);
    expect((erro as ConfigError).message).toContain('PORT');
  });

  it.each([
    ['LUM_API_CLIENT_SECRET', { LUM_EVENTS_HMAC_SECRET: 'segredo-real', LUM_METRICS_TOKEN: 'segredo-real' }],
    ['LUM_EVENTS_HMAC_SECRET', { LUM_API_CLIENT_SECRET: 'segredo-real', LUM_METRICS_TOKEN: 'segredo-real' }],
    ['LUM_METRICS_TOKEN', { LUM_API_CLIENT_SECRET: 'segredo-real', LUM_EVENTS_HMAC_SECRET: 'segredo-real' }],
  ])('refuses to boot in production with the default %s', (variavel, env) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...env })).toThrow(variavel);
  });

  it('boots in production with real secrets and the real gov.br issuer', () => {
    const c = loadConfig({ NODE_ENV: 'production', LUM_API_CLIENT_SECRET: 'a'.repeat(32), LUM_EVENTS_HMAC_SECRET: 'b'.repeat(32), LUM_METRICS_TOKEN: 'c'.repeat(32), LUM_GOVBR_ISSUER: 'https://sso.acesso.gov.br/' });
    expect(c.nodeEnv).toBe('production');
    expect(c.govbrIssuer).toBe('https://sso.acesso.gov.br/');
  });

  it('refuses the gov.br simulator (an http issuer) in production, and an issuer without its trailing slash anywhere', () => {
    const segredos = { LUM_API_CLIENT_SECRET: 'a'.repeat(32), LUM_EVENTS_HMAC_SECRET: 'b'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...segredos })).toThrow('LUM_GOVBR_ISSUER: em produção use o issuer https do gov.br');
    expect(() => loadConfig({ LUM_GOVBR_ISSUER: 'https://sso.acesso.gov.br' })).toThrow('LUM_GOVBR_ISSUER: o issuer do gov.br termina com /');
    expect(loadConfig({}).govbrIssuer).toBe('http://localhost:4400/');
  });

  it.each([
    ['+400d', 400 * 86_400_000],
    ['-2h', -2 * 3_600_000],
    ['90m', 90 * 60_000],
    ['0', 0],
  ])('reads the domain clock shift LUM_RELOGIO_DESLOCAMENTO=%p', (raw, ms) => {
    expect(loadConfig({ LUM_RELOGIO_DESLOCAMENTO: raw }).relogioDeslocamentoMs).toBe(ms);
  });

  it.each(['400', '+1y', 'amanhã'])('refuses the clock shift %p', (raw) => {
    expect(() => loadConfig({ LUM_RELOGIO_DESLOCAMENTO: raw })).toThrow('LUM_RELOGIO_DESLOCAMENTO');
  });

  it('refuses a shifted domain clock in production', () => {
    const segredos = { LUM_API_CLIENT_SECRET: 'a'.repeat(32), LUM_EVENTS_HMAC_SECRET: 'b'.repeat(32), LUM_METRICS_TOKEN: 'c'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...segredos, LUM_RELOGIO_DESLOCAMENTO: '+1d' })).toThrow('LUM_RELOGIO_DESLOCAMENTO');
  });

  it.each(['lendo:2:copiado', 'lendo:10:confirmado', 'lendo:fim', 'fundindo', 'registrando'])('reads the batch-load test pause point LUM_CARGA_PAUSA=%p', (raw) => {
    expect(loadConfig({ LUM_CARGA_PAUSA: raw }).cargaPausa).toBe(raw);
  });

  it.each(['lendo', 'lendo:x:copiado', 'concluida'])('refuses the pause point %p', (raw) => {
    expect(() => loadConfig({ LUM_CARGA_PAUSA: raw })).toThrow('LUM_CARGA_PAUSA');
  });

  it.each(['0', '-5', '2.5', 'muitas', '10000001'])('refuses the linkage slice LUM_VINCULO_FATIA=%p at start, before any load runs', (raw) => {
    expect(() => loadConfig({ LUM_VINCULO_FATIA: raw })).toThrow('LUM_VINCULO_FATIA');
  });

  it('reads the linkage slice (default 25,000)', () => {
    expect(loadConfig({}).vinculoFatia).toBe(25_000);
    expect(loadConfig({ LUM_VINCULO_FATIA: '500' }).vinculoFatia).toBe(500);
  });

  it('refuses a batch-load pause point in production', () => {
    const segredos = { LUM_API_CLIENT_SECRET: 'a'.repeat(32), LUM_EVENTS_HMAC_SECRET: 'b'.repeat(32), LUM_METRICS_TOKEN: 'c'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...segredos, LUM_CARGA_PAUSA: 'fundindo' })).toThrow('LUM_CARGA_PAUSA: só para testes');
  });

  it('refuses a max backoff below the base', () => {
    expect(() => loadConfig({ SYNC_BACKOFF_MS: '5000', SYNC_BACKOFF_MAX_MS: '100' })).toThrow('SYNC_BACKOFF_MAX_MS');
  });

  it('reads the batch-load inbox CARGA_DIRETORIO (default under .run/, trailing slashes dropped)', () => {
    expect(loadConfig({}).cargaDiretorio).toBe('.run/carga-entrada');
    expect(loadConfig({ CARGA_DIRETORIO: ' /srv/carga/entrada// ' }).cargaDiretorio).toBe('/srv/carga/entrada');
  });

  it.each([
    ['/', 'raiz'],
    ['///', 'raiz'],
    ['/srv/carga\nentrada', 'caracteres de controle'],
    ['/srv/\u0000x', 'caracteres de controle'],
  ])('refuses the inbox CARGA_DIRETORIO=%j (%s)', (raw, motivo) => {
    expect(() => loadConfig({ CARGA_DIRETORIO: raw })).toThrow(`CARGA_DIRETORIO: não pode`);
    expect(() => loadConfig({ CARGA_DIRETORIO: raw })).toThrow(motivo);
  });

  it('renders a README table with one row per key', () => {
    const md = renderConfigMarkdown();
    for (const e of CONFIG_TABLE) expect(md).toContain(`\`${e.env}\``);
    expect(md.split('\n')).toHaveLength(CONFIG_TABLE.length + 2);
  });
});
