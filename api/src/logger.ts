import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Config } from './config.js';

/**
 * Fields never written to the logs as they are: credentials, and CPF-like fields wherever they appear
 * (one or two levels deep, which covers `req.body`-free pino-http lines and our own log objects).
 */
const CAMINHOS_OCULTOS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-lum-signature"]',
  'res.headers["set-cookie"]',
  'authorization',
  'clientSecret',
  'cpf',
  'cpfDeclarado',
  'cpf_declarado',
  'pessoaCpf',
  'pessoa_cpf',
  '*.cpf',
  '*.cpfDeclarado',
  '*.cpf_declarado',
  '*.pessoaCpf',
  '*.pessoa_cpf',
  '*.clientSecret',
];

/** Masks 11-digit runs (CPFs in paths such as /pessoas/52998224725). */
export function mascararCpfsEmTexto(texto: string): string {
  return texto.replace(/\d{11}/g, (cpf) => `${cpf.slice(0, 3)}*****${cpf.slice(8)}`);
}

/** JSON logger on stdout (or `destino`, for tests). */
export function criarLogger(config: Pick<Config, 'logLevel'>, destino?: DestinationStream): Logger {
  const opcoes = {
    level: config.logLevel,
    base: { service: 'lum-api' },
    redact: { paths: CAMINHOS_OCULTOS, censor: '[oculto]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destino ? pino(opcoes, destino) : pino(opcoes);
}

/** pino-http with a request id (X-Request-Id or a new UUID), CPFs masked in URLs, and no body logging. */
export function criarHttpLogger(logger: Logger): HttpLogger<IncomingMessage, ServerResponse> {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const recebido = req.headers['x-request-id'];
      const id = typeof recebido === 'string' && /^[\w.-]{1,128}$/.test(recebido) ? recebido : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: mascararCpfsEmTexto(req.url),
        headers: {
          'user-agent': req.headers['user-agent'],
          'content-type': req.headers['content-type'],
          'content-length': req.headers['content-length'],
          'x-lum-event-id': req.headers['x-lum-event-id'],
        },
        remoteAddress: req.remoteAddress,
      }),
    },
  });
}
