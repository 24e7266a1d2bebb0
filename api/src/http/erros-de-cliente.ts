/**
 * Requests Node's HTTP parser refuses before Express sees them — headers or URL above Node's 16 KB header limit, a
 * malformed request line — get the API's JSON error too (Node's default answers an empty 431 or 400).
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ApiError } from '../errors/api-error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';

export function responderErrosDeCliente(server: Server, logger: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The client went away (reset, timeout): nobody to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const erro =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError(431, 'PayloadGrande', 'Cabeçalhos ou endereço da requisição grandes demais (limite de 16 KB)')
        : new DadosInvalidos([], 'Requisição HTTP malformada');
    const corpo = JSON.stringify(erro.toJSON());
    logger.info({ errorId: erro.id, error: erro.nome, status: erro.status, code: err.code }, erro.message);
    socket.end(
      `HTTP/1.1 ${erro.status} ${STATUS_CODES[erro.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(corpo)}\r\nConnection: close\r\n\r\n${corpo}`,
    );
  });
}
