import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { uuidDoParametro } from '../http/parametros.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';
import { validarCorpo } from '../validation/validar.js';
import { RespostasConhecimentoDto } from './conhecimento.dto.js';
import { iniciarVerificacao, responderVerificacao } from './conhecimento.service.js';
import type { Limitador } from './limite.js';

export interface DepsConhecimento {
  dataSource: DataSource;
  fila: FilaSyncNivel;
  limitador: Limitador;
  logger: Logger;
}

/** The client address the limit counts (Express `req.ip`: the socket's peer unless the app trusts a proxy). */
function ipDe(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'desconhecido';
}

/** Starting takes no body: anything but nothing or `{}` is refused before any work. */
function semCorpo(corpo: unknown): void {
  const vazio = corpo === undefined || (typeof corpo === 'object' && corpo !== null && !Array.isArray(corpo) && Object.keys(corpo).length === 0);
  if (!vazio) throw DadosInvalidos.campo('', 'Esta requisição não aceita corpo: envie-a sem corpo ou com {}');
}

/**
 * The citizen's knowledge check, under /me (role cidadao, own account only — from the token's `sub`). The rate limit
 * counts every request, refused ones included, before anything else is read.
 */
export function rotasConhecimento({ dataSource, fila, limitador, logger }: DepsConhecimento): Router {
  const router = Router();

  router.post('/verificacao-conhecimento', async (req, res) => {
    const principal = principalDe(req);
    semCorpo(req.body);
    await limitador.contar(principal.sub, ipDe(req));
    res.status(201).json(await iniciarVerificacao(dataSource, principal));
  });

  router.post('/verificacao-conhecimento/:id/respostas', async (req, res) => {
    const principal = principalDe(req);
    const id = uuidDoParametro(req.params.id, 'id');
    const dados = await validarCorpo(RespostasConhecimentoDto, req.body);
    await limitador.contar(principal.sub, ipDe(req));
    const { resultado, recalculo } = await responderVerificacao(dataSource, principal, id, dados.respostas);
    // The outbox row was written with the level (confianca.service.recalcular); enqueuing now only saves the relay's wait.
    const jobId = recalculo?.saidaId
      ? await tentarEnfileirarSyncNivel(fila, { saidaId: recalculo.saidaId, keycloakUserId: recalculo.contaId, nivelVersao: recalculo.versao }, req.log ?? logger)
      : null;
    res.json({ ...resultado, sincronizacao: jobId ? { jobId } : null });
  });

  return router;
}
