import type { DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { gravadorDeLeituras } from '../auditoria/gravador-leituras.js';
import { consultaPreparada } from '../db/consulta-preparada.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import { ValorCampo } from '../entrada-unica/valor-campo.entity.js';
import type { Entidade } from '../pmcc/politicas.js';
import { pessoaParaJson, type CriarPessoaDto, type PessoaJson } from './pessoa.dto.js';
import { Pessoa } from './pessoa.entity.js';

/** Every column a full read returns (for the audit row). */
const COLUNAS_PESSOA = [
  'cpf', 'nome', 'nome_social', 'genero', 'data_nascimento', 'local_nascimento', 'rg', 'titulo_eleitor', 'cpf_mae', 'nome_mae', 'cpf_pai', 'nome_pai',
  'estado_civil', 'obito', 'obito_registro', 'emails', 'telefones', 'enderecos', 'relacoes_familiares', 'biometria', 'certificado_icp', 'vinculo_govbr', 'situacao',
] as const;

/**
 * Creates a master record through Entrada Única as a steward (kept for the demo seed and older callers).
 * 409 when the CPF already exists.
 */
export async function criarPessoa(dataSource: DataSource, dados: CriarPessoaDto, ctx: ContextoAuditoria): Promise<Pessoa> {
  const r = await entradaUnica(
    { dataSource, logger: console },
    { entidade: 'pessoa', tipo: 'criar', corpo: { ...dados }, ator: { tipo: 'gestor', username: ctx.ator, orgao: 'cadastro' }, contexto: ctx },
  );
  return dataSource.getRepository(Pessoa).findOneByOrFail({ cpf: r.chave });
}

/**
 * Reads a master record; the read is audited (also when nothing is found: a lookup reveals existence).
 * The hottest path of the API (see bench/pessoa-get.ts): a plain SELECT (a prepared statement, db/consulta-preparada.ts),
 * then the audit row through the read-audit group commit (`auditoria/gravador-leituras.ts`); the record is returned only once its audit row has committed.
 */
export async function lerPessoa(dataSource: DataSource, cpf: string, ctx: ContextoAuditoria): Promise<Pessoa | null> {
  const linhas = await consultaPreparada(dataSource, 'lum-ler-pessoa', sqlLerPessoa(dataSource), [cpf]);
  const encontrada = linhas.length > 0;
  await gravadorDeLeituras(dataSource).registrar({
    ...ctx, acao: 'pessoa.lida', pessoaCpf: cpf, campos: encontrada ? [...COLUNAS_PESSOA] : [], detalhe: { encontrada },
  });
  return encontrada ? hidratar(dataSource, Pessoa, linhas[0]) : null;
}

const sqlPorDataSource = new WeakMap<DataSource, string>();
/** The person read's text, every column of the entity named (a prepared statement's result shape is fixed). */
function sqlLerPessoa(dataSource: DataSource): string {
  let sql = sqlPorDataSource.get(dataSource);
  if (!sql) {
    const colunas = dataSource.getMetadata(Pessoa).columns.map((c) => `"${c.databaseName}"`).join(', ');
    sqlPorDataSource.set(dataSource, (sql = `SELECT ${colunas} FROM pessoa WHERE cpf = $1`));
  }
  return sql;
}

/** A raw row (column names) → entity, with TypeORM's own per-column conversions. */
function hidratar<T extends object>(dataSource: DataSource, alvo: new () => T, linha: Record<string, unknown>): T {
  const meta = dataSource.getMetadata(alvo);
  const entidade = meta.create() as T;
  for (const coluna of meta.columns) {
    coluna.setEntityValue(entidade, dataSource.driver.prepareHydratedValue(linha[coluna.databaseName], coluna));
  }
  return entidade;
}

export interface FiltroBusca {
  cpf?: string;
  nome?: string;
  dataNascimento?: string;
  nomeMae?: string;
  limit: number;
  offset: number;
}

export interface PaginaPessoas {
  itens: PessoaJson[];
  limit: number;
  offset: number;
  /** Offset of the next page, or null on the last one. */
  proximoOffset: number | null;
}

const escaparLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Search by CPF, by name (prefix) + birth date, or by mother's name (prefix), case- and accent-insensitive through
 * the generated `*_busca` columns (`lum_chave_busca`, indexed). Audited with the criteria and the CPFs returned.
 */
export async function buscarPessoas(dataSource: DataSource, f: FiltroBusca, ctx: ContextoAuditoria): Promise<PaginaPessoas> {
  return dataSource.transaction(async (manager) => {
    const qb = manager.createQueryBuilder(Pessoa, 'p');
    if (f.cpf) qb.andWhere('p.cpf = :cpf', { cpf: f.cpf });
    if (f.nome) qb.andWhere(`p.nome_busca LIKE lum_chave_busca(:nome) || '%'`, { nome: escaparLike(f.nome) });
    if (f.dataNascimento) qb.andWhere('p.data_nascimento = :dn', { dn: f.dataNascimento });
    if (f.nomeMae) qb.andWhere(`p.nome_mae_busca LIKE lum_chave_busca(:mae) || '%'`, { mae: escaparLike(f.nomeMae) });
    const linhas = await qb.orderBy('p.nome_busca', 'ASC').addOrderBy('p.cpf', 'ASC').limit(f.limit + 1).offset(f.offset).getMany();
    const itens = linhas.slice(0, f.limit);
    await registrarAuditoria(manager, {
      ...ctx,
      acao: 'pessoa.buscada',
      campos: itens.length > 0 ? [...COLUNAS_PESSOA] : [],
      detalhe: { criterios: Object.keys(f).filter((k) => k !== 'limit' && k !== 'offset' && f[k as keyof FiltroBusca] !== undefined), resultados: itens.map((p) => p.cpf), limit: f.limit, offset: f.offset },
    });
    return { itens: itens.map(pessoaParaJson), limit: f.limit, offset: f.offset, proximoOffset: linhas.length > f.limit ? f.offset + f.limit : null };
  });
}

export interface ValorCampoJson {
  id: string;
  valor: unknown;
  estado: string;
  operacao: string;
  fonte: string;
  chaveFonte: string | null;
  evidencia: object | null;
  ator: string;
  tipoAtor: string;
  observadoEm: string;
  registradoEm: string;
  versaoRegistro: number;
  decisao: object;
}

function valorCampoParaJson(v: ValorCampo): ValorCampoJson {
  return {
    id: String(v.id),
    valor: v.valor,
    estado: v.estado,
    operacao: v.operacao,
    fonte: v.fonte,
    chaveFonte: v.chaveFonte,
    evidencia: v.evidencia,
    ator: v.ator,
    tipoAtor: v.tipoAtor,
    observadoEm: v.observadoEm.toISOString(),
    registradoEm: v.registradoEm.toISOString(),
    versaoRegistro: v.versaoRegistro,
    decisao: v.decisao,
  };
}

/** Every value a field has had or been offered, oldest first, with provenance. Audited. */
export async function historicoCampo(dataSource: DataSource, entidade: Entidade, chave: string, campo: string, coluna: string, ctx: ContextoAuditoria): Promise<ValorCampoJson[] | null> {
  return dataSource.transaction(async (manager) => {
    const existe = await manager.query<unknown[]>(entidade === 'pessoa' ? `SELECT 1 FROM pessoa WHERE cpf = $1` : `SELECT 1 FROM pessoa_juridica WHERE cnpj = $1`, [chave]);
    const linhas = existe.length > 0 ? await manager.find(ValorCampo, { where: { entidade, chave, campo }, order: { id: 'ASC' } }) : [];
    await registrarAuditoria(manager, {
      ...ctx,
      acao: entidade === 'pessoa' ? 'pessoa.historico-lido' : 'pessoa-juridica.historico-lido',
      pessoaCpf: entidade === 'pessoa' ? chave : null,
      campos: [coluna],
      detalhe: { encontrada: existe.length > 0, ...(entidade === 'pessoa_juridica' ? { cnpj: chave } : {}) },
    });
    return existe.length > 0 ? linhas.map(valorCampoParaJson) : null;
  });
}
