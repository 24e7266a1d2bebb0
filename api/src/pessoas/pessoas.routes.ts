import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CADASTRO_PESSOA } from '../entrada-unica/cadastros.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import type { ResultadoEscrita } from '../entrada-unica/tipos.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { atorGestor, consulta, ehDryRun, etag, paginacao, PreCondicaoObrigatoria, versaoDoIfMatch } from '../http/cadastro-http.js';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { filtrarPessoa, visaoDoGestor } from '../compartilhamento/filtrar.js';
import { Proibido } from '../errors/proibido.error.js';
import { contextoGestor } from '../http/contexto.js';
import { cpfDoParametro } from '../http/parametros.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { ehDataIso } from '../validation/decorators-cadastro.js';
import { motivoTextoInvalido, normalizarTexto } from '../validation/texto.js';
import { CAMPOS_PESSOA_API, pessoaParaJson } from './pessoa.dto.js';
import { buscarPessoas, historicoCampo, lerPessoa, type FiltroBusca } from './pessoas.service.js';

export interface DepsPessoas {
  dataSource: DataSource;
  fila?: FilaSyncNivel;
  logger: Logger;
}

/** Answer of a write: the record (or the would-be record of a dry run) plus what the PMCC decided. */
export function respostaDeEscrita(res: Response, r: ResultadoEscrita): Record<string, unknown> {
  if (!r.dryRun) res.setHeader('ETag', etag(r.versao));
  // Data-sharing rules (compartilhamento/): a person record and the decisions' values leave filtered to the
  // steward's view; a field outside it is never returned.
  const principal = res.req.principal;
  const visao = principal && r.entidade === 'pessoa' ? new Set(visaoDoGestor(principal).campos) : null;
  return {
    ...(r.dryRun ? { dryRun: true } : {}),
    registro: visao ? filtrarPessoa(r.registro, principal!).pessoa : r.registro,
    decisoes: r.mudancas.filter((m) => !visao || visao.has(m.campo)).map((m) => ({
      campo: m.campo,
      operacao: m.operacao,
      resultado: m.decisao.resultado,
      codigo: m.decisao.codigo,
      mensagem: m.decisao.mensagem,
      regra: m.decisao.regra,
      aplicado: m.decisao.aplicar,
      de: m.de,
      para: m.para,
    })),
    revisoesAbertas: r.revisoesAbertas,
    sincronizacoes: r.sincronizacoes,
  };
}

function texto(q: Record<string, string>, nome: string): string | undefined {
  const v = q[nome];
  if (v === undefined) return undefined;
  const t = normalizarTexto(v);
  const motivo = motivoTextoInvalido(t);
  if (motivo) throw DadosInvalidos.campo(nome, `${nome} ${motivo}`);
  if (t.length < 2 || t.length > 200) throw DadosInvalidos.campo(nome, `${nome} deve ter entre 2 e 200 caracteres`);
  return t;
}

/**
 * Steward routes for master records (mounted behind `autenticar`, any steward role and `exigirVisaoDeGestor`, see
 * app.ts; answers filtered by the sharing rules). Every write goes through Entrada Única; every read is audited.
 */
