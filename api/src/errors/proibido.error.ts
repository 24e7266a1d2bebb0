import { ApiError } from './api-error.js';

/** 403: authenticated, but without the role the route needs. */
export class Proibido extends ApiError {
  constructor(message = 'Acesso negado: você não tem o papel necessário para esta operação') {
    super(403, 'Proibido', message);
  }
}
