import { ApiError } from './api-error.js';

/** 415: body encoding or charset the API does not read. */
export class TipoDeConteudoNaoSuportado extends ApiError {
  constructor(message = 'Tipo de conteúdo ou codificação não suportados') {
    super(415, 'TipoDeConteudoNaoSuportado', message);
  }
}
