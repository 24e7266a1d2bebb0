import { ApiError } from './api-error.js';

/**
 * 503: a transient condition (e.g. the record kept changing under a retried write); the caller should try again
 * later. The Keycloak event listener retries 5xx with backoff, whereas a 409 would tell it the event was already
 * received — so a write that could not be done must never answer 409.
 */
export class Indisponivel extends ApiError {
  constructor(message: string) {
    super(503, 'Indisponivel', message);
  }
}
