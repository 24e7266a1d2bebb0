/**
 * Authenticated CMBD routes, mounted at `/cmbd` after `autenticar` (not behind the steward gate): each route applies
 * its own role check (see acesso.ts).
 */
import express, { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { PAPEL_GESTOR_CADASTRO } from '../auth/principal.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { consulta } from '../http/cadastro-http.js';
import { corpoJson } from '../http/corpo-json.js';
import { uuidDoParametro } from '../http/parametros.js';
import { atorDe, autorizarOrgao, exigirPapelCmbd, PAPEL_CMBD_CGM, PAPEL_CMBD_PONTO_FOCAL } from './acesso.js';
import { listarBases, listarVersoes } from './bases.repository.js';
import {
  alterarBase, confirmarBase, criarBase, inativarBase, MOTIVO_NUNCA_EXCLUIR, obterBase, transferirBase, type Ator,
} from './bases.service.js';
import {
  abrirCampanha, concluirOrgao, encerrarCampanha, importarBases, lerCampanha, listaDeTrabalho, listarOrgaos, listarPendentes,
  registrarLembretes, registrarOrgao, registrarPontoFocal, siglaValida, codigoCampanhaValido, type ContextoCgm,
} from './campanhas.service.js';
import { deCsv } from './publicacao.js';
import { relatorioDadosPessoais } from './relatorio.js';

function ator(req: Request): Ator {
  const p = principalDe(req);
  return { nome: atorDe(req), autorizar: (sigla) => autorizarOrgao(p, sigla) };
}
function ctx(req: Request): ContextoCgm {
  return { ator: atorDe(req), cliente: principalDe(req).clientId };
}

export function rotasCmbd({ dataSource, bodyLimit }: { dataSource: DataSource; bodyLimit: string }): Router {
  const router = Router();
  const leitura = exigirPapelCmbd(PAPEL_CMBD_CGM, PAPEL_CMBD_PONTO_FOCAL, PAPEL_GESTOR_CADASTRO);
  const edicao = exigirPapelCmbd(PAPEL_CMBD_CGM, PAPEL_CMBD_PONTO_FOCAL);
  const cgm = exigirPapelCmbd(PAPEL_CMBD_CGM);
  router.use(corpoJson(bodyLimit));

  // Organs
  router.get('/orgaos', leitura, async (_req, res) => {
    res.json(await listarOrgaos(dataSource.manager));
  });
  router.put('/orgaos/:sigla', cgm, async (req, res) => {
    const r = await registrarOrgao(dataSource, req.params.sigla as string, req.body);
    res.status(r.criado ? 201 : 200).json({ sigla: r.sigla, nome: r.nome });
  });

  // Entries
  router.get('/bases', leitura, async (req, res) => {
    // Only ?sigla=, once: an unknown or repeated parameter is a 400 rather than silently ignored.
    const q = consulta(req, ['sigla']);
    const sigla = q['sigla'] === undefined ? undefined : siglaValida(q['sigla']);
    res.json(await listarBases(dataSource.manager, { sigla }));
  });
  router.post('/bases', edicao, async (req, res) => {
    const base = await criarBase(dataSource, req.body, ator(req));
    res.status(201).location(`/cmbd/bases/${base.id}`).json(base);
  });
  router.get('/bases/:id', leitura, async (req, res) => {
    res.json(await obterBase(dataSource.manager, uuidDoParametro(req.params.id as string, 'id')));
  });
  router.get('/bases/:id/versoes', leitura, async (req, res) => {
    const id = uuidDoParametro(req.params.id as string, 'id');
    await obterBase(dataSource.manager, id);
    res.json(await listarVersoes(dataSource.manager, id));
  });
  router.patch('/bases/:id', edicao, async (req, res) => {
    res.json(await alterarBase(dataSource, uuidDoParametro(req.params.id as string, 'id'), req.body, ator(req)));
  });
  router.delete('/bases/:id', edicao, async (req) => {
    await obterBase(dataSource.manager, uuidDoParametro(req.params.id as string, 'id'));
    req.log?.info({ baseId: req.params.id }, 'exclusão de base do CMBD recusada');
    throw new RegraDeNegocioViolada(MOTIVO_NUNCA_EXCLUIR);
  });
  router.post('/bases/:id/inativacao', edicao, async (req, res) => {
    res.json(await inativarBase(dataSource, uuidDoParametro(req.params.id as string, 'id'), req.body, ator(req)));
  });
  router.post('/bases/:id/transferencia', edicao, async (req, res) => {
    res.json(await transferirBase(dataSource, uuidDoParametro(req.params.id as string, 'id'), req.body, ator(req)));
  });
  router.post('/bases/:id/confirmacao', edicao, async (req, res) => {
    res.json(await confirmarBase(dataSource, uuidDoParametro(req.params.id as string, 'id'), ator(req)));
  });

  // Campaigns
  router.post('/campanhas', cgm, async (req, res) => {
    const c = await abrirCampanha(dataSource, req.body, ctx(req));
    res.status(201).location(`/cmbd/campanhas/${c.codigo}`).json(c);
  });
  router.get('/campanhas/:codigo', leitura, async (req, res) => {
    res.json(await lerCampanha(dataSource.manager, codigoCampanhaValido(req.params.codigo)));
  });
  router.post('/campanhas/:codigo/orgaos/:sigla/pontos-focais', cgm, async (req, res) => {
    res.status(201).json(await registrarPontoFocal(dataSource, req.params.codigo as string, req.params.sigla as string, req.body, ctx(req)));
  });
  router.get('/campanhas/:codigo/orgaos/:sigla/lista', edicao, async (req, res) => {
    autorizarOrgao(principalDe(req), siglaValida(req.params.sigla));
    res.json(await listaDeTrabalho(dataSource, req.params.codigo as string, req.params.sigla as string));
  });
  router.post('/campanhas/:codigo/orgaos/:sigla/conclusao', edicao, async (req, res) => {
    autorizarOrgao(principalDe(req), siglaValida(req.params.sigla));
    res.json(await concluirOrgao(dataSource, req.params.codigo as string, req.params.sigla as string, ctx(req)));
  });
  router.get('/campanhas/:codigo/pendentes', cgm, async (req, res) => {
    res.json(await listarPendentes(dataSource, req.params.codigo as string, ctx(req)));
  });
  router.post('/campanhas/:codigo/lembretes', cgm, async (req, res) => {
    res.json(await registrarLembretes(dataSource, req.params.codigo as string, ctx(req)));
  });
  router.post('/campanhas/:codigo/encerramento', cgm, async (req, res) => {
    const p = await encerrarCampanha(dataSource, req.params.codigo as string, ctx(req));
    res.json({ campanha: p.campanha, publicadaEm: p.publicadaEm, bases: p.itens.length, participantes: p.participantes, naoParticipantes: p.naoParticipantes });
  });

  // Import (CSV in the published format), CGM only.
  router.post('/importacao', cgm, express.text({ type: ['text/csv', 'text/plain'], limit: '10mb' }), async (req, res) => {
    if (typeof req.body !== 'string') throw new DadosInvalidos([{ path: '', message: 'Envie o CSV publicado do CMBD com Content-Type: text/csv; charset=utf-8' }]);
    // PostgreSQL text cannot hold U+0000 (it answered 500); the JSON bodies get the same check in validation/estrutura-json.ts.
    if (req.body.includes('\u0000')) throw new DadosInvalidos([{ path: '', message: 'O CSV contém o caractere nulo (U+0000), que não é aceito em texto' }]);
    res.status(201).json(await importarBases(dataSource, deCsv(req.body), ctx(req)));
  });

  // Report for the central record: bases holding personal data and their migration status.
  router.get('/relatorios/dados-pessoais', exigirPapelCmbd(PAPEL_CMBD_CGM, PAPEL_GESTOR_CADASTRO), async (_req, res) => {
    res.json(await relatorioDadosPessoais(dataSource.manager));
  });

  return router;
}
