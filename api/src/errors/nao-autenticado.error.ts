import { ApiError } from './api-error.js';

/** 401: missing or invalid credentials (bearer token, event signature). */
export class NaoAutenticado extends ApiError {
  constructor(message = 'Autenticação necessária: token de acesso ausente ou inválido') {
    super(401, 'NaoAutenticado', message);
  }
}
