/**
 * The stewards' side of record linkage: read a golden id (`identidade`) with every source row assigned to it and the
 * evidence of each assignment (`vinculo`, `pontuacao`, `comparacoes`), merge two golden ids, split rows out of one,
 * and resolve the grey-band review items (`revisao_vinculo`). Each decision is written to `decisao_gestor_vinculo`
 * and the rows it moved get `vinculo = 'gestor'`: later loads never move them again, so a load cannot undo a
 * steward's decision. Every read and write is audited in the same transaction.
 *
 * What a merge does NOT do: join two identities that both have a CPF (two master records: that is a CPF correction,
 * another procedure), or let a golden id WITH a CPF disappear into one without (the CPF identity must survive: merge
 * in the other direction). What a split does not undo: values a split row already contributed to the master record
 * (`pessoa`, `valor_campo`) stay; a steward corrects them through the review queue or a PATCH with evidence.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../../auditoria/auditoria.service.js';
import { Conflito } from '../../errors/conflito.error.js';
import { NaoEncontrado } from '../../errors/nao-encontrado.error.js';
import { relogio } from '../../relogio.js';
import { TRAVA_CARGA } from '../fases.js';

/**
 * A steward's merge, split or review decision moves rows between golden ids: never while a batch load runs (its phases
 * read and assign those rows), so it takes the load's lock shared for its transaction, or answers 409 at once.
 */
async function exigirSemCargaEmCurso(m: EntityManager): Promise<void> {
  const [{ livre }] = await m.query<{ livre: boolean }[]>(`SELECT pg_try_advisory_xact_lock_shared($1) AS livre`, [TRAVA_CARGA]);
  if (!livre) throw new Conflito('Uma carga em lote está em andamento: junções, separações e decisões de vínculo ficam para quando ela terminar');
}

export const SITUACOES_IDENTIDADE = ['ativa', 'pendente', 'fundida'] as const;
export const VINCULOS = ['cpf', 'probabilistico', 'revisao', 'novo', 'quarentena', 'gestor'] as const;
export const TIPOS_DECISAO = ['mesma-pessoa', 'pessoas-diferentes'] as const;
export const SITUACOES_REVISAO_VINCULO = ['aberta', 'resolvida'] as const;
type TipoDecisao = (typeof TIPOS_DECISAO)[number];

/** Most rows shown per identity (a golden id has a handful; a shared fake CPF would be quarantined). */
const MAXIMO_LINHAS = 500;
/** Fields of the rows a steward reads (for the audit row). */
const CAMPOS_LINHA = ['cpf', 'nome', 'nomeSocial', 'nomeMae', 'nomePai', 'dataNascimento', 'dataObito', 'sexo', 'obito', 'municipio', 'uf', 'problemas'];

/** One source row as a steward reads it: who it is, where it came from, and why it is linked where it is. */
export interface LinhaVinculoJson {
  fonte: string;
  chave: string;
  cargaId: string;
  triagem: 'base-unica' | 'sem-cpf' | 'cpf-invalido';
  motivo: string | null;
  cpf: string | null;
  cpfDeOutraPessoa: boolean;
  nome: string | null;
  nomeSocial: string | null;
  nomeMae: string | null;
  nomePai: string | null;
  dataNascimento: string | null;
  dataObito: string | null;
  sexo: 'M' | 'F' | null;
  obito: boolean | null;
  municipio: string | null;
  uf: string | null;
  identidadeId: string | null;
  vinculo: (typeof VINCULOS)[number] | null;
  pontuacao: number | null;
  /** The comparison behind the decision (levels and weights per field), as the linkage stored it. */
  comparacoes: unknown;
  /**
   * What the load noted about the row, as it stored it (`linha_carga.problemas`): a value it could not use (`data-invalida`…),
   * a row the merge refused (`linha-recusada`), a CPF handed back to its owner (`cpf-do-responsavel`) — empty when none.
   */
  problemas: ProblemaLinhaJson[];
}

/** One note of the load about a row: the field, a code, the value (or message) behind it. */
interface ProblemaLinhaJson {
  campo: string;
  codigo: string;
  valor: string | null;
}

