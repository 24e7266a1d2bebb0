import { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { filtrarPorVisao, visaoDoCidadao } from '../compartilhamento/filtrar.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import { ehDryRun, etag, versaoDoIfMatch } from '../http/cadastro-http.js';
import { rotasConhecimento } from '../conhecimento/conhecimento.routes.js';
import type { Limitador } from '../conhecimento/limite.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { contextoCidadao, cpfVinculadoDoCidadao, lerMeusDados } from './me.service.js';

export interface DepsMe {
  dataSource: DataSource;
  fila: FilaSyncNivel;
  logger: Logger;
  /** Rate limit of the knowledge check. */
  limitador: Limitador;
}

/**
 * Citizen self-service, mounted at `/me` (role `cidadao`, BEFORE the steward gate). No path parameter at all: the record is
 * always the caller's own, found from the token's `sub`. Writes go through Entrada Única as actor `cidadao`, so
 * PMCC decides field by field (e.g. nome social and contacts accepted; nome civil only as a request → review).
 */
export function rotasMe({ dataSource, fila, logger, limitador }: DepsMe): Router {
  const router = Router();
  // The knowledge check that ties the account to its record (issue 12).
  router.use(rotasConhecimento({ dataSource, fila, limitador, logger }));

  router.get('/', async (req, res) => {
    res.json(await lerMeusDados(dataSource, principalDe(req)));
  });

  router.patch('/pessoa', async (req, res) => {
    const principal = principalDe(req);
    const dryRun = ehDryRun(req);
    const versaoEsperada = versaoDoIfMatch(req) ?? null;
    const cpf = await cpfVinculadoDoCidadao(dataSource, principal);
    const visao = visaoDoCidadao();
    const r = await entradaUnica(
      { dataSource, fila, logger: req.log ?? logger },
      {
        entidade: 'pessoa',
        tipo: 'alterar',
        chave: cpf,
        corpo: req.body,
        ator: { tipo: 'cidadao', cpf },
        versaoEsperada,
        dryRun,
        modo: 'estrito',
        contexto: { ...contextoCidadao(principal), visao },
      },
    );
    if (!r.dryRun) res.setHeader('ETag', etag(r.versao));
    res.json({
      dryRun: r.dryRun,
      versao: r.versao,
      pessoa: filtrarPorVisao(r.registro, visao).pessoa,
      mudancas: r.mudancas.map((m) => ({ campo: m.campo, operacao: m.operacao, decisao: m.decisao })),
      revisoesAbertas: r.revisoesAbertas,
    });
  });

  return router;
}
