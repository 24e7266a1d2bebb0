import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { verificarEstruturaJson } from '../validation/estrutura-json.js';
import { JsonMalformado } from '../errors/json-malformado.error.js';
import { NaoAutenticado } from '../errors/nao-autenticado.error.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';
import { OPCOES_ESTRITAS, validarCorpo } from '../validation/validar.js';
import { CABECALHO_ASSINATURA, CABECALHO_EVENT_ID, CABECALHO_TIMESTAMP, verificarAssinatura } from './assinatura.js';
import { EventoKeycloakDto } from './evento.dto.js';
import { processarEventoKeycloak } from './eventos-keycloak.service.js';
import { criarVerificadorGovbr, type VerificadorGovbr } from '../govbr/id-token.js';

export interface DepsEventos {
  config: Pick<Config, 'lumEventsHmacSecret' | 'eventMaxSkewS' | 'bodyLimit' | 'keycloakRealm' | 'govbrIssuer' | 'govbrClientId' | 'govbrJwksUrl'>;
  /** Verifies Gov.br's id_tokens (default: against `<govbrIssuer>jwk`). */
  verificarGovbr?: VerificadorGovbr;
  dataSource: DataSource;
  fila: FilaSyncNivel;
  logger: Logger;
}

function cabecalho(valor: string | string[] | undefined): string | undefined {
  return Array.isArray(valor) ? valor[0] : valor;
}

/**
 * `POST /eventos/keycloak`: authenticated by HMAC over the raw body (not by bearer token).
 * Order: signature and timestamp (401) → JSON (400) → payload (400) → replay (409) → effects → 202.
 */
export function rotasEventosKeycloak({ config, dataSource, fila, logger, verificarGovbr = criarVerificadorGovbr(config) }: DepsEventos): Router {
  const router = Router();
  router.post('/eventos/keycloak', express.raw({ type: () => true, limit: config.bodyLimit }), async (req, res) => {
    const corpo = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verificacao = verificarAssinatura({
      segredo: config.lumEventsHmacSecret,
      assinatura: cabecalho(req.headers[CABECALHO_ASSINATURA]),
      timestamp: cabecalho(req.headers[CABECALHO_TIMESTAMP]),
      corpo,
      maxDesvioS: config.eventMaxSkewS,
    });
    if (!verificacao.valida) {
      req.log?.warn({ motivo: verificacao.motivo }, 'evento do Keycloak recusado');
      throw new NaoAutenticado(
        verificacao.motivo === 'timestamp-fora-da-janela' ? 'Evento recusado: X-LUM-Timestamp fora da janela permitida' : 'Evento recusado: assinatura ausente ou inválida',
      );
    }

    let payload: unknown;
    try {
      payload = JSON.parse(corpo.toString('utf8'));
    } catch (err) {
      throw new JsonMalformado({ cause: err });
    }
    verificarEstruturaJson(payload);
    const evento = await validarCorpo(EventoKeycloakDto, payload, { ...OPCOES_ESTRITAS, forbidNonWhitelisted: false });
    const idCabecalho = cabecalho(req.headers[CABECALHO_EVENT_ID]);
    if (idCabecalho !== undefined && idCabecalho !== evento.id) throw DadosInvalidos.campo('id', 'X-LUM-Event-Id não confere com o id do evento');
    if (evento.realm !== undefined && evento.realm !== config.keycloakRealm) throw DadosInvalidos.campo('realm', `Realm inesperado (esperado ${config.keycloakRealm})`);

    const log = req.log ?? logger;
    const resultado = await processarEventoKeycloak({ dataSource, fila, logger: log, verificarGovbr }, evento, payload as Record<string, unknown>);
    const jobId = resultado.sincronizar ? await tentarEnfileirarSyncNivel(fila, resultado.sincronizar, log) : null;
    if (resultado.pessoa) log.info({ eventoId: resultado.id, tipo: resultado.tipo, pessoa: resultado.pessoa }, 'evento do Keycloak aplicado ao cadastro base');
    res.status(202).json({ id: resultado.id, tipo: resultado.tipo, resultado: resultado.resultado, sincronizacao: jobId ? { jobId } : null });
  });
  return router;
}