interface DecisaoVinculoJson {
  id: string;
  tipo: TipoDecisao;
  identidadeA: string;
  identidadeB: string;
  linhas: { fonte: string; chave: string }[];
  gestor: string;
  justificativa: string;
  criadaEm: string;
}

export interface IdentidadeJson {
  id: string;
  cpf: string | null;
  situacao: (typeof SITUACOES_IDENTIDADE)[number];
  /** The identity this one was merged into. */
  fundidaEm: string | null;
  /** Identities merged into this one. */
  fundidas: string[];
  /** The load that created it (null: created by a steward's split). */
  cargaId: string | null;
  criadaEm: string;
  totalLinhas: number;
  /** At most 500, by source and key. */
  linhas: LinhaVinculoJson[];
  decisoes: DecisaoVinculoJson[];
}

const COLUNAS_LINHA = `l.fonte, l.chave_fonte, l.carga_id::text AS carga_id, l.triagem, l.motivo, l.cpf, l.cpf_de_outra_pessoa, l.nome, l.nome_social,
  l.nome_mae, l.nome_pai, to_char(l.data_nascimento, 'YYYY-MM-DD') AS data_nascimento, to_char(l.data_obito, 'YYYY-MM-DD') AS data_obito,
  l.sexo, l.obito, l.municipio, l.uf, l.identidade_id::text AS identidade_id, l.vinculo, l.pontuacao, l.comparacoes, l.problemas`;

interface LinhaBruta {
  fonte: string;
  chave_fonte: string;
  carga_id: string;
  triagem: LinhaVinculoJson['triagem'];
  motivo: string | null;
  cpf: string | null;
  cpf_de_outra_pessoa: boolean;
  nome: string | null;
  nome_social: string | null;
  nome_mae: string | null;
  nome_pai: string | null;
  data_nascimento: string | null;
  data_obito: string | null;
  sexo: 'M' | 'F' | null;
  obito: boolean | null;
  municipio: string | null;
  uf: string | null;
  identidade_id: string | null;
  vinculo: LinhaVinculoJson['vinculo'];
  pontuacao: number | null;
  comparacoes: unknown;
  problemas: ProblemaLinhaJson[] | null;
}

function linhaParaJson(l: LinhaBruta): LinhaVinculoJson {
  return {
    fonte: l.fonte, chave: l.chave_fonte, cargaId: l.carga_id, triagem: l.triagem, motivo: l.motivo, cpf: l.cpf, cpfDeOutraPessoa: l.cpf_de_outra_pessoa,
    nome: l.nome, nomeSocial: l.nome_social, nomeMae: l.nome_mae, nomePai: l.nome_pai, dataNascimento: l.data_nascimento, dataObito: l.data_obito,
    sexo: l.sexo, obito: l.obito, municipio: l.municipio, uf: l.uf, identidadeId: l.identidade_id, vinculo: l.vinculo,
    pontuacao: l.pontuacao === null ? null : Number(l.pontuacao), comparacoes: l.comparacoes ?? null,
    problemas: (l.problemas ?? []).map((p) => ({ campo: p.campo, codigo: p.codigo, valor: p.valor === null || p.valor === undefined ? null : String(p.valor) })),
  };
}

interface IdentidadeBruta {
  id: string;
  cpf: string | null;
  situacao: IdentidadeJson['situacao'];
  fundida_em: string | null;
  carga_id: string | null;
  criada_em: Date;
}

const COLUNAS_IDENTIDADE = `id::text AS id, cpf, situacao, fundida_em::text AS fundida_em, carga_id::text AS carga_id, criada_em`;

async function travarIdentidades(m: EntityManager, ids: readonly string[]): Promise<Map<string, IdentidadeBruta>> {
  // Always in id order: two stewards merging the same pair in opposite directions cannot deadlock.
  const linhas = await m.query<IdentidadeBruta[]>(`SELECT ${COLUNAS_IDENTIDADE} FROM identidade WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [[...ids]]);
  return new Map(linhas.map((l) => [l.id, l]));
}

function exigir(mapa: Map<string, IdentidadeBruta>, id: string, papel = 'Identidade'): IdentidadeBruta {
  const i = mapa.get(id);
  if (!i) throw new NaoEncontrado(`${papel} ${id} não encontrada`);
  return i;
}

function naoFundida(i: IdentidadeBruta): void {
  if (i.situacao === 'fundida') throw new Conflito(`A identidade ${i.id} já foi fundida na identidade ${i.fundida_em}: use a identidade ${i.fundida_em}`);
}

async function contarLinhas(m: EntityManager, identidade: string): Promise<number> {
  const [{ total }] = await m.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM linha_carga WHERE identidade_id = $1`, [identidade]);
  return total;
}

