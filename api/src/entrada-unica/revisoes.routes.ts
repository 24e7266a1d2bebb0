import { Router } from 'express';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { atorGestor, consulta, paginacao } from '../http/cadastro-http.js';
import { contextoGestor } from '../http/contexto.js';
import { EvidenciaDto } from '../pessoas/pessoa.dto.js';
import type { DepsPessoas } from '../pessoas/pessoas.routes.js';
import { validarCorpo } from '../validation/validar.js';
import { contasDoPedidoDecidido, semAvisos, type Avisos } from '../mensagens/avisos.js';
import { RESOLUCOES, SITUACOES_REVISAO, type SituacaoRevisao } from './revisao.entity.js';
import { assumirRevisao, listarRevisoes, resolverRevisao } from './revisoes.service.js';

class ResolverRevisaoDto {
  @IsDefined({ message: 'resolucao é obrigatória' })
  @IsIn(RESOLUCOES, { message: `resolucao deve ser um de: ${RESOLUCOES.join(', ')}` })
  resolucao: (typeof RESOLUCOES)[number];

  @IsDefined({ message: 'justificativa é obrigatória' })
  @IsString({ message: 'justificativa deve ser texto' })
  @Length(3, 1000, { message: 'justificativa deve ter entre 3 e 1000 caracteres' })
  justificativa: string;

  @IsOptional()
  @IsObject({ message: 'evidencia deve ser um objeto { tipo, numero, descricao }' })
  @ValidateNested()
  @Type(() => EvidenciaDto)
  evidencia?: EvidenciaDto;
}

function idDoParametro(v: string | undefined): string {
  if (!v || !/^[1-9]\d{0,17}$/.test(v)) throw DadosInvalidos.campo('id', 'id do item de revisão deve ser um número inteiro positivo');
  return v;
}

/**
 * The stewards' review queue: list, claim, resolve. A decision on a citizen's own request queues the citizen's
 * optional e-mail notice (`pedido`) after it committed (mensagens/avisos.ts; best effort).
 */
export function rotasRevisoes({ dataSource, fila, logger }: DepsPessoas, avisos: Avisos = semAvisos): Router {
  const router = Router();

  router.get('/revisoes', async (req, res) => {
    const q = consulta(req, ['situacao', 'chave', 'limit', 'offset']);
    if (q['situacao'] !== undefined && !(SITUACOES_REVISAO as readonly string[]).includes(q['situacao'])) {
      throw DadosInvalidos.campo('situacao', `situacao deve ser um de: ${SITUACOES_REVISAO.join(', ')}`);
    }
    res.json(await listarRevisoes(dataSource, { ...paginacao(q), situacao: q['situacao'] as SituacaoRevisao | undefined, chave: q['chave'] }, contextoGestor(req)));
  });

  router.post('/revisoes/:id/assumir', async (req, res) => {
    res.json(await assumirRevisao(dataSource, idDoParametro(req.params.id), contextoGestor(req)));
  });

  router.post('/revisoes/:id/resolver', async (req, res) => {
    const id = idDoParametro(req.params.id);
    const dados = await validarCorpo(ResolverRevisaoDto, req.body);
    const plano = JSON.parse(JSON.stringify(dados)) as { resolucao: (typeof RESOLUCOES)[number]; justificativa: string; evidencia?: Record<string, unknown> };
    const r = await resolverRevisao({ dataSource, fila, logger }, id, plano, { ...contextoGestor(req), orgao: atorGestor(req).orgao });
    for (const conta of await contasDoPedidoDecidido(dataSource, id)) await avisos.avisar(conta, 'pedido', `revisao-${id}`, req.log ?? logger);
    res.json(r);
  });

  return router;
}
