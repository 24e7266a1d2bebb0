import { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { contextoGestor } from '../http/contexto.js';
import { uuidDoParametro } from '../http/parametros.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';
import { validarCorpo } from '../validation/validar.js';
import { contaParaJson, evidenciaParaJson, VinculoDto } from './conta.dto.js';
import { confirmarVinculo, lerConta } from './contas.service.js';

export interface DepsContas {
  dataSource: DataSource;
  fila: FilaSyncNivel;
  logger: Logger;
}

/** Steward routes for accounts (mounted behind `autenticar` + `exigirPapel('gestor-cadastro')`). */
export function rotasContas({ dataSource, fila, logger }: DepsContas): Router {
  const router = Router();

  router.get('/contas/:keycloakUserId', async (req, res) => {
    const contaId = uuidDoParametro(req.params.keycloakUserId, 'keycloakUserId');
    const { conta, evidencias } = await lerConta(dataSource, contaId, contextoGestor(req));
    res.json(contaParaJson(conta, evidencias));
  });

  router.post('/contas/:keycloakUserId/vinculo', async (req, res) => {
    const contaId = uuidDoParametro(req.params.keycloakUserId, 'keycloakUserId');
    const dados = await validarCorpo(VinculoDto, req.body);
    const r = await confirmarVinculo(dataSource, contaId, dados, contextoGestor(req));
    const jobId = r.recalculo.saidaId ? await tentarEnfileirarSyncNivel(fila, { saidaId: r.recalculo.saidaId, keycloakUserId: contaId, nivelVersao: r.recalculo.versao }, req.log ?? logger) : null;
    res.status(200).json({
      ...contaParaJson(r.conta, r.evidencias),
      evidencia: evidenciaParaJson(r.evidencia),
      sincronizacao: jobId ? { jobId } : null,
    });
  });

  return router;
}