async function montarIdentidade(m: EntityManager, i: IdentidadeBruta): Promise<IdentidadeJson> {
  // One connection (the transaction's): the queries run one after the other.
  const linhas = await m.query<LinhaBruta[]>(`SELECT ${COLUNAS_LINHA} FROM linha_carga l WHERE l.identidade_id = $1 ORDER BY l.fonte, l.chave_fonte LIMIT ${MAXIMO_LINHAS}`, [i.id]);
  const total = await contarLinhas(m, i.id);
  const fundidas = await m.query<{ id: string }[]>(`SELECT id::text AS id FROM identidade WHERE fundida_em = $1 ORDER BY id`, [i.id]);
  const decisoes = await m.query<{ id: string; tipo: TipoDecisao; identidade_a: string; identidade_b: string; linhas: { fonte: string; chave: string }[]; gestor: string; justificativa: string; criada_em: Date }[]>(
    `SELECT id::text AS id, tipo, identidade_a::text AS identidade_a, identidade_b::text AS identidade_b, linhas, gestor, justificativa, criada_em
       FROM decisao_gestor_vinculo WHERE identidade_a = $1 OR identidade_b = $1 ORDER BY id`, [i.id]);
  return {
    id: i.id, cpf: i.cpf, situacao: i.situacao, fundidaEm: i.fundida_em, fundidas: fundidas.map((f) => f.id), cargaId: i.carga_id,
    criadaEm: i.criada_em.toISOString(), totalLinhas: total, linhas: linhas.map(linhaParaJson),
    decisoes: decisoes.map((d) => ({
      id: d.id, tipo: d.tipo, identidadeA: d.identidade_a, identidadeB: d.identidade_b, linhas: d.linhas, gestor: d.gestor, justificativa: d.justificativa,
      criadaEm: d.criada_em.toISOString(),
    })),
  };
}

async function lerIdentidadeBruta(m: EntityManager, id: string): Promise<IdentidadeBruta> {
  const [i] = await m.query<IdentidadeBruta[]>(`SELECT ${COLUNAS_IDENTIDADE} FROM identidade WHERE id = $1`, [id]);
  if (!i) throw new NaoEncontrado(`Identidade ${id} não encontrada`);
  return i;
}

export async function lerIdentidade(ds: DataSource, id: string, ctx: ContextoAuditoria): Promise<IdentidadeJson> {
  return ds.transaction(async (m) => {
    const j = await montarIdentidade(m, await lerIdentidadeBruta(m, id));
    await registrarAuditoria(m, { ...ctx, acao: 'identidade.lida', pessoaCpf: j.cpf, campos: CAMPOS_LINHA, detalhe: { identidade: id, linhas: j.linhas.length } });
    return j;
  });
}

interface Decisao {
  tipo: TipoDecisao;
  a: string;
  b: string;
  linhas: { fonte: string; chave: string }[];
  gestor: string;
  justificativa: string;
}

async function registrarDecisao(m: EntityManager, d: Decisao): Promise<string> {
  const [{ id }] = await m.query<{ id: string }[]>(
    `INSERT INTO decisao_gestor_vinculo (tipo, identidade_a, identidade_b, linhas, gestor, justificativa, criada_em)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) RETURNING id::text AS id`,
    [d.tipo, d.a, d.b, JSON.stringify(d.linhas), d.gestor, d.justificativa, relogio().agora()],
  );
  return id;
}

/**
 * `absorvida` becomes `fundida` into `sobrevivente` (both locked by the caller): its rows move with
 * `vinculo = 'gestor'`, identities already merged into it now point at the survivor, open review items naming it as
 * candidate name the survivor; staging rows of a load in progress follow too.
 */
