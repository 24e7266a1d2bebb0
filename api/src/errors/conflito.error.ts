import { ApiError } from './api-error.js';

/** 409: the request clashes with the current state (duplicate key, replayed event). */
export class Conflito extends ApiError {
  constructor(message: string) {
    super(409, 'Conflito', message);
  }
}
