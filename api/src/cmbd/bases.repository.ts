/**
 * SQL for the catalogue entries and their version history (plain SQL through the caller's EntityManager, so every
 * statement runs inside the caller's transaction).
 */
import type { EntityManager } from 'typeorm';
import type { BaseDados } from './base.dominio.js';

export interface BaseRegistro extends BaseDados {
  id: string;
  orgao: string;
  transferidaPara: string | null;
  transferidaDe: string | null;
  revisadaNaCampanha: string | null;
  versao: number;
  criadoEm: string;
  atualizadoEm: string;
}

/** camelCase field → column. */
const COLUNAS: Record<keyof BaseDados, string> = {
  sigla: 'sigla', secaoResponsavel: 'secao_responsavel', codigoProdam: 'codigo_prodam', titulo: 'titulo',
  categoriaTematica: 'categoria_tematica', palavrasChave: 'palavras_chave', resumo: 'resumo', historico: 'historico',
  serieHistorica: 'serie_historica', periodicidade: 'periodicidade', procedencia: 'procedencia',
  extensaoGeografica: 'extensao_geografica', nivelDesagregacao: 'nivel_desagregacao', situacao: 'situacao',
  inativaDesde: 'inativa_desde', sigilo: 'sigilo', sigiloBaseLegal: 'sigilo_base_legal',
  formasDisponibilizacao: 'formas_disponibilizacao', enderecoAcesso: 'endereco_acesso', tipoArmazenamento: 'tipo_armazenamento',
  sgbd: 'sgbd', formato: 'formato', extensaoArquivo: 'extensao_arquivo', ambienteProducao: 'ambiente_producao',
  tiposRepresentacao: 'tipos_representacao', escala: 'escala', sistemaReferencia: 'sistema_referencia',
  baseCartografica: 'base_cartografica', possuiDadosPessoais: 'possui_dados_pessoais', fonteCarga: 'fonte_carga',
  situacaoMigracao: 'situacao_migracao', cronogramaMigracao: 'cronograma_migracao',
};
export const CAMPOS_DADOS = Object.keys(COLUNAS) as (keyof BaseDados)[];
const DATAS = new Set<string>(['inativaDesde', 'cronogramaMigracao']);

const SELECT = `
  SELECT b.id, o.nome AS orgao,
         ${CAMPOS_DADOS.map((c) => (DATAS.has(c) ? `to_char(b.${COLUNAS[c]}, 'YYYY-MM-DD') AS "${c}"` : `b.${COLUNAS[c]} AS "${c}"`)).join(', ')},
         b.transferida_para AS "transferidaPara", b.transferida_de AS "transferidaDe",
         b.revisada_na_campanha AS "revisadaNaCampanha", b.versao, b.criado_em AS "criadoEm", b.atualizado_em AS "atualizadoEm"
    FROM cmbd_base b JOIN cmbd_orgao o ON o.sigla = b.sigla`;

type Linha = Record<string, unknown>;
function deLinha(l: Linha): BaseRegistro {
  return {
    ...(l as unknown as BaseRegistro),
    criadoEm: (l['criadoEm'] as Date).toISOString(),
    atualizadoEm: (l['atualizadoEm'] as Date).toISOString(),
  };
}

export async function buscarBase(m: EntityManager, id: string, opcoes: { travar?: boolean } = {}): Promise<BaseRegistro | null> {
  const linhas = await m.query<Linha[]>(`${SELECT} WHERE b.id = $1${opcoes.travar ? ' FOR UPDATE OF b' : ''}`, [id]);
  return linhas[0] ? deLinha(linhas[0]) : null;
}