async function aplicarFusao(m: EntityManager, sobrevivente: IdentidadeBruta, absorvida: IdentidadeBruta, gestor: string, justificativa: string): Promise<{ decisao: string; linhas: number }> {
  if (sobrevivente.cpf !== null && absorvida.cpf !== null) {
    throw new Conflito(`As identidades ${sobrevivente.id} e ${absorvida.id} têm CPF (${sobrevivente.cpf} e ${absorvida.cpf}): juntar dois CPFs é uma correção de CPF, outro procedimento, fora da fusão`);
  }
  if (sobrevivente.cpf === null && absorvida.cpf !== null) {
    throw new Conflito(`A identidade ${absorvida.id} tem CPF e a ${sobrevivente.id} não: a identidade com CPF é a que permanece; funda na direção oposta (POST /identidades/${absorvida.id}/fundir com ${sobrevivente.id})`);
  }
  const movidas = await m.query<{ fonte: string; chave: string }[]>(
    // (An UPDATE … RETURNING inside a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with the rows.)
    `WITH movidas AS (UPDATE linha_carga SET identidade_id = $1, vinculo = 'gestor' WHERE identidade_id = $2 RETURNING fonte, chave_fonte)
     SELECT fonte, chave_fonte AS chave FROM movidas`, [sobrevivente.id, absorvida.id]);
  await m.query(`UPDATE carga_staging SET identidade_id = $1 WHERE identidade_id = $2`, [sobrevivente.id, absorvida.id]);
  await m.query(`UPDATE identidade SET fundida_em = $1 WHERE fundida_em = $2`, [sobrevivente.id, absorvida.id]);
  await m.query(`UPDATE identidade SET situacao = 'fundida', fundida_em = $1 WHERE id = $2`, [sobrevivente.id, absorvida.id]);
  await m.query(`UPDATE revisao_vinculo SET identidade_candidata = $1 WHERE identidade_candidata = $2 AND situacao = 'aberta'`, [sobrevivente.id, absorvida.id]);
  movidas.sort((x, y) => (x.fonte === y.fonte ? x.chave.localeCompare(y.chave) : x.fonte.localeCompare(y.fonte)));
  const decisao = await registrarDecisao(m, { tipo: 'mesma-pessoa', a: sobrevivente.id, b: absorvida.id, linhas: movidas, gestor, justificativa });
  return { decisao, linhas: movidas.length };
}

/** `POST /identidades/:id/fundir`: `com` is merged into `id`. */
export async function fundirIdentidades(ds: DataSource, id: string, dados: { com: string; justificativa: string }, ctx: ContextoAuditoria & { username: string }): Promise<IdentidadeJson> {
  if (dados.com === id) throw new Conflito('Uma identidade não pode ser fundida nela mesma');
  return ds.transaction(async (m) => {
    await exigirSemCargaEmCurso(m);
    const travadas = await travarIdentidades(m, [id, dados.com]);
    const esta = exigir(travadas, id);
    const outra = exigir(travadas, dados.com, 'Identidade (com)');
    naoFundida(esta);
    naoFundida(outra);
    const r = await aplicarFusao(m, esta, outra, ctx.username, dados.justificativa);
    const j = await montarIdentidade(m, await lerIdentidadeBruta(m, id));
    await registrarAuditoria(m, { ...ctx, acao: 'identidade.fundida', pessoaCpf: esta.cpf, campos: CAMPOS_LINHA, detalhe: { identidade: id, fundida: dados.com, decisao: r.decisao, linhasMovidas: r.linhas } });
    return j;
  });
}

export interface SeparacaoJson {
  origem: IdentidadeJson;
  nova: IdentidadeJson;
}

const chaveDaLinha = (l: { fonte: string; chave: string }) => `${l.fonte}\u0000${l.chave}`;

