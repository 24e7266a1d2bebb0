/**
 * Routes of the Sala de Espera (issue 13).
 *
 * Citizen side (`rotasSalaCidadao`, mounted BEFORE the bearer-token gate): the credential is the signed, short-lived
 * reference Keycloak's authenticator `lum-sala-espera` put in the redirect (`?ref=` on GETs, field `ref` on the
 * forms). It names one account and one client: a citizen reaches only their own request and documents, and a
 * tampered or expired reference is a 401 (pt-BR page or JSON).
 *
 *   GET  /sala-espera                   the page (opens the request on first visit)
 *   GET  /sala-espera/pedido            the same as JSON
 *   POST /sala-espera/dados             { ref, cns | nis } — form or JSON
 *   POST /sala-espera/documentos        multipart: ref, documento (PDF/JPEG/PNG, ≤ 5 MB, type sniffed)
 *   GET  /sala-espera/documentos/:id    one of the citizen's documents
 *   POST /sala-espera/agendamento       { ref, horario: "<ponto>|<ISO instant>" } — book the in-person step (level 4)
 *   POST /sala-espera/agendamento/cancelar   { ref } — cancel it
 *
 * Organ side (`rotasSalaFila`, behind the stewards' gate): the queue of the steward's organs (gestor-<órgão>).
 *
 *   GET  /sala-espera/fila[?situacao=]            list
 *   GET  /sala-espera/fila/:id                    one request, data in full
 *   GET  /sala-espera/fila/:id/documentos/:doc    a document of it
 *   POST /sala-espera/fila/:id/assumir            claim
 *   POST /sala-espera/fila/:id/aprovar            { evidencia: { descricao, documentos[] }, pessoa?: { nome, dataNascimento } }
 *   POST /sala-espera/fila/:id/recusar            { motivo }
 *   POST /sala-espera/fila/:id/complementar       { motivo } — ask the citizen for more
 */
import express, { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import { ApiError } from '../errors/api-error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { PayloadGrande } from '../errors/payload-grande.error.js';
import { Proibido } from '../errors/proibido.error.js';
import { atorGestor, consulta } from '../http/cadastro-http.js';
import { contextoGestor } from '../http/contexto.js';
import { corpoJson } from '../http/corpo-json.js';
import { uuidDoParametro } from '../http/parametros.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';
import { problemaDeEstruturaJson } from '../validation/estrutura-json.js';
import { CSP_SALA, CSS_SALA, paginaReferenciaRecusada, paginaSala } from './pagina.js';
import { verificarReferencia, type ReferenciaSala } from './referencia.js';
import {
  abrirPedido, agendarPresencial, aprovarPedido, assumirPedido, cpfDoPedido, enviarDocumento, existePessoa, informarDados, LIMITES_DOCUMENTO, lerDocumento, lerPedidoDaFila, listarFila,
  responderPedido, SITUACOES_PEDIDO, type SituacaoPedido,
} from './sala.service.js';

export interface DepsSala {
  dataSource: DataSource;
  fila: FilaSyncNivel;
  logger: Logger;
  /** LUM_EVENTS_HMAC_SECRET: the reference's key is derived from it (referencia.ts). */
  segredo: string;
  dirDocumentos: string;
  bodyLimit: string;
  /** The realm's public URL (the tokens' issuer): "Continuar" goes through `<it>/clients/<client_id>/redirect`. */
  urlRealm: string;
}

const AVISOS: Record<string, string> = {
  dados: 'Dado recebido. Obrigado!', documento: 'Documento recebido. Obrigado!', agendamento: 'Horário agendado.', cancelamento: 'Agendamento cancelado.',
};

function html(res: Response, status: number, corpo: string): void {
  // the reference travels in the URL: never leak it to another site
  res.status(status).setHeader('Content-Security-Policy', CSP_SALA).setHeader('Referrer-Policy', 'no-referrer').type('html').send(corpo);
}

/** Whether the request came from the page's forms (answered with a page or a redirect, not JSON). */
const doFormulario = (req: Request): boolean => Boolean(req.is('application/x-www-form-urlencoded') || req.is('multipart/form-data')) && req.accepts(['json', 'html']) === 'html';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LIMITES_DOCUMENTO.bytes, files: 1, fields: 4, fieldSize: 8192, parts: 6 },
}).single('documento');

