import { ApiError } from './api-error.js';

/** 500: anything unexpected. The message is generic on purpose; the cause goes to the log only. */
export class ErroInterno extends ApiError {
  constructor(options?: { cause?: unknown }) {
    super(500, 'ErroInterno', 'Erro interno. Informe o código deste erro ao suporte.', [], options);
  }
}