async function aplicarSeparacao(m: EntityManager, origem: IdentidadeBruta, linhas: readonly { fonte: string; chave: string }[], gestor: string, justificativa: string): Promise<{ nova: string; decisao: string }> {
  const pedidas = [...new Map(linhas.map((l) => [chaveDaLinha(l), l])).values()];
  const encontradas = await m.query<{ fonte: string; chave: string }[]>(
    `SELECT l.fonte, l.chave_fonte AS chave FROM linha_carga l
       JOIN unnest($2::text[], $3::text[]) AS p(fonte, chave) ON p.fonte = l.fonte AND p.chave = l.chave_fonte
      WHERE l.identidade_id = $1 FOR UPDATE OF l`,
    [origem.id, pedidas.map((l) => l.fonte), pedidas.map((l) => l.chave)],
  );
  const achadas = new Set(encontradas.map(chaveDaLinha));
  const faltam = pedidas.filter((l) => !achadas.has(chaveDaLinha(l)));
  if (faltam.length > 0) {
    throw new Conflito(`Linha(s) que não pertencem à identidade ${origem.id}: ${faltam.slice(0, 10).map((l) => `${l.fonte}/${l.chave}`).join(', ')}${faltam.length > 10 ? ` e mais ${faltam.length - 10}` : ''}`);
  }
  if ((await contarLinhas(m, origem.id)) === pedidas.length) throw new Conflito(`Separar todas as linhas da identidade ${origem.id} não separa ninguém: deixe nela ao menos uma linha`);
  const [{ id: nova }] = await m.query<{ id: string }[]>(`INSERT INTO identidade (situacao, criada_em) VALUES ('pendente', $1) RETURNING id::text AS id`, [relogio().agora()]);
  // A row that carries the origin's CPF but is another person: that CPF is not theirs.
  await m.query(
    `UPDATE linha_carga l SET identidade_id = $2, vinculo = 'gestor', cpf_de_outra_pessoa = l.cpf_de_outra_pessoa OR (l.cpf IS NOT NULL AND l.cpf = $3)
       FROM unnest($4::text[], $5::text[]) AS p(fonte, chave)
      WHERE l.identidade_id = $1 AND l.fonte = p.fonte AND l.chave_fonte = p.chave`,
    [origem.id, nova, origem.cpf, pedidas.map((l) => l.fonte), pedidas.map((l) => l.chave)],
  );
  pedidas.sort((x, y) => (x.fonte === y.fonte ? x.chave.localeCompare(y.chave) : x.fonte.localeCompare(y.fonte)));
  const decisao = await registrarDecisao(m, { tipo: 'pessoas-diferentes', a: origem.id, b: nova, linhas: pedidas.map((l) => ({ fonte: l.fonte, chave: l.chave })), gestor, justificativa });
  return { nova, decisao };
}

/** `POST /identidades/:id/separar`: the rows move to a new (pendente) identity. */
export async function separarIdentidade(
  ds: DataSource,
  id: string,
  dados: { linhas: { fonte: string; chave: string }[]; justificativa: string },
  ctx: ContextoAuditoria & { username: string },
): Promise<SeparacaoJson> {
  return ds.transaction(async (m) => {
    await exigirSemCargaEmCurso(m);
    const origem = exigir(await travarIdentidades(m, [id]), id);
    naoFundida(origem);
    const r = await aplicarSeparacao(m, origem, dados.linhas, ctx.username, dados.justificativa);
    const resultado = {
      origem: await montarIdentidade(m, await lerIdentidadeBruta(m, id)),
      nova: await montarIdentidade(m, await lerIdentidadeBruta(m, r.nova)),
    };
    await registrarAuditoria(m, { ...ctx, acao: 'identidade.separada', pessoaCpf: origem.cpf, campos: CAMPOS_LINHA, detalhe: { identidade: id, nova: r.nova, decisao: r.decisao, linhas: dados.linhas.length } });
    return resultado;
  });
}

// ---------- linkage review ----------

export interface RevisaoVinculoJson {
  id: string;
  situacao: (typeof SITUACOES_REVISAO_VINCULO)[number];
  cargaId: string;
  pontuacao: number;
  /** The comparison of the row with its best candidate (levels and weights per field). */
  comparacoes: unknown;
  /** The row in review; null while its load has not finished (then it is still in staging). */
  linha: LinhaVinculoJson | null;
  /** The candidate golden id, with up to 10 of its rows to compare with. */
  candidata: { id: string; cpf: string | null; situacao: IdentidadeJson['situacao']; fundidaEm: string | null; totalLinhas: number; linhas: LinhaVinculoJson[] } | null;
  resolucao: TipoDecisao | null;
  responsavel: string | null;
  justificativa: string | null;
  criadaEm: string;
  resolvidaEm: string | null;
}