/** multer as a promise, its errors as pt-BR 4xx. */
function receberArquivo(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (!err) return resolve();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return reject(new PayloadGrande(`${LIMITES_DOCUMENTO.bytes / 1024 / 1024} MB por documento`));
        return reject(DadosInvalidos.campo(err.field ?? 'documento', 'Envio inválido: mande um único arquivo no campo documento, com o campo ref'));
      }
      reject(DadosInvalidos.campo('documento', 'Envio inválido: o corpo multipart não pôde ser lido'));
    });
  });
}

export function rotasSalaCidadao(deps: DepsSala): Router {
  const { dataSource, segredo } = deps;
  const router = Router();
  const referencia = (valor: unknown): ReferenciaSala => verificarReferencia(valor, segredo);
  /** Keycloak answers 303 to the client's own address (its base or root URL): the application signs in again. */
  const volta = (ref: ReferenciaSala): string => `${deps.urlRealm}/clients/${encodeURIComponent(ref.cliente)}/redirect`;
  const corpoFormulario = [
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }),
    ...corpoJson(deps.bodyLimit),
    (req: Request, _res: Response, next: (e?: unknown) => void) => next(req.body !== undefined && (typeof req.body !== 'object' || Array.isArray(req.body)) ? DadosInvalidos.campo('', 'O corpo deve ser um formulário ou um objeto JSON') : problemaDeEstruturaJson(req.body ?? {}) ?? undefined),
  ];

  router.get('/sala-espera/pagina.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('css').send(CSS_SALA);
  });

  router.get('/sala-espera', async (req, res) => {
    // a browser gets its errors as a page; any other client the JSON error body
    const navegador = req.accepts(['json', 'html']) === 'html';
    try {
      const q = consulta(req, ['ref', 'aviso']);
      const ref = referencia(q['ref']);
      html(res, 200, paginaSala(await abrirPedido(dataSource, ref), { ref: q['ref'], aviso: AVISOS[q['aviso'] ?? ''], urlVolta: volta(ref) }));
    } catch (err) {
      if (navegador && err instanceof ApiError) return html(res, err.status, paginaReferenciaRecusada(err.message));
      throw err;
    }
  });

  router.get('/sala-espera/pedido', async (req, res) => {
    const ref = referencia(consulta(req, ['ref'])['ref']);
    res.json(await abrirPedido(dataSource, ref));
  });

  /** Runs a citizen's write; a form gets a redirect back to the page (or the page with the error), JSON gets JSON. */
  async function escritaDoCidadao(req: Request, res: Response, aviso: string, escrever: (ref: ReferenciaSala) => Promise<unknown>): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ref = referencia(body['ref']);
    if (!doFormulario(req)) {
      res.json(await escrever(ref));
      return;
    }
    try {
      await escrever(ref);
      res.redirect(303, `/sala-espera?ref=${encodeURIComponent(body['ref'] as string)}&aviso=${aviso}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      html(res, err.status, paginaSala(await abrirPedido(dataSource, ref), { ref: body['ref'] as string, erro: err.message, urlVolta: volta(ref) }));
    }
  }

  router.post('/sala-espera/dados', ...corpoFormulario, async (req, res) => {
    await escritaDoCidadao(req, res, 'dados', (ref) => informarDados(dataSource, ref, (req.body ?? {}) as Record<string, unknown>));
  });

  /** Only the fields a form of the room sends. */
  const soCampos = (req: Request, campos: readonly string[]): Record<string, unknown> => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fora = Object.keys(body).filter((k) => !campos.includes(k));
    if (fora.length > 0) throw new DadosInvalidos(fora.map((k) => ({ path: k, message: `Campo desconhecido: ${k}` })));
    return body;
  };

  router.post('/sala-espera/agendamento', ...corpoFormulario, async (req, res) => {
    const body = soCampos(req, ['ref', 'horario']);
    await escritaDoCidadao(req, res, 'agendamento', (ref) => agendarPresencial(dataSource, ref, body['horario'] ?? ''));
  });

  router.post('/sala-espera/agendamento/cancelar', ...corpoFormulario, async (req, res) => {
    soCampos(req, ['ref']);
    await escritaDoCidadao(req, res, 'cancelamento', (ref) => agendarPresencial(dataSource, ref, null));
  });

  router.post('/sala-espera/documentos', async (req, res) => {
    if (!req.is('multipart/form-data')) throw DadosInvalidos.campo('', 'Envie o documento como multipart/form-data, com os campos ref e documento');
    try {
      await receberArquivo(req, res);
    } catch (err) {
      // refused before the reference could be read (e.g. too large): the page, if the reference came before the file
      const ref = (req.body as Record<string, unknown> | undefined)?.['ref'];
      if (err instanceof ApiError && doFormulario(req) && typeof ref === 'string') {
        try {
          const r = referencia(ref);
          return html(res, err.status, paginaSala(await abrirPedido(dataSource, r), { ref, erro: err.message, urlVolta: volta(r) }));
        } catch {
          throw err;
        }
      }
      throw err;
    }
    const outros = Object.keys((req.body ?? {}) as object).filter((k) => k !== 'ref');
    if (outros.length > 0) throw new DadosInvalidos(outros.map((k) => ({ path: k, message: `Campo desconhecido: ${k}` })));
    await escritaDoCidadao(req, res, 'documento', (ref) => enviarDocumento(dataSource, deps.dirDocumentos, ref, req.file));
  });

  router.get('/sala-espera/documentos/:id', async (req, res) => {
    const id = uuidDoParametro(req.params.id, 'id');
    const ref = referencia(consulta(req, ['ref'])['ref']);
    const doc = await lerDocumento(dataSource, deps.dirDocumentos, id, { contaId: ref.sub, ctx: { ator: ref.sub, cliente: ref.cliente, finalidade: 'sala-de-espera' } });
    enviarArquivo(res, doc);
  });

  return router;
}

function enviarArquivo(res: Response, doc: { tipo: string; nomeOriginal: string; conteudo: Buffer }): void {
  res
    .setHeader('Content-Disposition', `attachment; filename="documento"; filename*=UTF-8''${encodeURIComponent(doc.nomeOriginal)}`)
    .setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
    .setHeader('Referrer-Policy', 'no-referrer')
    .type(doc.tipo)
    .send(doc.conteudo);
}

// ---------------------------------------------------------------------------------------------------------------

const texto = (corpo: Record<string, unknown>, campo: string, min: number, max: number): string => {
  const v = corpo[campo];
  if (typeof v !== 'string' || v.trim().length < min || v.length > max) throw DadosInvalidos.campo(campo, `${campo} é obrigatório: texto de ${min} a ${max} caracteres`);
  return v.trim();
};

function objeto(corpo: unknown, permitidos: readonly string[]): Record<string, unknown> {
  if (typeof corpo !== 'object' || corpo === null || Array.isArray(corpo)) throw DadosInvalidos.campo('', 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)');
  const fora = Object.keys(corpo).filter((k) => !permitidos.includes(k));
  if (fora.length > 0) throw new DadosInvalidos(fora.map((k) => ({ path: k, message: `Campo desconhecido: ${k}` })));
  return corpo as Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function rotasSalaFila(deps: DepsSala): Router {
  const { dataSource, fila, logger } = deps;
  const router = Router();
  /** The organs whose queue the steward works (gestor-<órgão>); a role of another kind sees none. */
  const orgaos = (req: Request) => {
    const o = principalDe(req).orgaos;
    if (o.length === 0) throw new Proibido('A fila da Sala de Espera é dos gestores de um órgão (papéis gestor-<órgão>)');
    return o;
  };

  router.get('/sala-espera/fila', async (req, res) => {
    const q = consulta(req, ['situacao']);
    if (q['situacao'] !== undefined && !(SITUACOES_PEDIDO as readonly string[]).includes(q['situacao'])) {
      throw DadosInvalidos.campo('situacao', `situacao deve ser uma de: ${SITUACOES_PEDIDO.join(', ')}`);
    }
    res.json({ pedidos: await listarFila(dataSource, orgaos(req), q['situacao'] as SituacaoPedido | undefined, contextoGestor(req)) });
  });

  router.get('/sala-espera/fila/:id', async (req, res) => {
    res.json(await lerPedidoDaFila(dataSource, uuidDoParametro(req.params.id, 'id'), orgaos(req), contextoGestor(req)));
  });

  router.get('/sala-espera/fila/:id/documentos/:doc', async (req, res) => {
    const pedidoId = uuidDoParametro(req.params.id, 'id');
    const doc = await lerDocumento(dataSource, deps.dirDocumentos, uuidDoParametro(req.params.doc, 'doc'), { orgaos: orgaos(req), ctx: contextoGestor(req), pedidoId });
    enviarArquivo(res, doc);
  });

  router.post('/sala-espera/fila/:id/assumir', async (req, res) => {
    const id = uuidDoParametro(req.params.id, 'id');
    objeto(req.body ?? {}, []);
    res.json(await assumirPedido(dataSource, id, orgaos(req), contextoGestor(req)));
  });

  for (const [acao, resposta] of [['recusar', 'recusado'], ['complementar', 'complementacao-solicitada']] as const) {
    router.post(`/sala-espera/fila/:id/${acao}`, async (req, res) => {
      const id = uuidDoParametro(req.params.id, 'id');
      const motivo = texto(objeto(req.body, ['motivo']), 'motivo', 5, 1000);
      res.json(await responderPedido(dataSource, id, orgaos(req), contextoGestor(req), resposta, motivo));
    });
  }

  router.post('/sala-espera/fila/:id/aprovar', async (req, res) => {
    const id = uuidDoParametro(req.params.id, 'id');
    const corpo = objeto(req.body, ['evidencia', 'pessoa']);
    const ev = objeto(corpo['evidencia'] ?? null, ['descricao', 'documentos']);
    const descricao = texto(ev, 'descricao', 5, 1000);
    const documentos = ev['documentos'];
    if (!Array.isArray(documentos) || documentos.length === 0 || documentos.length > 10 || !documentos.every((d) => typeof d === 'string' && UUID.test(d))) {
      throw DadosInvalidos.campo('evidencia.documentos', 'evidencia.documentos: a lista (1 a 10) dos ids dos documentos conferidos');
    }
    const os = orgaos(req);
    const ctx = contextoGestor(req);
    // No master record with the account's CPF: the steward supplies the civil data read on the document and the
    // record is created through Entrada Única (PMCC, provenance, audit) before the approval.
    if (corpo['pessoa'] !== undefined) {
      const pessoa = objeto(corpo['pessoa'], ['nome', 'dataNascimento']);
      const cpf = await cpfDoPedido(dataSource, id, os);
      if (!(await existePessoa(dataSource, cpf))) {
        await entradaUnica({ dataSource, fila, logger: req.log ?? logger }, {
          entidade: 'pessoa', tipo: 'criar', corpo: { cpf, nome: pessoa['nome'], dataNascimento: pessoa['dataNascimento'], evidencia: { tipo: 'outro', descricao: `Sala de Espera (pedido ${id}): ${descricao}`.slice(0, 500) } }, ator: atorGestor(req),
          contexto: { ator: ctx.ator, cliente: ctx.cliente, finalidade: 'sala-de-espera' }, chaveFonte: `sala:${id}`,
        });
      }
    }
    const r = await aprovarPedido(dataSource, id, os, ctx, { descricao, documentos: documentos as string[] });
    const jobId = r.saidaId
      ? await tentarEnfileirarSyncNivel(fila, { saidaId: r.saidaId, keycloakUserId: r.recalculo.contaId, nivelVersao: r.recalculo.versao }, req.log ?? logger)
      : null;
    res.json({ ...r.pedido, nivel: r.recalculo.nivel, sincronizacao: jobId ? { jobId } : null });
  });

  return router;
}
