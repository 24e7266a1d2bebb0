import { ApiError, type DetalheDeErro } from './api-error.js';

/** 422: well-formed request refused by a business rule (e.g. CPF declared on the account differs). */
export class RegraDeNegocioViolada extends ApiError {
  constructor(message: string, details: readonly DetalheDeErro[] = []) {
    super(422, 'RegraDeNegocioViolada', message, details);
  }
}
