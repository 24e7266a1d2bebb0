/**
 * The stewards' batch-load routes (mounted behind the central stewards' gate: `gestor-cadastro`, `admin-cadastro`):
 * ask for a load and follow it, read the diagnosis (JSON and a page), review the linkage, merge and split golden ids.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config.js';
import { DadosInvalidos } from '../../errors/dados-invalidos.error.js';
import { Indisponivel } from '../../errors/indisponivel.error.js';
import { consulta, paginacao } from '../../http/cadastro-http.js';
import { contextoGestor } from '../../http/contexto.js';
import { validarCorpo } from '../../validation/validar.js';
import { ehIdNumerico, FundirIdentidadesDto, NovaCargaDto, ResolverRevisaoVinculoDto, SepararIdentidadeDto } from './carga.dto.js';
import { dadosDoPainel, lerDiagnosticoDaBase, lerPedido, listarCargas, solicitarCarga } from './cargas.service.js';
import { DIRETORIO_FONTES_PADRAO } from './entrada.js';
import { FORMA_ID_PEDIDO, type FilaCarga } from './fila.js';
import { fundirIdentidades, lerIdentidade, listarRevisoesVinculo, resolverRevisaoVinculo, separarIdentidade, SITUACOES_REVISAO_VINCULO } from './identidades.service.js';
import { CSP_PAINEL, paginaPainel } from './painel.js';

export interface DepsRotasCarga {
  dataSource: DataSource;
  config: Pick<Config, 'cargaDiretorio'>;
  /** The load queue; without it (a process wired without Redis for loads) asking for or reading a request is a 503. */
  fila?: FilaCarga;
  /** Mapping files (default api/src/carga/fontes). */
  dirFontes?: string;
}

function idDoParametro(v: string | undefined, oque: string): string {
  if (!ehIdNumerico(v)) throw DadosInvalidos.campo('id', `id ${oque} deve ser um número inteiro positivo`);
  return v;
}

export function rotasCarga({ dataSource, config, fila, dirFontes = DIRETORIO_FONTES_PADRAO }: DepsRotasCarga): Router {
  const router = Router();
  const exigirFila = (): FilaCarga => {
    if (!fila) throw new Indisponivel('A fila de cargas não está configurada neste processo da API');
    return fila;
  };

  router.post('/cargas', async (req, res) => {
    consulta(req, []);
    const dados = await validarCorpo(NovaCargaDto, req.body);
    const { pedido, resultado } = await solicitarCarga(dataSource, exigirFila(), { cargaDiretorio: config.cargaDiretorio, dirFontes }, dados, contextoGestor(req));
    res.status(202).location(`/cargas/${pedido.id}`).json({ ...pedido, resultado });
  });

  router.get('/cargas', async (req, res) => {
    const q = consulta(req, ['fonte', 'limit', 'offset']);
    if (q['fonte'] !== undefined && !/^[a-z][a-z0-9-]{1,39}$/.test(q['fonte'])) throw DadosInvalidos.campo('fonte', 'fonte deve ser o nome de um mapeamento (letras minúsculas, dígitos e hífen)');
    res.json(await listarCargas(dataSource, fila ?? null, { ...paginacao(q), fonte: q['fonte'] }, contextoGestor(req)));
  });

  router.get('/cargas/diagnostico', async (req, res) => {
    consulta(req, []);
    res.json(await lerDiagnosticoDaBase(dataSource, contextoGestor(req)));
  });

  router.get('/cargas/painel', async (req, res) => {
    consulta(req, []);
    const html = paginaPainel(await dadosDoPainel(dataSource, fila ?? null, contextoGestor(req)));
    res.setHeader('Content-Security-Policy', CSP_PAINEL).type('html').send(html);
  });

  router.get('/cargas/:id', async (req, res) => {
    consulta(req, []);
    const id = req.params.id;
    if (!FORMA_ID_PEDIDO.test(id)) throw DadosInvalidos.campo('id', 'id deve ser o de um pedido de carga, como devolvido por POST /cargas (ex.: carga-bdc-0123456789abcdef)');
    res.json(await lerPedido(dataSource, exigirFila(), id, contextoGestor(req)));
  });

  router.get('/revisoes-vinculo', async (req, res) => {
    const q = consulta(req, ['situacao', 'limit', 'offset']);
    const situacao = q['situacao'] ?? 'aberta';
    if (!(SITUACOES_REVISAO_VINCULO as readonly string[]).includes(situacao)) throw DadosInvalidos.campo('situacao', `situacao deve ser um de: ${SITUACOES_REVISAO_VINCULO.join(', ')}`);
    res.json(await listarRevisoesVinculo(dataSource, { ...paginacao(q), situacao: situacao as (typeof SITUACOES_REVISAO_VINCULO)[number] }, contextoGestor(req)));
  });

  router.post('/revisoes-vinculo/:id/resolver', async (req, res) => {
    consulta(req, []);
    const id = idDoParametro(req.params.id, 'do item de revisão de vínculo');
    const dados = await validarCorpo(ResolverRevisaoVinculoDto, req.body);
    res.json(await resolverRevisaoVinculo(dataSource, id, dados, contextoGestor(req)));
  });

  router.get('/identidades/:id', async (req, res) => {
    consulta(req, []);
    res.json(await lerIdentidade(dataSource, idDoParametro(req.params.id, 'da identidade'), contextoGestor(req)));
  });

  router.post('/identidades/:id/fundir', async (req, res) => {
    consulta(req, []);
    const id = idDoParametro(req.params.id, 'da identidade');
    const dados = await validarCorpo(FundirIdentidadesDto, req.body);
    res.json(await fundirIdentidades(dataSource, id, dados, contextoGestor(req)));
  });

  router.post('/identidades/:id/separar', async (req, res) => {
    consulta(req, []);
    const id = idDoParametro(req.params.id, 'da identidade');
    const dados = await validarCorpo(SepararIdentidadeDto, req.body);
    const r = await separarIdentidade(dataSource, id, { linhas: dados.linhas.map((l) => ({ fonte: l.fonte, chave: l.chave })), justificativa: dados.justificativa }, contextoGestor(req));
    res.status(201).location(`/identidades/${r.nova.id}`).json(r);
  });

  return router;
}
