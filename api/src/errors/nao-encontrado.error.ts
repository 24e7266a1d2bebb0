import { ApiError } from './api-error.js';

/** 404. */
export class NaoEncontrado extends ApiError {
  constructor(message = 'Recurso não encontrado') {
    super(404, 'NaoEncontrado', message);
  }
}
