/**
 * `POST /biometria/capturas` — the Descomplica points' service account (client `descomplica-biometria`, realm role
 * `registro-biometria`, private_key_jwt) records that a biometric capture was made (level 4). Mounted after the
 * bearer-token gate with its own checks (app.ts): the role AND the client, so a token of another client that somehow
 * carried the role is still refused. Body limit 4 KB: a biometric template does not fit.
 */
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { Proibido } from '../errors/proibido.error.js';
import { evidenciaParaJson } from '../contas/conta.dto.js';
import { corpoJson } from '../http/corpo-json.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';
import { relogio } from '../relogio.js';
import { validarCorpo } from '../validation/validar.js';
import { CapturaBiometricaDto } from './biometria.dto.js';
import { registrarCaptura } from './biometria.service.js';

const CLIENTE_BIOMETRIA = 'descomplica-biometria';
const PAPEL_REGISTRO_BIOMETRIA = 'registro-biometria';
/** A capture recorded more than this long after it was made is refused (the point sends it right away). */
const ATRASO_MAXIMO_MS = 7 * 86_400_000;
/** Tolerance for a point's clock slightly ahead of ours. */
const ADIANTAMENTO_MAXIMO_MS = 5 * 60_000;

/** Only the Descomplica points' service account: its client and its role. */
export function exigirClienteBiometria(): RequestHandler {
  return (req, _res, next) => {
    const p = principalDe(req);
    if (p.clientId !== CLIENTE_BIOMETRIA || !p.roles.includes(PAPEL_REGISTRO_BIOMETRIA)) {
      throw new Proibido(`Acesso restrito à conta de serviço dos postos Descomplica (cliente ${CLIENTE_BIOMETRIA}, papel ${PAPEL_REGISTRO_BIOMETRIA})`);
    }
    next();
  };
}

export function rotasBiometria(deps: { dataSource: DataSource; fila: FilaSyncNivel; logger: Logger }): Router {
  const router = Router();
  router.post('/biometria/capturas', ...corpoJson('4kb'), async (req, res) => {
    const dados = await validarCorpo(CapturaBiometricaDto, req.body);
    const capturadaEmData = new Date(dados.capturadaEm);
    const agora = relogio().agora().getTime();
    if (Number.isNaN(capturadaEmData.getTime())) throw DadosInvalidos.campo('capturadaEm', 'capturadaEm: data e hora inexistente');
    if (capturadaEmData.getTime() > agora + ADIANTAMENTO_MAXIMO_MS) throw DadosInvalidos.campo('capturadaEm', 'capturadaEm está no futuro: confira o relógio do posto');
    if (capturadaEmData.getTime() < agora - ATRASO_MAXIMO_MS) throw DadosInvalidos.campo('capturadaEm', 'capturadaEm tem mais de 7 dias: uma captura é registrada logo depois de feita');
    // the actor is the client (the points' service account has no user name in its token); the operator is in the body
    const r = await registrarCaptura(deps.dataSource, { ...dados, capturadaEmData }, { ator: CLIENTE_BIOMETRIA, username: CLIENTE_BIOMETRIA, cliente: CLIENTE_BIOMETRIA, finalidade: 'registro-biometria' });
    const jobId = r.recalculo.saidaId
      ? await tentarEnfileirarSyncNivel(deps.fila, { saidaId: r.recalculo.saidaId, keycloakUserId: r.contaId, nivelVersao: r.recalculo.versao }, req.log ?? deps.logger)
      : null;
    res.status(201).json({
      keycloakUserId: r.contaId,
      nivelAnterior: r.recalculo.nivelAnterior as number,
      nivel: r.recalculo.nivel as number,
      agendamentoId: r.agendamentoId,
      evidencia: evidenciaParaJson(r.evidencia),
      sincronizacao: jobId ? { jobId } : null,
    });
  });
  return router;
}
