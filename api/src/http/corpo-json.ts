/**
 * The JSON body parser of every JSON route: `express.json` (size limit; strict: an object or a list at the top),
 * then the structural check of validation/estrutura-json.ts (nesting depth, list length, prototype keys) before any handler.
 */
import express, { type RequestHandler } from 'express';
import { problemaDeEstruturaJson } from '../validation/estrutura-json.js';

/** `express.json` with the body limit, then the structural check (400 before any handler sees the body). */
export function corpoJson(limite: string): RequestHandler[] {
  return [
    express.json({ limit: limite, strict: true }),
    (req, _res, next) => {
      next(req.body === undefined ? undefined : (problemaDeEstruturaJson(req.body) ?? undefined));
    },
  ];
}