export interface FiltroBases {
  sigla?: string;
  possuiDadosPessoais?: boolean;
}
export async function listarBases(m: EntityManager, filtro: FiltroBases = {}): Promise<BaseRegistro[]> {
  const cond: string[] = [];
  const params: unknown[] = [];
  if (filtro.sigla) {
    params.push(filtro.sigla);
    cond.push(`b.sigla = $${params.length}`);
  }
  if (filtro.possuiDadosPessoais !== undefined) {
    params.push(filtro.possuiDadosPessoais);
    cond.push(`b.possui_dados_pessoais = $${params.length}`);
  }
  const where = cond.length ? ` WHERE ${cond.join(' AND ')}` : '';
  const linhas = await m.query<Linha[]>(`${SELECT}${where} ORDER BY b.sigla, b.titulo, b.id`, params);
  return linhas.map(deLinha);
}

export async function inserirBase(m: EntityManager, id: string, d: BaseDados, extra: { transferidaDe?: string | null; revisadaNaCampanha?: string | null } = {}): Promise<void> {
  const cols = [...CAMPOS_DADOS.map((c) => COLUNAS[c]), 'transferida_de', 'revisada_na_campanha'];
  const vals = [...CAMPOS_DADOS.map((c) => d[c]), extra.transferidaDe ?? null, extra.revisadaNaCampanha ?? null];
  await m.query(`INSERT INTO cmbd_base (id, ${cols.join(', ')}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})`, [id, ...vals]);
}

export async function atualizarBase(m: EntityManager, id: string, d: BaseDados, extra: { transferidaPara?: string | null; revisadaNaCampanha?: string | null } = {}): Promise<void> {
  const sets = CAMPOS_DADOS.map((c, i) => `${COLUNAS[c]} = $${i + 2}`);
  const params: unknown[] = [id, ...CAMPOS_DADOS.map((c) => d[c])];
  if (extra.transferidaPara !== undefined) {
    params.push(extra.transferidaPara);
    sets.push(`transferida_para = $${params.length}`);
  }
  if (extra.revisadaNaCampanha !== undefined) {
    params.push(extra.revisadaNaCampanha);
    sets.push(`revisada_na_campanha = $${params.length}`);
  }
  await m.query(`UPDATE cmbd_base SET ${sets.join(', ')}, versao = versao + 1, atualizado_em = now() WHERE id = $1`, params);
}

export function dadosDe(b: BaseRegistro): BaseDados {
  return Object.fromEntries(CAMPOS_DADOS.map((c) => [c, b[c]])) as unknown as BaseDados;
}

/** Fields whose value differs (arrays compared by content). */
export function camposAlterados(antes: BaseDados, depois: BaseDados): string[] {
  return CAMPOS_DADOS.filter((c) => JSON.stringify(antes[c]) !== JSON.stringify(depois[c]));
}

export type AcaoVersao = 'criada' | 'atualizada' | 'confirmada' | 'inativada' | 'transferida' | 'recebida-por-transferencia' | 'importada';

export async function registrarVersao(
  m: EntityManager,
  v: { baseId: string; acao: AcaoVersao; ator: string; campanha: string | null; campos: string[] },
): Promise<number> {
  const [linha] = await m.query<{ versao: number }[]>(
    `INSERT INTO cmbd_base_versao (base_id, versao, acao, ator, campanha, campos, dados)
     SELECT b.id, b.versao, $2, $3, $4, $5, to_jsonb(b) - 'versao' - 'criado_em' - 'atualizado_em'
       FROM cmbd_base b WHERE b.id = $1
     RETURNING versao`,
    [v.baseId, v.acao, v.ator, v.campanha, v.campos],
  );
  return linha.versao;
}

export interface VersaoJson {
  versao: number;
  acao: string;
  ator: string;
  em: string;
  campanha: string | null;
  campos: string[];
  dados: Record<string, unknown>;
}
export async function listarVersoes(m: EntityManager, baseId: string): Promise<VersaoJson[]> {
  const linhas = await m.query<(Omit<VersaoJson, 'em'> & { em: Date })[]>(
    `SELECT versao, acao, ator, em, campanha, campos, dados FROM cmbd_base_versao WHERE base_id = $1 ORDER BY versao`,
    [baseId],
  );
  return linhas.map((l) => ({ ...l, em: l.em.toISOString() }));
}
