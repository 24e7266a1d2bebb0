import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ValidationError } from 'class-validator';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import { DadosInvalidos } from './dados-invalidos.error.js';
import { ErroInterno } from './erro-interno.error.js';
import { JsonMalformado } from './json-malformado.error.js';
import { MuitasTentativas } from './muitas-tentativas.error.js';
import { NaoEncontrado } from './nao-encontrado.error.js';
import { PayloadGrande } from './payload-grande.error.js';
import { TipoDeConteudoNaoSuportado } from './tipo-de-conteudo.error.js';
import { detalhesDeValidacao } from '../validation/detalhes.js';

/** Shape of the errors thrown by body-parser (express.json / express.raw). */
interface BodyParserError extends Error {
  type: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return err instanceof Error && typeof (err as Partial<BodyParserError>).type === 'string' && ('status' in err || 'statusCode' in err);
}

/**
 * Turns anything thrown into an ApiError. Bad input always maps to a 4xx; only the unexpected becomes a 500.
 */
export function paraApiError(err: unknown, bodyLimit?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (Array.isArray(err) && err.length > 0 && err.every((e) => e instanceof ValidationError)) {
    return new DadosInvalidos(detalhesDeValidacao(err));
  }
  // The router could not percent-decode a path parameter (`/pessoas/%E0%A4%A`): it throws a URIError with status 400.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return DadosInvalidos.campo('', 'Parâmetro do caminho com codificação inválida: cada % deve vir seguido de dois dígitos hexadecimais de um caractere UTF-8 válido');
  }
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return new JsonMalformado({ cause: err });
      case 'entity.too.large':
        return new PayloadGrande(bodyLimit);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new TipoDeConteudoNaoSuportado();
      case 'request.size.invalid':
      case 'request.aborted':
      case 'entity.verify.failed':
        return new DadosInvalidos([], 'Corpo da requisição inválido');
    }
    const status = err.status ?? err.statusCode ?? 500;
    if (status >= 400 && status < 500) return new DadosInvalidos([], 'Requisição inválida');
  }
  return new ErroInterno({ cause: err });
}

/** Express error middleware: logs (5xx with the cause, 4xx briefly) and answers the ApiError JSON. */
export function errorHandler(logger: Logger, bodyLimit?: string): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = paraApiError(err, bodyLimit);
    const log = (req as { log?: Logger }).log ?? logger;
    if (apiError.status >= 500) {
      log.error({ err, errorId: apiError.id }, 'erro não tratado');
    } else {
      log.info({ errorId: apiError.id, error: apiError.nome, status: apiError.status, details: apiError.details }, apiError.message);
    }
    // Bearer challenge only where a bearer token is expected (the events endpoint authenticates by HMAC).
    if (apiError.status === 401 && !req.path.startsWith('/eventos/')) res.setHeader('WWW-Authenticate', 'Bearer');
    if (apiError instanceof MuitasTentativas) res.setHeader('Retry-After', String(apiError.retryAfterS));
    res.status(apiError.status).json(apiError.toJSON());
  };
}

/** Last route: anything not matched is a JSON 404. */
export const rotaNaoEncontrada: RequestHandler = (_req, _res, next) => {
  next(new NaoEncontrado('Rota não encontrada'));
};
