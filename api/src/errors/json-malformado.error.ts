import { ApiError } from './api-error.js';

/** 400: the body is not parseable JSON. */
export class JsonMalformado extends ApiError {
  constructor(options?: { cause?: unknown }) {
    super(400, 'JsonMalformado', 'JSON malformado', [], options);
  }
}
