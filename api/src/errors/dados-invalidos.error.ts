import { ApiError, type DetalheDeErro } from './api-error.js';

/** 400: the request is syntactically fine but a field is wrong. The message lists the field messages. */
export class DadosInvalidos extends ApiError {
  constructor(details: readonly DetalheDeErro[], message?: string) {
    super(400, 'DadosInvalidos', message ?? (details.length > 0 ? details.map((d) => d.message).join('; ') : 'Dados inválidos'), details);
  }

  static campo(path: string, message: string): DadosInvalidos {
    return new DadosInvalidos([{ path, message }]);
  }
}
