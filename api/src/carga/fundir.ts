/**
 * Phase `fundindo` of a batch load (issue 11): the load's Base Única rows whose CPF is their own
 * (`triagem = 'base-unica' AND NOT cpf_de_outra_pessoa`) merged into the golden records — one `identidade` per CPF,
 * the `pessoa` record, `valor_campo` provenance and `revisao` items — with exactly the semantics of `entradaUnica`
 * in tolerant mode, as if every row had been sent to it in `linha` order by the actor
 * `{ tipo: 'carga', fonte: carga.fontePmcc, lote: carga.id }` with `chaveFonte` = the row's key and
 * `observadoEm` = the load's. One set of rules (`linhaParaCorpo`, `decidirMudancas`, `validarRegistro`, the
 * provenance of `persistir`, all applied by `fundirGrupo`), another execution strategy:
 *
 *   1. set-based: the CPFs of the load; their identities (existing; the `pendente` one the partition phase put in
 *      staging `identidade_id`, which gets the CPF and becomes `ativa`; or a new one with `carga_id`); the parent
 *      links among them and their depth (see "Parents" below);
 *   2. ONE ordered pass over the rows (a cursor, `LOTE_PADRAO` rows at a time: memory does not grow with the load),
 *      grouped by CPF; per batch, the current records (locked FOR UPDATE, as Entrada Única locks the row), their
 *      `vigente` provenance and the parents' birth dates are read in bulk, every group is decided in memory, and
 *      the batch is written in bulk: replaced values re-marked with one UPDATE, new records COPYed into `pessoa`,
 *      changed ones into a temporary table, provenance COPYed into `valor_campo` (ids from its sequence as COPY
 *      reads the rows, so in generation order: the history keeps its order), review items INSERTed pointing at
 *      those rows by position. Batch k is read and decided while batch k-1 is being written (the server ingests
 *      while this process decides), and the rows to COPY are encoded into buffers outside the JavaScript heap as
 *      they are decided;
 *   3. set-based: the changed records updated in one statement (and the levels of their accounts recomputed);
 *      staging rows get `identidade_id` and `vinculo = 'cpf'`; ONE audit row for the whole phase.
 *
 * Lookups by a list of keys are written as a LATERAL join over `unnest(keys)` with an OFFSET 0 fence, so each key is
 * one index probe whatever the planner thinks of the table's size (`key = ANY(5000 keys)` as a filter over a whole
 * index was seen taking seconds per batch). Temporary tables are ANALYZEd before they are joined.
 *
 * Rows refused as a whole (as Entrada Única would answer 400/422: a creation without nome or data de nascimento;
 * a whole-record check such as "the mother was born before the person"; a PMCC refusal on creation) change
 * nothing in the record and are counted by reason. Their staging row still gets the CPF's `identidade_id` and
 * `vinculo = 'cpf'` (the row IS that CPF's; it only contributed no value), and the reason is appended to its
 * `problemas` (`{ campo, codigo: 'linha-recusada', valor: message }`), which travels to `linha_carga`. So a CPF
 * whose every row was refused has an `identidade` and no `pessoa` yet; a later load's row can create the record
 * under the same golden id.
 *
 * Parents: "the mother/father was born before the person" reads the parent's record as it is when the row is
 * applied. A parent with rows in the same load is created or changed at some row of it, so the pass processes
 * CPFs in order of depth (a CPF whose rows or record name a parent in the load comes after that parent) and keeps,
 * for every CPF that is someone's parent, its state before the load and the rows where its birth date was set
 * (`fu_tempo`); a child's row at line L then sees the parent as the row-by-row path would at line L. Parent cycles
 * (A names B, B names A: dirty data) are cut at PROFUNDIDADE_MAXIMA; inside a cycle a parent not yet processed is
 * seen as before the load — the one case where the two strategies could differ, and then only in which of two
 * contradictory rows is refused.
 *
 * Confidence levels: only a death (óbito, from SIRC) or the CPF can move a level, and only on a record that existed
 * before the load (`conta`/`evidencia` reference `pessoa`, so a record created now has no account). For those, each
 * linked account is recomputed inside the transaction with the level function (`calcularNivel`), as
 * `confianca.service.recalcular` does, and a changed level of an active account writes its outbox row
 * (`sincronizacao_saida`) in the same transaction: the worker's relay takes it to Keycloak after the commit.
 */
import type pg from 'pg';
import { COLUNAS_INSERT_AUDITORIA, valoresAuditoria } from '../auditoria/auditoria.service.js';
import { calcularNivel } from '../confianca/calcular-nivel.js';
import type { NivelConfianca } from '../confianca/nivel.js';
import type { SituacaoConta } from '../contas/conta.entity.js';
import type { TipoEvidencia } from '../contas/evidencia.entity.js';
import { CADASTRO_PESSOA } from '../entrada-unica/cadastros.js';
import { nomeDoAtor } from '../entrada-unica/persistir.js';
import type { ObjetoJson } from '../db/json.js';
import type { Pessoa, SituacaoPessoa } from '../pessoas/pessoa.entity.js';
import { relogio } from '../relogio.js';
import { copiar, TextoCopia, type ValorCopia } from './copiar.js';
import type { AoProgresso, CargaEmCurso, ExecutarFase } from './fases.js';
import {
  fundirGrupo, nascimentoEm, type ContextoGrupo, type EstadoNascimento, type LinhaDoGrupo, type MotivoRecusa, type RefValor,
  type VigenteEmMemoria,
} from './fundir-grupo.js';
import { CAMPOS_DO_CORPO } from './linha-para-corpo.js';