interface RevisaoBruta {
  id: string;
  fonte: string;
  chave_fonte: string;
  carga_id: string;
  identidade_candidata: string | null;
  pontuacao: number;
  comparacoes: unknown;
  situacao: RevisaoVinculoJson['situacao'];
  resolucao: TipoDecisao | null;
  responsavel: string | null;
  justificativa: string | null;
  criada_em: Date;
  resolvida_em: Date | null;
}

const COLUNAS_REVISAO = `id::text AS id, fonte, chave_fonte, carga_id::text AS carga_id, identidade_candidata::text AS identidade_candidata, pontuacao,
  comparacoes, situacao, resolucao, responsavel, justificativa, criada_em, resolvida_em`;

async function montarRevisao(m: EntityManager, r: RevisaoBruta): Promise<RevisaoVinculoJson> {
  const [linha] = await m.query<LinhaBruta[]>(`SELECT ${COLUNAS_LINHA} FROM linha_carga l WHERE l.fonte = $1 AND l.chave_fonte = $2`, [r.fonte, r.chave_fonte]);
  const [candidata] = r.identidade_candidata === null ? [] : await m.query<IdentidadeBruta[]>(`SELECT ${COLUNAS_IDENTIDADE} FROM identidade WHERE id = $1`, [r.identidade_candidata]);
  let cand: RevisaoVinculoJson['candidata'] = null;
  if (candidata) {
    const linhas = await m.query<LinhaBruta[]>(`SELECT ${COLUNAS_LINHA} FROM linha_carga l WHERE l.identidade_id = $1 ORDER BY l.fonte, l.chave_fonte LIMIT 10`, [candidata.id]);
    cand = { id: candidata.id, cpf: candidata.cpf, situacao: candidata.situacao, fundidaEm: candidata.fundida_em, totalLinhas: await contarLinhas(m, candidata.id), linhas: linhas.map(linhaParaJson) };
  }
  return {
    id: r.id, situacao: r.situacao, cargaId: r.carga_id, pontuacao: Number(r.pontuacao), comparacoes: r.comparacoes, linha: linha ? linhaParaJson(linha) : null,
    candidata: cand, resolucao: r.resolucao, responsavel: r.responsavel, justificativa: r.justificativa, criadaEm: r.criada_em.toISOString(),
    resolvidaEm: r.resolvida_em?.toISOString() ?? null,
  };
}

export interface PaginaRevisoesVinculo {
  itens: RevisaoVinculoJson[];
  limit: number;
  offset: number;
  proximoOffset: number | null;
}

export async function listarRevisoesVinculo(
  ds: DataSource,
  f: { situacao: RevisaoVinculoJson['situacao']; limit: number; offset: number },
  ctx: ContextoAuditoria,
): Promise<PaginaRevisoesVinculo> {
  return ds.transaction(async (m) => {
    const brutas = await m.query<RevisaoBruta[]>(`SELECT ${COLUNAS_REVISAO} FROM revisao_vinculo WHERE situacao = $1 ORDER BY id LIMIT $2 OFFSET $3`, [f.situacao, f.limit + 1, f.offset]);
    const itens: RevisaoVinculoJson[] = [];
    for (const r of brutas.slice(0, f.limit)) itens.push(await montarRevisao(m, r));
    await registrarAuditoria(m, { ...ctx, acao: 'revisao-vinculo.listada', campos: CAMPOS_LINHA, detalhe: { situacao: f.situacao, revisoes: itens.map((i) => i.id) } });
    return { itens, limit: f.limit, offset: f.offset, proximoOffset: brutas.length > f.limit ? f.offset + f.limit : null };
  });
}

/**
 * Resolves a grey-band item. `mesma-pessoa`: the row's identity and the candidate are merged (the one with a CPF,
 * else the candidate, survives). `pessoas-diferentes`: the row stays where it is, pinned (`vinculo = 'gestor'`), and
 * the decision names both identities so no later load links them; if the row already sits in the candidate (a
 * steward merged them meanwhile), it is split out into a new identity.
 */
