import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { Conflito } from './conflito.error.js';
import { errorHandler, rotaNaoEncontrada } from './error-handler.js';

function app() {
  const a = express();
  a.use(express.json({ limit: '1kb' }));
  a.post('/eco', (req, res) => {
    res.json(req.body);
  });
  a.get('/conflito', () => {
    throw new Conflito('Já existe');
  });
  a.get('/quebra', () => Promise.reject(new Error('segredo interno: senha=123')));
  a.use(rotaNaoEncontrada);
  a.use(errorHandler(pino({ level: 'silent' }), '1kb'));
  return a;
}

describe('errorHandler', () => {
  it('malformed JSON → 400 "JSON malformado"', async () => {
    const res = await request(app()).post('/eco').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(res.body).toMatchObject({ error: 'JsonMalformado', message: 'JSON malformado', details: [] });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('too large → 413', async () => {
    const res = await request(app()).post('/eco').send({ a: 'x'.repeat(2000) }).expect(413);
    expect(res.body).toMatchObject({ error: 'PayloadGrande', message: expect.stringContaining('1kb') });
  });

  it('unsupported charset → 415', async () => {
    await request(app()).post('/eco').set('content-type', 'application/json; charset=klingon').send('{}').expect(415);
  });

  it('ApiError keeps its status and name', async () => {
    const res = await request(app()).get('/conflito').expect(409);
    expect(res.body).toMatchObject({ error: 'Conflito', message: 'Já existe' });
  });

  it('unknown error → 500 with a generic message, details only in the log', async () => {
    const res = await request(app()).get('/quebra').expect(500);
    expect(res.body.error).toBe('ErroInterno');
    expect(JSON.stringify(res.body)).not.toContain('senha');
  });

  it('unknown route → JSON 404', async () => {
    const res = await request(app()).get('/nada').expect(404);
    expect(res.body.error).toBe('NaoEncontrado');
  });
});
