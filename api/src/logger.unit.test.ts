import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { criarHttpLogger, criarLogger, mascararCpfsEmTexto } from './logger.js';

function capturar() {
  const linhas: string[] = [];
  return { linhas, destino: { write: (s: string) => void linhas.push(s) } };
}

describe('logger', () => {
  it('hides CPF-like fields and secrets', () => {
    const { linhas, destino } = capturar();
    criarLogger({ logLevel: 'info' }, destino).info({ cpf: '52998224725', conta: { cpfDeclarado: '52998224725', pessoaCpf: '52998224725' }, clientSecret: 'x' }, 'teste');
    expect(linhas.join('')).not.toContain('52998224725');
    expect(linhas.join('')).not.toContain('"x"');
    expect(JSON.parse(linhas[0])).toMatchObject({ cpf: '[oculto]', conta: { cpfDeclarado: '[oculto]' }, msg: 'teste' });
  });

  it('masks CPFs in request URLs and never logs the Authorization header or the event signature', async () => {
    const { linhas, destino } = capturar();
    const app = express();
    app.use(criarHttpLogger(criarLogger({ logLevel: 'info' }, destino)));
    app.get('/pessoas/:cpf', (_req, res) => {
      res.json({});
    });
    await request(app).get('/pessoas/52998224725').set('Authorization', 'Bearer segredo.do.token').set('X-LUM-Signature', 'v1=abc').expect(200);
    const saida = linhas.join('');
    expect(saida).not.toContain('52998224725');
    expect(saida).toContain('/pessoas/529*****725');
    expect(saida).not.toContain('segredo.do.token');
    expect(saida).not.toContain('v1=abc');
    expect(mascararCpfsEmTexto('a 11144477735 b')).toBe('a 111*****735 b');
  });
});
