/**
 * Requests refused by Node's HTTP parser get the API's JSON error (a real HTTP server on a local port, a raw socket).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pino from 'pino';
import { responderErrosDeCliente } from './erros-de-cliente.js';

let server: Server;
let porta: number;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  responderErrosDeCliente(server, pino({ level: 'silent' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  porta = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `bruto` as is and returns the whole answer once the server closes the connection. */
function enviar(bruto: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const partes: Buffer[] = [];
    const s = connect(porta, '127.0.0.1', () => s.write(bruto));
    s.on('data', (d: Buffer) => partes.push(d));
    s.on('end', () => resolve(Buffer.concat(partes).toString('utf8')));
    s.on('error', reject);
  });
}

function separar(resposta: string): { linha: string; cabecalhos: string; corpo: unknown } {
  const [cabeca, corpo] = resposta.split('\r\n\r\n');
  const [linha, ...cabecalhos] = cabeca.split('\r\n');
  return { linha, cabecalhos: cabecalhos.join('\n').toLowerCase(), corpo: JSON.parse(corpo) };
}

describe('errors of the HTTP parser', () => {
  it('headers above 16 KB: 431 with the JSON error in pt-BR', async () => {
    const r = separar(await enviar(`GET /pessoas HTTP/1.1\r\nHost: x\r\nX-Grande: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(r.linha).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(r.cabecalhos).toContain('content-type: application/json; charset=utf-8');
    expect(r.corpo).toMatchObject({ error: 'PayloadGrande', message: 'Cabeçalhos ou endereço da requisição grandes demais (limite de 16 KB)', details: [] });
  });

  it('a URL above 16 KB: the same 431', async () => {
    const r = separar(await enviar(`GET /pessoas?q=${'b'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(r.linha).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(r.corpo).toMatchObject({ error: 'PayloadGrande' });
  });

  it('a malformed request line: 400 with the JSON error', async () => {
    const r = separar(await enviar('ISTO NAO E HTTP\r\n\r\n'));
    expect(r.linha).toBe('HTTP/1.1 400 Bad Request');
    expect(r.corpo).toMatchObject({ error: 'DadosInvalidos', message: 'Requisição HTTP malformada' });
  });

  it('a well-formed request still reaches the application', async () => {
    const r = await enviar('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(r.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(r.endsWith('ok')).toBe(true);
  });
});
