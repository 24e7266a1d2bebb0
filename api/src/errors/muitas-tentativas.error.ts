import { ApiError } from './api-error.js';

/** 429: too many attempts (a rate limit, or a lock after repeated failures). `retryAfterS` goes to `Retry-After`. */
export class MuitasTentativas extends ApiError {
  constructor(message: string, readonly retryAfterS: number) {
    super(429, 'MuitasTentativas', message);
  }
}