/** Rows read per batch. */
const LOTE_PADRAO = 5000;
/** Parent chains deeper than this are cycles (nobody has 16 generations in one load). */
const PROFUNDIDADE_MAXIMA = 16;

/** The record columns a batch row can change (every field `linhaParaCorpo` sends), as COPY/UPDATE columns. */
const COLUNAS_PESSOA: ReadonlyArray<readonly [string, (p: Pessoa) => ValorCopia]> = [
  ['cpf', (p) => p.cpf],
  ['nome', (p) => p.nome],
  ['data_nascimento', (p) => p.dataNascimento],
  ['genero', (p) => p.genero],
  ['cpf_mae', (p) => p.cpfMae],
  ['nome_mae', (p) => p.nomeMae],
  ['cpf_pai', (p) => p.cpfPai],
  ['nome_pai', (p) => p.nomePai],
  ['obito', (p) => p.obito],
  ['obito_registro', (p) => json(p.obitoRegistro)],
  ['emails', (p) => json(p.emails)],
  ['telefones', (p) => json(p.telefones)],
  ['versao', (p) => p.versao],
];
// Fails at start-up, not mid-load, if the body gains a field this phase does not write.
const CAMPOS_ESCRITOS = new Set(['cpf', 'nome', 'dataNascimento', 'genero', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai', 'obitoRegistro', 'emails', 'telefones']);
for (const c of CAMPOS_DO_CORPO) if (!CAMPOS_ESCRITOS.has(c)) throw new Error(`fundir: o campo ${c} do corpo da carga não tem coluna em COLUNAS_PESSOA`);

// No `id`: COPY takes it from the sequence row by row, so ids follow generation order.
const COLUNAS_VALOR = ['entidade', 'chave', 'campo', 'valor', 'estado', 'operacao', 'fonte', 'chave_fonte', 'ator', 'tipo_ator', 'observado_em', 'versao_registro', 'decisao'];
const COLUNAS_REVISAO = ['ordem', 'chave', 'campo', 'valor_banco', 'posicao', 'motivo', 'codigo'];

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

interface LinhaLida {
  cpf: string;
  linha: number;
  chave_fonte: string;
  nome: string | null;
  nome_mae: string | null;
  nome_pai: string | null;
  cpf_mae: string | null;
  cpf_pai: string | null;
  data_nascimento: string | null;
  data_obito: string | null;
  sexo: string | null;
  obito: boolean | null;
  email: string | null;
  telefone: string | null;
  existe: boolean;
  eh_pai: boolean;
}

interface PessoaLida {
  cpf: string;
  nome: string;
  nome_social: string | null;
  genero: string | null;
  estado_civil: string | null;
  data_nascimento: string;
  local_nascimento: ObjetoJson | null;
  rg: ObjetoJson | null;
  titulo_eleitor: string | null;
  cpf_mae: string | null;
  nome_mae: string | null;
  cpf_pai: string | null;
  nome_pai: string | null;
  obito: boolean;
  obito_registro: ObjetoJson | null;
  emails: ObjetoJson[];
  telefones: ObjetoJson[];
  enderecos: ObjetoJson[];
  relacoes_familiares: ObjetoJson[];
  biometria: ObjetoJson | null;
  certificado_icp: ObjetoJson | null;
  vinculo_govbr: ObjetoJson | null;
  situacao: SituacaoPessoa;
  versao: number;
}

/** A review item's value: an id already in the table, or the position of a row this batch writes. */
function valorReferido(ref: RefValor): { banco: string | null; posicao: number | null } {
  return 'banco' in ref ? { banco: ref.banco, posicao: null } : { banco: null, posicao: ref.novo.posicao };
}

/** The record as TypeORM would load it (the shape `pessoaParaJson` reads). */
function pessoaDoBanco(l: PessoaLida): Pessoa {
  const nunca = new Date(0); // criadoEm/atualizadoEm: not read by any decision
  return {
    cpf: l.cpf, nome: l.nome, nomeSocial: l.nome_social, genero: l.genero, estadoCivil: l.estado_civil, dataNascimento: l.data_nascimento,
    localNascimento: l.local_nascimento, rg: l.rg, tituloEleitor: l.titulo_eleitor, cpfMae: l.cpf_mae, nomeMae: l.nome_mae, cpfPai: l.cpf_pai,
    nomePai: l.nome_pai, obito: l.obito, obitoRegistro: l.obito_registro, emails: l.emails, telefones: l.telefones, enderecos: l.enderecos,
    relacoesFamiliares: l.relacoes_familiares, biometria: l.biometria, certificadoIcp: l.certificado_icp, vinculoGovbr: l.vinculo_govbr,
    situacao: l.situacao, versao: l.versao, criadoEm: nunca, atualizadoEm: nunca,
  };
}

interface Linha {
  cpf: string;
  existe: boolean;
  ehPai: boolean;
  linha: LinhaDoGrupo;
}

function linhaDoBanco(l: LinhaLida): Linha {
  return {
    cpf: l.cpf, existe: l.existe, ehPai: l.eh_pai,
    linha: {
      linha: l.linha, chaveFonte: l.chave_fonte, cpf: l.cpf, nome: l.nome, nomeMae: l.nome_mae, nomePai: l.nome_pai, cpfMae: l.cpf_mae, cpfPai: l.cpf_pai,
      dataNascimento: l.data_nascimento, dataObito: l.data_obito, sexo: l.sexo, obito: l.obito, email: l.email, telefone: l.telefone,
    },
  };
}

interface Grupo {
  cpf: string;
  existe: boolean;
  ehPai: boolean;
  linhas: LinhaDoGrupo[];
}

/** A parent's birth-date timeline: its state before the load and the rows of the load that set its birth date. */
interface Tempo {
  inicial: EstadoNascimento;
  nascimentos: Array<{ linha: number; data: string }>;
}

interface Leitura {
  grupos: Grupo[];
  registros: Map<string, Pessoa>;
  vigentes: Map<string, Map<string, VigenteEmMemoria>>;
  /** Timelines already in fu_tempo, of the parents this batch names. */
  tempos: Map<string, Tempo>;
  /** Birth dates before the load of the parents this batch names that have no timeline (not in the load). */
  antes: Map<string, string>;
}

/** A decided batch, ready to write (rows already in COPY format, outside the JavaScript heap). */
interface Escrita {
  /** Staged rows the batch covers (progress). */
  linhas: number;
  valores: TextoCopia;
  rebaixados: Array<{ id: string; estado: string }>;
  /** `fu_revisao` rows: a review item and the value it points at (an id already in the table, or a new row's position). */
  revisoes: TextoCopia;
  novas: TextoCopia;
  alteradas: TextoCopia;
  tempo: TextoCopia;
  recusas: TextoCopia;
  /** CPFs (of records that existed before the load) whose change can move their accounts' level. */
  recalcular: TextoCopia;
  /** CPFs (of records that existed before the load) whose name or e-mails changed: their tied accounts' Keycloak profile. */
  perfil: TextoCopia;
}

interface Contagens {
  linhas: number;
  cpfs: number;
  identidadesNovas: number;
  identidadesAdotadas: number;
  pessoasCriadas: number;
  pessoasAlteradas: number;
  linhasAplicadas: number;
  linhasRecusadas: number;
  recusadasCamposObrigatorios: number;
  recusadasRegistroInconsistente: number;
  recusadasPelaPmcc: number;
  valoresCampo: number;
  revisoes: number;
  contasRecalculadas: number;
  niveisAlterados: number;
}

const CONTAGEM_DA_RECUSA: Record<MotivoRecusa, keyof Contagens> = {
  'campos-obrigatorios': 'recusadasCamposObrigatorios',
  'registro-inconsistente': 'recusadasRegistroInconsistente',
  'recusada-pela-pmcc': 'recusadasPelaPmcc',
};

/** The phase with another batch size (tests use tiny batches to cross batch boundaries everywhere). */
export function criarFundir(opcoes: { lote?: number } = {}): ExecutarFase {
  const tamanhoLote = opcoes.lote ?? LOTE_PADRAO;
  return (cliente, carga, aoProgresso) => fundirCarga(cliente, carga, tamanhoLote, aoProgresso);
}

export const fundir: ExecutarFase = criarFundir();

async function fundirCarga(cliente: pg.PoolClient, carga: CargaEmCurso, tamanhoLote: number, aoProgresso?: AoProgresso): Promise<Record<string, number>> {
  if (!/^[0-9]+$/.test(carga.id)) throw new Error(`fundir: id de carga inválido: ${carga.id}`);
  const filtro = `s.carga_id = ${carga.id} AND s.triagem = 'base-unica' AND NOT s.cpf_de_outra_pessoa`;
  const sql = (texto: string, parametros?: unknown[]) => cliente.query(texto, parametros);
  const n: Contagens = {
    linhas: 0, cpfs: 0, identidadesNovas: 0, identidadesAdotadas: 0, pessoasCriadas: 0, pessoasAlteradas: 0, linhasAplicadas: 0, linhasRecusadas: 0,
    recusadasCamposObrigatorios: 0, recusadasRegistroInconsistente: 0, recusadasPelaPmcc: 0, valoresCampo: 0, revisoes: 0, contasRecalculadas: 0, niveisAlterados: 0,
  };
  // Sorts and hashes of a few million rows in memory rather than in many temporary files (this transaction only).
  await sql(`SET LOCAL work_mem = '128MB'`);

  // ── 1. CPFs, identities, parent links ──
  // The staging table filled by COPY needs statistics, or the planner takes it for a few rows and joins it by nested
  // loops (seen: 200k staged rows × 363 refusals, seconds for one UPDATE). The partition phase, committed just
  // before, analysed it and then changed only a few rows: analysed again only when most rows changed since (a
  // sample of 30,000 rows is not free: ~1 s per load).
  const [{ analisar }] = (await sql(`SELECT coalesce((SELECT n_mod_since_analyze > n_live_tup / 2 OR last_analyze IS NULL AND last_autoanalyze IS NULL
    FROM pg_stat_user_tables WHERE relid = 'carga_staging'::regclass), true) AS analisar`)).rows as Array<{ analisar: boolean }>;
  if (analisar) await sql(`ANALYZE carga_staging`);
  await sql(`CREATE TEMP TABLE fu_grupo ON COMMIT DROP AS
    SELECT s.cpf, min(s.identidade_id) AS pendente, count(*)::int AS linhas FROM carga_staging s WHERE ${filtro} GROUP BY s.cpf`);
  await sql(`ANALYZE fu_grupo`);
  // The partition phase and earlier loads' linkage added `pendente` identities since the table was last analysed:
  // with stale statistics the planner takes them for one row and joins them to the adoptions by a nested loop
  // (pendentes × adoptions comparisons, seen at 0.9 s for 2,800 × 900; quadratic as the base grows). Sampled, so
  // cheap.
  await sql(`ANALYZE identidade`);
  // A pendente identity adopted by the CPF its rows turned out to have (one CPF per pendente: the smallest, if the
  // partition phase pointed several CPFs at the same one; the others get new identities).
  n.identidadesAdotadas = (await sql(`UPDATE identidade i SET cpf = a.cpf, situacao = 'ativa'
    FROM (SELECT DISTINCT ON (g.pendente) g.pendente, g.cpf FROM fu_grupo g
          WHERE g.pendente IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identidade x WHERE x.cpf = g.cpf)
          ORDER BY g.pendente, g.cpf) a
    WHERE i.id = a.pendente AND i.situacao = 'pendente' AND i.cpf IS NULL`)).rowCount ?? 0;
  n.identidadesNovas = (await sql(`INSERT INTO identidade (cpf, situacao, carga_id)
    SELECT g.cpf, 'ativa', ${carga.id} FROM fu_grupo g WHERE NOT EXISTS (SELECT 1 FROM identidade x WHERE x.cpf = g.cpf) ORDER BY g.cpf`)).rowCount ?? 0;

  // Child → parent links among the load's CPFs, from the rows and from the records as they are.
  await sql(`CREATE TEMP TABLE fu_aresta ON COMMIT DROP AS
    SELECT DISTINCT a.filho, a.pai FROM (
      SELECT s.cpf AS filho, x.pai FROM carga_staging s CROSS JOIN LATERAL (VALUES (s.cpf_mae), (s.cpf_pai)) x(pai)
        WHERE ${filtro} AND (s.cpf_mae IS NOT NULL OR s.cpf_pai IS NOT NULL) AND x.pai IS NOT NULL
      UNION ALL
      SELECT p.cpf, x.pai FROM pessoa p JOIN fu_grupo g ON g.cpf = p.cpf CROSS JOIN LATERAL (VALUES (p.cpf_mae), (p.cpf_pai)) x(pai)
        WHERE x.pai IS NOT NULL
    ) a JOIN fu_grupo g ON g.cpf = a.pai WHERE a.pai <> a.filho`);
  await sql(`CREATE TEMP TABLE fu_prof ON COMMIT DROP AS SELECT DISTINCT filho AS cpf, 1 AS profundidade FROM fu_aresta`);
  await sql(`ANALYZE fu_aresta`);
  await sql(`ANALYZE fu_prof`);
  for (let d = 2; d <= PROFUNDIDADE_MAXIMA; d++) {
    const r = await sql(`UPDATE fu_prof c SET profundidade = ${d} FROM fu_aresta a JOIN fu_prof p ON p.cpf = a.pai AND p.profundidade = ${d - 1}
      WHERE a.filho = c.cpf AND c.profundidade < ${d}`);
    if ((r.rowCount ?? 0) === 0) break;
  }
  await sql(`CREATE TEMP TABLE fu_cpf ON COMMIT DROP AS
    SELECT g.cpf, i.id AS identidade_id, i.fundida_em, (p.cpf IS NOT NULL) AS existe, coalesce(pr.profundidade, 0) AS profundidade, (pa.pai IS NOT NULL) AS eh_pai
    FROM fu_grupo g JOIN identidade i ON i.cpf = g.cpf LEFT JOIN pessoa p ON p.cpf = g.cpf LEFT JOIN fu_prof pr ON pr.cpf = g.cpf
      LEFT JOIN (SELECT DISTINCT pai FROM fu_aresta) pa ON pa.pai = g.cpf`);
  await sql(`ANALYZE fu_cpf`);
  // A CPF whose identity a steward merged into another (situacao 'fundida'): its rows go to the surviving identity,
  // following the chain (a load never undoes a steward's merge).
  for (let salto = 0; salto < PROFUNDIDADE_MAXIMA; salto++) {
    const r = await sql(`UPDATE fu_cpf f SET identidade_id = f.fundida_em, fundida_em = i.fundida_em FROM identidade i
      WHERE f.fundida_em IS NOT NULL AND i.id = f.fundida_em`);
    if ((r.rowCount ?? 0) === 0) break;
  }
  const [totais] = (await sql(`SELECT count(*)::int AS cpfs, coalesce(sum(linhas), 0)::int AS linhas FROM fu_grupo`)).rows as Array<{ cpfs: number; linhas: number }>;
  n.cpfs = totais.cpfs;
  n.linhas = totais.linhas;

  // Birth-date timelines of the CPFs that are someone's parent: linha 0 = before the load.
  await sql(`CREATE TEMP TABLE fu_tempo (cpf char(11) NOT NULL, linha integer NOT NULL, existe boolean NOT NULL, data date NULL) ON COMMIT DROP`);
  await sql(`CREATE INDEX ON fu_tempo (cpf)`);
  await sql(`CREATE TEMP TABLE fu_pessoa_alt ON COMMIT DROP AS SELECT ${COLUNAS_PESSOA.map(([c]) => c).join(', ')} FROM pessoa WITH NO DATA`);
  await sql(`CREATE TEMP TABLE fu_recusa (linha integer NOT NULL, problemas jsonb NOT NULL) ON COMMIT DROP`);
  await sql(`CREATE TEMP TABLE fu_nivel (cpf char(11) NOT NULL) ON COMMIT DROP`);
  await sql(`CREATE TEMP TABLE fu_perfil (cpf char(11) NOT NULL) ON COMMIT DROP`);
  await sql(`CREATE TEMP TABLE fu_revisao (ordem integer NOT NULL, chave text NOT NULL, campo text NOT NULL, valor_banco bigint NULL, posicao integer NULL,
    motivo text NOT NULL, codigo text NOT NULL) ON COMMIT DROP`);
  const [{ seq }] = (await sql(`SELECT pg_get_serial_sequence('valor_campo', 'id') AS seq`)).rows as Array<{ seq: string }>;

  // ── 2. One ordered pass, reading/deciding a batch while the previous one is written ──
  const ator = { tipo: 'carga', fonte: carga.fontePmcc, lote: carga.id } as const;
  const ctxBase = {
    ator, nomeAtor: nomeDoAtor(ator), fonte: carga.fontePmcc, observadoEm: carga.observadoEm,
    observadoEmNoBanco: new Date(carga.observadoEm).toISOString(), hoje: relogio().hoje(),
  };
  const camposAlterados = new Set<string>();
  // Timelines of parents decided in the batch being written and in the one being decided (not yet in fu_tempo).
  let temposAnteriores = new Map<string, Tempo>();
  let temposAtuais = new Map<string, Tempo>();

  /** Reads what deciding the batch needs: current records (locked), their provenance, the parents' birth dates. */
  const ler = async (linhas: readonly Linha[]): Promise<Leitura> => {
    const grupos: Grupo[] = [];
    for (const l of linhas) {
      const ultimo = grupos[grupos.length - 1];
      if (ultimo && ultimo.cpf === l.cpf) ultimo.linhas.push(l.linha);
      else grupos.push({ cpf: l.cpf, existe: l.existe, ehPai: l.ehPai, linhas: [l.linha] });
    }
    const existentes = grupos.filter((g) => g.existe).map((g) => g.cpf);
    const registros = new Map<string, Pessoa>();
    const vigentes = new Map<string, Map<string, VigenteEmMemoria>>();
    if (existentes.length > 0) {
      // Locked as Entrada Única locks the row it writes: no concurrent write is lost between this read and the update.
      const pessoas = (await sql(`SELECT p.* FROM unnest($1::bpchar[]) AS c(cpf) CROSS JOIN LATERAL (
          SELECT cpf, nome, nome_social, genero, estado_civil, data_nascimento::text AS data_nascimento, local_nascimento, rg, titulo_eleitor, cpf_mae,
            nome_mae, cpf_pai, nome_pai, obito, obito_registro, emails, telefones, enderecos, relacoes_familiares, biometria, certificado_icp,
            vinculo_govbr, situacao, versao
          FROM pessoa WHERE cpf = c.cpf OFFSET 0 FOR UPDATE) p`, [existentes])).rows as PessoaLida[];
      for (const p of pessoas) registros.set(p.cpf, pessoaDoBanco(p));
      const valores = (await sql(`SELECT v.* FROM unnest($1::text[]) AS c(chave) CROSS JOIN LATERAL (
          SELECT chave, campo, id::text AS id, fonte, observado_em FROM valor_campo
          WHERE entidade = 'pessoa' AND estado = 'vigente' AND chave = c.chave OFFSET 0) v`, [existentes])).rows as Array<{ chave: string; campo: string; id: string; fonte: string; observado_em: Date }>;
      for (const v of valores) {
        let m = vigentes.get(v.chave);
        if (!m) vigentes.set(v.chave, (m = new Map<string, VigenteEmMemoria>()));
        m.set(v.campo, { fonte: v.fonte, observadoEm: v.observado_em.toISOString(), ref: { banco: v.id } });
      }
    }
    // Parents named by the rows or by the records: their timelines (if decided in an earlier batch already written)
    // or their records as before the load.
    const pais = new Set<string>();
    for (const g of grupos) {
      for (const l of g.linhas) {
        if (l.cpfMae !== null) pais.add(l.cpfMae);
        if (l.cpfPai !== null) pais.add(l.cpfPai);
      }
      const reg = registros.get(g.cpf);
      if (reg?.cpfMae) pais.add(reg.cpfMae);
      if (reg?.cpfPai) pais.add(reg.cpfPai);
    }
    const tempos = new Map<string, Tempo>();
    const antes = new Map<string, string>();
    if (pais.size > 0) {
      const lista = [...pais];
      const tl = (await sql(`SELECT t.* FROM unnest($1::bpchar[]) AS c(cpf) CROSS JOIN LATERAL (
          SELECT cpf, linha, existe, data::text AS data FROM fu_tempo WHERE cpf = c.cpf OFFSET 0) t ORDER BY t.cpf, t.linha`, [lista])).rows as Array<{ cpf: string; linha: number; existe: boolean; data: string | null }>;
      for (const t of tl) {
        if (t.linha === 0) tempos.set(t.cpf, { inicial: { existe: t.existe, data: t.data }, nascimentos: [] });
        else tempos.get(t.cpf)!.nascimentos.push({ linha: t.linha, data: t.data! });
      }
      const semTempo = lista.filter((c) => !tempos.has(c) && !temposAnteriores.has(c) && !temposAtuais.has(c));
      if (semTempo.length > 0) {
        const ps = (await sql(`SELECT p.* FROM unnest($1::bpchar[]) AS c(cpf) CROSS JOIN LATERAL (
            SELECT cpf, data_nascimento::text AS data FROM pessoa WHERE cpf = c.cpf OFFSET 0) p`, [semTempo])).rows as Array<{ cpf: string; data: string }>;
        for (const p of ps) antes.set(p.cpf, p.data);
      }
    }
    return { grupos, registros, vigentes, tempos, antes };
  };

  /** Decides every group of the batch in memory and builds the batch's rows to write. */
  const decidir = async (lido: Leitura, linhas: number): Promise<Escrita> => {
    const ctx: ContextoGrupo = {
      ...ctxBase,
      consultarPais: (cpfs, linha) => {
        const achados: Array<{ cpf: string; dataNascimento: string }> = [];
        for (const cpf of cpfs) {
          const t = temposAtuais.get(cpf) ?? temposAnteriores.get(cpf) ?? lido.tempos.get(cpf);
          const e: EstadoNascimento = t ? nascimentoEm(t.inicial, t.nascimentos, linha) : { existe: lido.antes.has(cpf), data: lido.antes.get(cpf) ?? null };
          if (e.existe) achados.push({ cpf, dataNascimento: e.data! });
        }
        return achados;
      },
    };
    const e: Escrita = {
      linhas, valores: new TextoCopia(), rebaixados: [], revisoes: new TextoCopia(), novas: new TextoCopia(), alteradas: new TextoCopia(), tempo: new TextoCopia(),
      recusas: new TextoCopia(), recalcular: new TextoCopia(), perfil: new TextoCopia(),
    };
    let k = 0;
    for (const g of lido.grupos) {
      // Let the previous batch's COPY flow to the server while this one is decided.
      if (++k % 200 === 0) await new Promise((ok) => setImmediate(ok));
      const inicial = lido.registros.get(g.cpf) ?? null;
      const r = await fundirGrupo(g.cpf, g.linhas, inicial, lido.vigentes.get(g.cpf) ?? new Map<string, VigenteEmMemoria>(), ctx);
      for (const v of r.valores) {
        e.valores.adicionar(['pessoa', g.cpf, v.campo, json(v.valor), v.estado, v.operacao, v.fonte, v.chaveFonte, v.ator, v.tipoAtor, v.observadoEm, v.versaoRegistro, JSON.stringify(v.decisao)]);
        camposAlterados.add(v.campo);
      }
      for (const x of r.rebaixados) e.rebaixados.push(x);
      for (const rv of r.revisoes) {
        const ref = valorReferido(rv.valor);
        e.revisoes.adicionar([e.revisoes.linhas, g.cpf, rv.campo, ref.banco, ref.posicao, rv.motivo, rv.codigo]);
      }
      n.linhasAplicadas += r.linhasAplicadas;
      for (const x of r.recusas) {
        n.linhasRecusadas += 1;
        n[CONTAGEM_DA_RECUSA[x.motivo]] += 1;
        e.recusas.adicionar([x.linha, JSON.stringify(x.detalhes.map((d) => ({ campo: d.path, codigo: 'linha-recusada', valor: d.message })))]);
      }
      if (r.alterado && r.registro) {
        const linha = COLUNAS_PESSOA.map(([, f]) => f(r.registro!));
        if (inicial === null) {
          e.novas.adicionar(linha);
          n.pessoasCriadas += 1;
        } else {
          e.alteradas.adicionar(linha);
          n.pessoasAlteradas += 1;
        }
      }
      if (r.recalcularNivel) e.recalcular.adicionar([g.cpf]);
      if (r.perfilAlterado) e.perfil.adicionar([g.cpf]);
      if (g.ehPai) {
        const t: Tempo = { inicial: { existe: inicial !== null, data: inicial?.dataNascimento ?? null }, nascimentos: r.nascimentos };
        temposAtuais.set(g.cpf, t);
        e.tempo.adicionar([g.cpf, 0, t.inicial.existe, t.inicial.data]);
        for (const x of r.nascimentos) e.tempo.adicionar([g.cpf, x.linha, true, x.data]);
      }
    }
    n.valoresCampo += e.valores.linhas;
    n.revisoes += e.revisoes.linhas;
    return e;
  };

  /** Writes a decided batch: replaced values, provenance, review items, records, timelines, refusals, levels. */
  const escrever = async (e: Escrita): Promise<void> => {
    if (e.rebaixados.length > 0) {
      await sql(`UPDATE valor_campo v SET estado = x.estado FROM unnest($1::bigint[], $2::text[]) AS x(id, estado) WHERE v.id = x.id`,
        [e.rebaixados.map((x) => x.id), e.rebaixados.map((x) => x.estado)]);
    }
    // Records first: a concurrent creation of one of these CPFs through the API now waits for this transaction.
    const colunas = COLUNAS_PESSOA.map(([c]) => c);
    await copiar(cliente, 'pessoa', colunas, e.novas);
    // Changed records: updated together at the end (they are locked, and nothing reads them before).
    await copiar(cliente, 'fu_pessoa_alt', colunas, e.alteradas);
    // Every id the COPY takes is above this one (the batch's CPFs are locked or new: nobody else writes their values).
    const [{ acima }] = (await sql(`SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END::text AS acima FROM ${seq}`)).rows as Array<{ acima: string }>;
    await copiar(cliente, 'valor_campo', COLUNAS_VALOR, e.valores);
    if (e.revisoes.linhas > 0) {
      // A review item of a value written just now points at the `posicao`-th row of its CPF and field above `acima`.
      await copiar(cliente, 'fu_revisao', COLUNAS_REVISAO, e.revisoes);
      await sql(`INSERT INTO revisao (entidade, chave, campo, valor_campo_id, motivo, codigo)
        SELECT 'pessoa', r.chave, r.campo, coalesce(r.valor_banco, (SELECT v.id FROM valor_campo v
            WHERE v.entidade = 'pessoa' AND v.chave = r.chave AND v.campo = r.campo AND v.id > $1 ORDER BY v.id OFFSET r.posicao LIMIT 1)), r.motivo, r.codigo
        FROM fu_revisao r ORDER BY r.ordem`, [acima]);
      await sql(`TRUNCATE fu_revisao`);
    }
    await copiar(cliente, 'fu_tempo', ['cpf', 'linha', 'existe', 'data'], e.tempo);
    await copiar(cliente, 'fu_recusa', ['linha', 'problemas'], e.recusas);
    await copiar(cliente, 'fu_nivel', ['cpf'], e.recalcular);
    await copiar(cliente, 'fu_perfil', ['cpf'], e.perfil);
  };

  await sql(`DECLARE fu_linhas NO SCROLL CURSOR FOR
    SELECT s.cpf, s.linha, s.chave_fonte, s.nome, s.nome_mae, s.nome_pai, s.cpf_mae, s.cpf_pai, s.data_nascimento::text AS data_nascimento,
      s.data_obito::text AS data_obito, s.sexo, s.obito, s.email, s.telefone, f.existe, f.eh_pai
    FROM carga_staging s JOIN fu_cpf f ON f.cpf = s.cpf
    WHERE ${filtro}
    ORDER BY f.profundidade, s.cpf COLLATE "C", s.linha`);
  /** The next batch of whole CPFs (the last CPF of a fetch may continue in the next one), or null at the end. */
  let resto: Linha[] = [];
  let acabou = false;
  const proximasLinhas = async (): Promise<Linha[] | null> => {
    while (!acabou) {
      const lidas = (await sql(`FETCH ${tamanhoLote} FROM fu_linhas`)).rows as LinhaLida[];
      acabou = lidas.length < tamanhoLote;
      const todas = resto.concat(lidas.map(linhaDoBanco));
      let corte = todas.length;
      if (!acabou) while (corte > 0 && todas[corte - 1].cpf === todas[todas.length - 1].cpf) corte--;
      resto = todas.slice(corte);
      if (corte > 0) return todas.slice(0, corte);
    }
    return null;
  };

  // Pipeline: read batch k (the connection is idle) → start writing batch k-1 → decide batch k in memory while the
  // server ingests k-1 → wait for k-1. Reading k before k-1 is written is safe: k's CPFs are not k-1's, and the
  // parents decided in k-1 are taken from memory (temposAnteriores), not from the tables.
  let feitas = 0;
  let escrita: Promise<void> = Promise.resolve();
  let anterior: Escrita | null = null;
  aoProgresso?.('fundindo', 0, n.linhas);
  for (;;) {
    const linhas = await proximasLinhas();
    const lido = linhas ? await ler(linhas) : null;
    if (anterior) escrita = escrever(anterior);
    // A failed write is reported after this batch is decided (the transaction is lost either way).
    escrita.catch(() => undefined);
    const decidido = lido ? await decidir(lido, linhas!.length) : null;
    await escrita;
    if (anterior) {
      feitas += anterior.linhas;
      aoProgresso?.('fundindo', feitas, n.linhas);
    }
    if (!decidido) break;
    anterior = decidido;
    temposAnteriores = temposAtuais;
    temposAtuais = new Map<string, Tempo>();
  }
  await sql(`CLOSE fu_linhas`);

  // ── 3. Records, levels, staging, audit ──
  const colunasPessoa = COLUNAS_PESSOA.map(([c]) => c);
  await sql(`ANALYZE fu_pessoa_alt`);
  await sql(`UPDATE pessoa p SET ${colunasPessoa.filter((c) => c !== 'cpf').map((c) => `${c} = a.${c}`).join(', ')}, atualizado_em = now()
    FROM fu_pessoa_alt a WHERE p.cpf = a.cpf`);
  await recalcularNiveis(cliente, n);
  // The record is the one source of a tied account's name and e-mail (issue 14, item 2): an outbox row `perfil` for
  // every active account tied to a record whose name or e-mails this load changed (as Entrada Única's step 5 writes it).
  await sql(`INSERT INTO sincronizacao_saida (conta_id, versao, motivo)
    SELECT c.keycloak_user_id, c.nivel_versao, 'perfil' FROM conta c WHERE c.situacao = 'ativa' AND c.pessoa_cpf IN (SELECT cpf FROM fu_perfil) ORDER BY c.keycloak_user_id`);
  await sql(`UPDATE carga_staging s SET identidade_id = f.identidade_id, vinculo = 'cpf' FROM fu_cpf f WHERE ${filtro} AND s.cpf = f.cpf`);
  if (n.linhasRecusadas > 0) {
    await sql(`ANALYZE fu_recusa`);
    await sql(`UPDATE carga_staging s SET problemas = coalesce(s.problemas, '[]'::jsonb) || r.problemas FROM fu_recusa r WHERE ${filtro} AND s.linha = r.linha`);
  }
  // ONE audit row for the phase, not one per person: the provenance of every value (valor_campo: source, row key,
  // actor `carga:<fonte>:<id>`, decision) already says who wrote what; the audit row says who ran the load and what
  // it changed in total.
  await sql(`INSERT INTO auditoria (${COLUNAS_INSERT_AUDITORIA}) VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb)`, valoresAuditoria({
    ator: carga.iniciadaPor,
    acao: 'carga.fundida',
    campos: [...camposAlterados].map((c) => CADASTRO_PESSOA.coluna(c)).sort(),
    cliente: null,
    finalidade: 'carga-em-lote',
    detalhe: { carga: carga.id, fonte: carga.mapa.fonte, fontePmcc: carga.fontePmcc, atorDosValores: nomeDoAtor(ator), ...n },
  }));
  return { ...n };
}

/**
 * The level of every account tied to the records in `fu_nivel` (by link or by evidence), recomputed after the writes,
 * as `confianca.service.recalcular` does (account row locked, `nivel_versao` + 1 when the level changes).
 */
async function recalcularNiveis(cliente: pg.PoolClient, n: Contagens): Promise<void> {
  const contas = (await cliente.query(`SELECT c.keycloak_user_id::text AS id FROM conta c JOIN fu_nivel f ON f.cpf = c.pessoa_cpf
    UNION SELECT e.conta_id::text FROM evidencia e JOIN fu_nivel f ON f.cpf = e.pessoa_cpf ORDER BY 1`)).rows as Array<{ id: string }>;
  for (const { id } of contas) {
    const [conta] = (await cliente.query(`SELECT cpf_declarado, situacao, nivel_confianca, nivel_versao FROM conta WHERE keycloak_user_id = $1 FOR UPDATE`, [id])).rows as Array<{
      cpf_declarado: string | null; situacao: SituacaoConta; nivel_confianca: number; nivel_versao: number;
    }>;
    const evidencias = (await cliente.query(`SELECT tipo, pessoa_cpf FROM evidencia WHERE conta_id = $1`, [id])).rows as Array<{ tipo: TipoEvidencia; pessoa_cpf: string | null }>;
    const doRegistro = [...new Set(evidencias.map((e) => e.pessoa_cpf).filter((c): c is string => c !== null))];
    const pessoas = (await cliente.query(`SELECT cpf, situacao, obito FROM pessoa WHERE cpf = ANY($1::bpchar[])`, [doRegistro])).rows as Array<{ cpf: string; situacao: SituacaoPessoa; obito: boolean }>;
    const nivel = calcularNivel({
      conta: { cpfDeclarado: conta.cpf_declarado, situacao: conta.situacao },
      evidencias: evidencias.map((e) => ({ tipo: e.tipo, pessoaCpf: e.pessoa_cpf })),
      pessoas: new Map(pessoas.map((p) => [p.cpf, p])),
    });
    n.contasRecalculadas += 1;
    if (nivel === (Number(conta.nivel_confianca) as NivelConfianca)) continue;
    await cliente.query(`UPDATE conta SET nivel_confianca = $2, nivel_versao = $3, atualizado_em = now() WHERE keycloak_user_id = $1`, [id, nivel, conta.nivel_versao + 1]);
    // the outbox row of the change, in the same transaction (as confianca.service.recalcular writes it)
    if (conta.situacao === 'ativa') await cliente.query(`INSERT INTO sincronizacao_saida (conta_id, versao, motivo) VALUES ($1, $2, 'nivel')`, [id, conta.nivel_versao + 1]);
    n.niveisAlterados += 1;
  }
}
