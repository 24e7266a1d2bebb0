import { ApiError } from './api-error.js';

/** 413: body above BODY_LIMIT. */
export class PayloadGrande extends ApiError {
  constructor(limite?: string) {
    super(413, 'PayloadGrande', limite ? `Corpo da requisição grande demais (limite ${limite})` : 'Corpo da requisição grande demais');
  }
}