export async function resolverRevisaoVinculo(
  ds: DataSource,
  id: string,
  dados: { resolucao: TipoDecisao; justificativa: string },
  ctx: ContextoAuditoria & { username: string },
): Promise<RevisaoVinculoJson> {
  return ds.transaction(async (m) => {
    await exigirSemCargaEmCurso(m);
    const [r] = await m.query<RevisaoBruta[]>(`SELECT ${COLUNAS_REVISAO} FROM revisao_vinculo WHERE id = $1 FOR UPDATE`, [id]);
    if (!r) throw new NaoEncontrado(`Item de revisão de vínculo ${id} não encontrado`);
    if (r.situacao === 'resolvida') throw new Conflito(`Este item de revisão de vínculo já foi resolvido (${r.resolucao ?? ''}, por ${r.responsavel ?? ''})`);
    const [linha] = await m.query<{ identidade_id: string | null }[]>(`SELECT identidade_id::text AS identidade_id FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [r.fonte, r.chave_fonte]);
    if (!linha) throw new Conflito(`A carga ${r.carga_id} desta linha ainda não terminou: resolva o item quando a carga estiver concluída`);
    if (linha.identidade_id === null) throw new Conflito(`A linha ${r.fonte}/${r.chave_fonte} está em quarentena (sem identidade): não há o que vincular`);
    if (r.identidade_candidata === null) throw new Conflito('Este item não tem identidade candidata');

    // Follow merges: the candidate may have been merged into another identity since the item was opened.
    const [{ final }] = await m.query<{ final: string }[]>(
      `WITH RECURSIVE c(id, fundida_em) AS (SELECT id, fundida_em FROM identidade WHERE id = $1
         UNION ALL SELECT i.id, i.fundida_em FROM identidade i JOIN c ON i.id = c.fundida_em)
       SELECT id::text AS final FROM c WHERE fundida_em IS NULL`, [r.identidade_candidata]);
    const travadas = await travarIdentidades(m, [linha.identidade_id, final]);
    const daLinha = exigir(travadas, linha.identidade_id);
    const candidata = exigir(travadas, final, 'Identidade candidata');
    naoFundida(daLinha);
    let detalhe: Record<string, unknown>;
    const ref = [{ fonte: r.fonte, chave: r.chave_fonte }];
    if (dados.resolucao === 'mesma-pessoa') {
      if (daLinha.id === candidata.id) detalhe = { jaNaMesmaIdentidade: daLinha.id };
      else {
        const [sobrevivente, absorvida] = daLinha.cpf !== null && candidata.cpf === null ? [daLinha, candidata] : [candidata, daLinha];
        detalhe = { sobrevivente: sobrevivente.id, fundida: absorvida.id, ...(await aplicarFusao(m, sobrevivente, absorvida, ctx.username, dados.justificativa)) };
      }
    } else if (daLinha.id === candidata.id) {
      detalhe = { separadaDe: daLinha.id, ...(await aplicarSeparacao(m, daLinha, ref, ctx.username, dados.justificativa)) };
    } else {
      await m.query(`UPDATE linha_carga SET vinculo = 'gestor' WHERE fonte = $1 AND chave_fonte = $2`, [r.fonte, r.chave_fonte]);
      detalhe = { decisao: await registrarDecisao(m, { tipo: 'pessoas-diferentes', a: candidata.id, b: daLinha.id, linhas: ref, gestor: ctx.username, justificativa: dados.justificativa }) };
    }
    await m.query(
      `UPDATE revisao_vinculo SET situacao = 'resolvida', resolucao = $2, responsavel = $3, justificativa = $4, resolvida_em = $5 WHERE id = $1`,
      [id, dados.resolucao, ctx.username, dados.justificativa, relogio().agora()],
    );
    await registrarAuditoria(m, { ...ctx, acao: 'revisao-vinculo.resolvida', pessoaCpf: candidata.cpf ?? daLinha.cpf, campos: CAMPOS_LINHA, detalhe: { revisao: id, resolucao: dados.resolucao, ...detalhe } });
    const [atual] = await m.query<RevisaoBruta[]>(`SELECT ${COLUNAS_REVISAO} FROM revisao_vinculo WHERE id = $1`, [id]);
    return montarRevisao(m, atual);
  });
}
