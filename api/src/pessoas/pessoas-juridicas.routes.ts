import { Router } from 'express';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { CADASTRO_PJ } from '../entrada-unica/cadastros.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { atorGestor, ehDryRun, etag, PreCondicaoObrigatoria, versaoDoIfMatch } from '../http/cadastro-http.js';
import { contextoGestor } from '../http/contexto.js';
import { ehCnpjValido, normalizarCnpj } from '../validation/cnpj.js';
import { CAMPOS_PJ_API, pessoaJuridicaParaJson } from './pessoa-juridica.dto.js';
import { PessoaJuridica } from './pessoa-juridica.entity.js';
import { historicoCampo } from './pessoas.service.js';
import { respostaDeEscrita, type DepsPessoas } from './pessoas.routes.js';

function cnpjDoParametro(valor: string | undefined): string {
  const cnpj = normalizarCnpj(valor ?? '');
  if (!ehCnpjValido(cnpj)) throw DadosInvalidos.campo('cnpj', 'CNPJ inválido');
  return cnpj;
}

/** Steward routes for companies (Pessoa Jurídica), keyed by CNPJ — same pipeline, same rules as persons. */
export function rotasPessoasJuridicas({ dataSource, fila, logger }: DepsPessoas): Router {
  const router = Router();
  const deps = { dataSource, fila, logger };

  router.post('/pessoas-juridicas', async (req, res) => {
    const dryRun = ehDryRun(req);
    const r = await entradaUnica(deps, { entidade: 'pessoa_juridica', tipo: 'criar', corpo: req.body, ator: atorGestor(req), contexto: contextoGestor(req), dryRun });
    if (!dryRun) res.status(201).location(`/pessoas-juridicas/${r.chave}`);
    res.json(respostaDeEscrita(res, r));
  });

  router.get('/pessoas-juridicas/:cnpj', async (req, res) => {
    const cnpj = cnpjDoParametro(req.params.cnpj);
    const pj = await dataSource.transaction(async (manager) => {
      const achada = await manager.findOne(PessoaJuridica, { where: { cnpj } });
      await registrarAuditoria(manager, {
        ...contextoGestor(req),
        acao: 'pessoa-juridica.lida',
        campos: achada ? CAMPOS_PJ_API.map((c) => CADASTRO_PJ.coluna(c)) : [],
        detalhe: { cnpj, encontrada: achada !== null, responsaveis: (achada?.responsaveis ?? []).map((r): unknown => r['cpf']) },
      });
      return achada;
    });
    if (!pj) throw new NaoEncontrado('Pessoa jurídica não encontrada no cadastro base');
    res.setHeader('ETag', etag(pj.versao)).json(pessoaJuridicaParaJson(pj));
  });

  router.patch('/pessoas-juridicas/:cnpj', async (req, res) => {
    const cnpj = cnpjDoParametro(req.params.cnpj);
    const dryRun = ehDryRun(req);
    const versaoEsperada = versaoDoIfMatch(req);
    if (versaoEsperada === undefined && !dryRun) throw new PreCondicaoObrigatoria();
    const r = await entradaUnica(deps, { entidade: 'pessoa_juridica', tipo: 'alterar', chave: cnpj, corpo: req.body, ator: atorGestor(req), contexto: contextoGestor(req), versaoEsperada, dryRun });
    res.json(respostaDeEscrita(res, r));
  });

  router.get('/pessoas-juridicas/:cnpj/historico/:campo', async (req, res) => {
    const cnpj = cnpjDoParametro(req.params.cnpj);
    const campo = req.params.campo;
    if (!(CAMPOS_PJ_API as readonly string[]).includes(campo)) throw DadosInvalidos.campo('campo', `Campo desconhecido: ${campo}. Campos: ${CAMPOS_PJ_API.join(', ')}`);
    const historico = await historicoCampo(dataSource, 'pessoa_juridica', cnpj, campo, CADASTRO_PJ.coluna(campo), contextoGestor(req));
    if (!historico) throw new NaoEncontrado('Pessoa jurídica não encontrada no cadastro base');
    res.json({ cnpj, campo, valores: historico });
  });

  return router;
}