export function rotasPessoas({ dataSource, fila, logger }: DepsPessoas): Router {
  const router = Router();
  const deps = { dataSource, fila, logger };

  router.post('/pessoas', async (req, res) => {
    const dryRun = ehDryRun(req);
    const r = await entradaUnica(deps, { entidade: 'pessoa', tipo: 'criar', corpo: req.body, ator: atorGestor(req), contexto: contextoGestor(req), dryRun });
    if (dryRun) {
      res.status(200).json(respostaDeEscrita(res, r));
      return;
    }
    // The record's JSON at the top level (compatible with the first version of this route), decisions beside it.
    const corpo = respostaDeEscrita(res, r);
    res.status(201).location(`/pessoas/${r.chave}`).json({ ...(corpo['registro'] as object), decisoes: corpo['decisoes'], revisoesAbertas: r.revisoesAbertas });
  });

  router.get('/pessoas', async (req, res) => {
    const q = consulta(req, ['cpf', 'nome', 'dataNascimento', 'nomeMae', 'limit', 'offset']);
    const filtro: FiltroBusca = { ...paginacao(q) };
    if (q['cpf'] !== undefined) filtro.cpf = cpfDoParametro(q['cpf']);
    filtro.nome = texto(q, 'nome');
    filtro.nomeMae = texto(q, 'nomeMae');
    if (q['dataNascimento'] !== undefined) {
      if (!ehDataIso(q['dataNascimento'])) throw DadosInvalidos.campo('dataNascimento', 'dataNascimento deve ser uma data válida no formato AAAA-MM-DD');
      filtro.dataNascimento = q['dataNascimento'];
    }
    if (!filtro.cpf && !filtro.nomeMae && !(filtro.nome && filtro.dataNascimento)) {
      throw new DadosInvalidos([{ path: '', message: 'Informe cpf, ou nome e dataNascimento, ou nomeMae' }]);
    }
    const achadas = await buscarPessoas(dataSource, filtro, contextoGestor(req));
    res.json({ ...achadas, itens: achadas.itens.map((p) => filtrarPessoa(p, principalDe(req)).pessoa) });
  });

  router.get('/pessoas/:cpf', async (req, res) => {
    const cpf = cpfDoParametro(req.params.cpf);
    const pessoa = await lerPessoa(dataSource, cpf, contextoGestor(req));
    if (!pessoa) throw new NaoEncontrado('Pessoa não encontrada no cadastro base');
    res.setHeader('ETag', etag(pessoa.versao)).json(filtrarPessoa(pessoaParaJson(pessoa), principalDe(req)).pessoa);
  });

  /** Field-level update (absent = unchanged, null = delete). If-Match required (428); stale → 409. */
  router.patch('/pessoas/:cpf', async (req, res) => {
    const cpf = cpfDoParametro(req.params.cpf);
    const dryRun = ehDryRun(req);
    const versaoEsperada = versaoDoIfMatch(req);
    if (versaoEsperada === undefined && !dryRun) throw new PreCondicaoObrigatoria();
    const r = await entradaUnica(deps, { entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo: req.body, ator: atorGestor(req), contexto: contextoGestor(req), versaoEsperada, dryRun });
    res.json(respostaDeEscrita(res, r));
  });

  /** Inactivation (logical; a record is never physically deleted). Optional If-Match; optional { evidencia }. */
  router.delete('/pessoas/:cpf', async (req, res) => {
    const cpf = cpfDoParametro(req.params.cpf);
    const dryRun = ehDryRun(req);
    const bruto: unknown = req.body;
    const corpo = bruto === undefined || (typeof bruto === 'object' && bruto !== null && Object.keys(bruto).length === 0) ? {} : bruto;
    if (typeof corpo !== 'object' || corpo === null || Array.isArray(corpo) || Object.keys(corpo).some((k) => k !== 'evidencia')) {
      throw new DadosInvalidos([{ path: '', message: 'O corpo da inativação só pode conter evidencia' }]);
    }
    const r = await entradaUnica(deps, {
      entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo: { ...corpo, situacao: 'inativa' }, ator: atorGestor(req), contexto: contextoGestor(req),
      versaoEsperada: versaoDoIfMatch(req), dryRun,
    });
    res.json(respostaDeEscrita(res, r));
  });

  router.get('/pessoas/:cpf/historico/:campo', async (req, res) => {
    const cpf = cpfDoParametro(req.params.cpf);
    const campo = req.params.campo === 'obito' ? 'obitoRegistro' : req.params.campo;
    if (!(CAMPOS_PESSOA_API as readonly string[]).includes(campo)) {
      throw DadosInvalidos.campo('campo', `Campo desconhecido: ${req.params.campo}. Campos: ${CAMPOS_PESSOA_API.join(', ')}`);
    }
    if (!visaoDoGestor(principalDe(req)).campos.includes(campo)) throw new Proibido(`O campo ${campo} não é compartilhado com o seu órgão (regras de compartilhamento)`);
    const historico = await historicoCampo(dataSource, 'pessoa', cpf, campo, CADASTRO_PESSOA.coluna(campo), contextoGestor(req));
    if (!historico) throw new NaoEncontrado('Pessoa não encontrada no cadastro base');
    res.json({ cpf, campo, valores: historico });
  });

  return router;
}

