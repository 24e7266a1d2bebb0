/**
 * The diagnosis of a load and of the whole base, in the source document's categories (domain notes, "Batch load":
 * registros lidos, CPFs únicos, válidos, inválidos/falsos, sem CPF, …). Every count is computed by PostgreSQL over
 * `carga_staging` / `linha_carga` (set-based, nothing accumulated in Node's memory).
 *
 * Per load (`diagnosticoDaCarga`):
 * - `registrosLidos` counts every data row of the file; rows that cannot be read as the mapping says (`linhasIlegiveis`:
 *   another number of fields than the header, bytes that are not UTF-8), rows without a key (`semChave`) and later rows
 *   repeating a key already read (`chavesDuplicadas`, the first row of a key wins) are counted and otherwise ignored, so
 *   registrosLidos = linhasIlegiveis.total + semChave + chavesDuplicadas + linhasComCpfValido + semCpf + cpfsInvalidos.linhas.
 * - the triage categories (CPFs únicos/válidos/inválidos, sem CPF) cover every keyed row of the file, including the
 *   rows identical to what is already loaded (`inalterados`);
 * - the linkage categories (fundidos, casados sem CPF, quarentena, identities, review items) cover the rows this load
 *   processed, i.e. without the `inalterados`: an unchanged row is not processed again.
 * The diagnosis is computed at the end of the load (phase `registrando`) and stored in `carga.diagnostico`; for a
 * load still running, `diagnosticoDaCarga` computes what is known so far.
 *
 * For the base (`diagnosticoDaBase`): the same categories over every row in `linha_carga` (one per source + key, as
 * last loaded), the identities by state, and every review item still open whatever opened it.
 */
import type pg from 'pg';
import { linhasIlegiveisVazias, type LinhasIlegiveis } from './ler-fonte.js';
import type { DataSource } from 'typeorm';
import type { Fase } from './fases.js';
import { MOTIVOS_CPF_INVALIDO } from './triagem.js';

type MotivoCpfInvalido = (typeof MOTIVOS_CPF_INVALIDO)[number];
const VINCULOS = ['cpf', 'probabilistico', 'revisao', 'novo', 'quarentena', 'gestor'] as const;
type Vinculo = (typeof VINCULOS)[number];

interface Contagem {
  /** Distinct CPF values (mask removed; numeric sources padded). */
  valoresDistintos: number;
  linhas: number;
}

/** Triage of the rows read. */
interface CategoriasLeitura {
  /** Per load: data rows of the file. Base: rows loaded (one per source and key). */
  registrosLidos: number;
  /** Distinct CPF values, valid or not (= cpfsValidos + cpfsInvalidos.valoresDistintos). */
  cpfsUnicos: number;
  /** Distinct valid CPFs (Base Única). */
  cpfsValidos: number;
  /** Rows with a valid CPF. */
  linhasComCpfValido: number;
  /** CPF inválido/falso: distinct values and rows, in total and by reason (every reason listed, zeros included). */
  cpfsInvalidos: Contagem & { porMotivo: Record<MotivoCpfInvalido, Contagem> };
  /** Rows without a CPF (empty or a placeholder meaning unknown). */
  semCpf: number;
}

type TriagemDasLinhas = Omit<CategoriasLeitura, 'registrosLidos'>;

/** What linkage did with the rows. */
interface CategoriasVinculo {
  /** Rows with a valid CPF that is not the person's own (a child's row carrying the mother's CPF…). */
  cpfDeOutraPessoa: number;
  /** Rows merged into a golden record by their CPF (`vinculo = 'cpf'`). */
  fundidos: number;
  /** Rows without a usable CPF linked to an existing person by their attributes (`vinculo = 'probabilistico'`). */
  casadosSemCpf: number;
  /** Rows quarantined (invalid CPF, matched to no one). */
  emQuarentena: number;
  /** Rows by `vinculo` (every value listed, zeros included). */
  porVinculo: Record<Vinculo, number>;
  /** Per load: identities created by the load still `pendente`. Base: every `pendente` identity. */
  pendentes: number;
  /** Review items still open: `campos` = field conflicts (`revisao`), `vinculo` = linkage review (`revisao_vinculo`). */
  itensDeRevisaoAbertos: { campos: number; vinculo: number };
}

export interface DiagnosticoCarga extends CategoriasLeitura, CategoriasVinculo {
  carga: {
    id: string;
    fonte: string;
    fontePmcc: string;
    cmbd: { sigla: string; fonteCarga: string };
    arquivo: string;
    arquivoSha256: string;
    arquivoBytes: number;
    situacao: 'em-andamento' | 'concluida' | 'falhou';
    fase: Fase;
    linhasConfirmadas: number;
    observadoEm: string;
    iniciadaPor: string;
    iniciadaEm: string;
    concluidaEm: string | null;
    erro: string | null;
  };
  /** Golden ids this load created (`identidade.carga_id`). */
  novasIdentidades: number;
  /**
   * Rows that could not be read as the mapping says (another number of fields than the header, bytes that are not
   * UTF-8): not loaded; by reason, and the first 20 with their data row number (1 = the first row after the header).
   */
  linhasIlegiveis: LinhasIlegiveis;
  /** Rows without a key: not loaded. */
  semChave: number;
  /** Rows repeating a key read earlier in the same file: not loaded (the first row of a key wins). */
  chavesDuplicadas: number;
  /** Rows identical to the row already loaded for their key: not processed again. */
  inalterados: number;
  /** Counts each phase reported. */
  fases: Partial<Record<Fase, Record<string, number>>>;
}

export interface DiagnosticoBase extends CategoriasLeitura, CategoriasVinculo {
  /** Over every load: the guardian's CPFs the loads took off a child's golden id and handed back (`cpfsDevolvidosAoTitular`). */
  cpfsDevolvidosAoTitular: number;
  /** Golden ids by state. */
  identidades: { ativas: number; pendentes: number; fundidas: number };
  /** Rows loaded, by source. */
  linhasPorFonte: Record<string, number>;
  /** Loads by state. */
  cargas: { concluidas: number; emAndamento: number; falharam: number };
}

/**
 * What `carga.diagnostico` holds while a load runs (written by executar-carga.ts): the reading counters kept per chunk
 * and, from the end of `lendo`, the triage of the whole file; the counts of each phase. Replaced by the
 * DiagnosticoCarga when the load completes.
 */
export interface EstadoCarga {
  leitura: {
    semChave: number;
    /** Rows in staging for this load, as committed (a lower count on resume: PostgreSQL lost the unlogged table). */
    linhasEmStaging: number;
    chavesDuplicadas?: number;
    inalterados?: number;
    /** Rows skipped for their number of fields (set at the end of `lendo`, counted over the whole file). */
    linhasIlegiveis?: LinhasIlegiveis;
    /** Triage of every keyed row of the file (set at the end of `lendo`, before the unchanged rows are removed). */
    triagem?: TriagemDasLinhas;
  };
  fases: Partial<Record<Fase, Record<string, number>>>;
}

type Linha = Record<string, unknown>;
type Consulta = (sql: string, parametros?: unknown[]) => Promise<Linha[]>;

/** Queries through one pg client (inside the load's transaction). */
export function consultaDoCliente(cliente: pg.ClientBase): Consulta {
  return async (sql, parametros) => (await cliente.query(sql, parametros)).rows as Linha[];
}

function consultaDoDataSource(ds: DataSource): Consulta {
  return (sql, parametros) => ds.query<Linha[]>(sql, parametros);
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Triage categories over `tabela` rows selected by `filtro` (set-based, one GROUP BY). */
async function contarTriagem(consulta: Consulta, tabela: 'carga_staging' | 'linha_carga', filtro: string, parametros: unknown[]): Promise<{ linhas: number; triagem: TriagemDasLinhas }> {
  const linhas = await consulta(
    `SELECT triagem, motivo, count(*) AS linhas,
            count(DISTINCT CASE WHEN triagem = 'base-unica' THEN cpf::text ELSE cpf_bruto END) AS distintos
       FROM ${tabela} WHERE ${filtro} GROUP BY triagem, motivo`,
    parametros,
  );
  const porMotivo = Object.fromEntries(MOTIVOS_CPF_INVALIDO.map((m) => [m, { valoresDistintos: 0, linhas: 0 }])) as Record<MotivoCpfInvalido, Contagem>;
  const r: TriagemDasLinhas = { cpfsUnicos: 0, cpfsValidos: 0, linhasComCpfValido: 0, cpfsInvalidos: { valoresDistintos: 0, linhas: 0, porMotivo }, semCpf: 0 };
  let total = 0;
  for (const l of linhas) {
    const qtd = n(l['linhas']);
    total += qtd;
    if (l['triagem'] === 'base-unica') {
      r.linhasComCpfValido += qtd;
      r.cpfsValidos += n(l['distintos']);
    } else if (l['triagem'] === 'sem-cpf') r.semCpf += qtd;
    else {
      // One normalised value always gets the same reason, so the distinct values of the reasons add up.
      const m = porMotivo[l['motivo'] as MotivoCpfInvalido];
      m.linhas += qtd;
      m.valoresDistintos += n(l['distintos']);
      r.cpfsInvalidos.linhas += qtd;
      r.cpfsInvalidos.valoresDistintos += n(l['distintos']);
    }
  }
  r.cpfsUnicos = r.cpfsValidos + r.cpfsInvalidos.valoresDistintos;
  return { linhas: total, triagem: r };
}

/** Triage of every keyed row of this load now in staging (called at the end of `lendo`). */
export async function contarTriagemDaCarga(cliente: pg.ClientBase, cargaId: string): Promise<TriagemDasLinhas> {
  return (await contarTriagem(consultaDoCliente(cliente), 'carga_staging', 'carga_id = $1', [cargaId])).triagem;
}

async function contarPorVinculo(consulta: Consulta, tabela: 'carga_staging' | 'linha_carga', filtro: string, parametros: unknown[]): Promise<Omit<CategoriasVinculo, 'pendentes' | 'itensDeRevisaoAbertos'>> {
  const linhas = await consulta(
    `SELECT coalesce(vinculo, '') AS vinculo, count(*) AS linhas, count(*) FILTER (WHERE cpf_de_outra_pessoa) AS outra
       FROM ${tabela} WHERE ${filtro} GROUP BY 1`,
    parametros,
  );
  const porVinculo = Object.fromEntries(VINCULOS.map((v) => [v, 0])) as Record<Vinculo, number>;
  let cpfDeOutraPessoa = 0;
  for (const l of linhas) {
    if ((VINCULOS as readonly string[]).includes(l['vinculo'] as string)) porVinculo[l['vinculo'] as Vinculo] = n(l['linhas']);
    cpfDeOutraPessoa += n(l['outra']);
  }
  return { cpfDeOutraPessoa, fundidos: porVinculo.cpf, casadosSemCpf: porVinculo.probabilistico, emQuarentena: porVinculo.quarentena, porVinculo };
}

interface LinhaDaCarga {
  id: string;
  fonte: string;
  fonte_pmcc: string;
  cmbd_sigla: string;
  cmbd_fonte_carga: string;
  arquivo: string;
  arquivo_sha256: string;
  arquivo_bytes: string;
  situacao: DiagnosticoCarga['carga']['situacao'];
  fase: Fase;
  linhas_confirmadas: string;
  observado_em: Date;
  iniciada_por: string;
  iniciada_em: Date;
  concluida_em: Date | null;
  erro: string | null;
  diagnostico: EstadoCarga | DiagnosticoCarga | null;
}

const COLUNAS_CARGA = `id::text AS id, fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes::text AS arquivo_bytes,
  situacao, fase, linhas_confirmadas::text AS linhas_confirmadas, observado_em, iniciada_por, iniciada_em, concluida_em, erro, diagnostico`;

/** Who wrote the values of a load in `valor_campo.ator` (entrada-unica/persistir.ts, `nomeDoAtor` of a `carga` actor). */
const atorDaCarga = (c: Pick<LinhaDaCarga, 'id' | 'fonte_pmcc'>) => `carga:${c.fonte_pmcc}:${c.id}`;

/**
 * The diagnosis of one load computed from the database as it is now: the reading counters and triage kept in
 * `carga.diagnostico` (live over staging while the load is still in `lendo`), the linkage categories over the load's
 * staging rows. Called by the orchestrator inside `registrando`, before the staging rows are deleted.
 */
export async function calcularDiagnosticoDaCarga(consulta: Consulta, cargaId: string): Promise<DiagnosticoCarga> {
  const [c] = (await consulta(`SELECT ${COLUNAS_CARGA} FROM carga WHERE id = $1`, [cargaId])) as unknown as LinhaDaCarga[];
  if (!c) throw new Error(`carga ${cargaId} não existe`);
  const estado: EstadoCarga = c.diagnostico && 'leitura' in c.diagnostico ? c.diagnostico : { leitura: { semChave: 0, linhasEmStaging: 0 }, fases: {} };
  const triagem = estado.leitura.triagem ?? (await contarTriagem(consulta, 'carga_staging', 'carga_id = $1', [cargaId])).triagem;
  const vinculos = await contarPorVinculo(consulta, 'carga_staging', 'carga_id = $1', [cargaId]);
  const [ids] = await consulta(`SELECT count(*) AS novas, count(*) FILTER (WHERE situacao = 'pendente') AS pendentes FROM identidade WHERE carga_id = $1`, [cargaId]);
  // Field review items this load opened: the open items (few: conflicts only), each joined by primary key to the value
  // it names, whose author is this load. (Filtering by the CPFs staged as well made the planner join every staged row.)
  const [campos] = await consulta(
    `SELECT count(*) AS n FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id
      WHERE r.entidade = 'pessoa' AND r.situacao <> 'resolvida' AND v.tipo_ator = 'carga' AND v.ator = $1`,
    [atorDaCarga(c)],
  );
  const [vinculo] = await consulta(`SELECT count(*) AS n FROM revisao_vinculo WHERE carga_id = $1 AND situacao = 'aberta'`, [cargaId]);
  return {
    carga: descreverCarga(c),
    registrosLidos: Number(c.linhas_confirmadas) + (estado.leitura.linhasIlegiveis?.total ?? 0),
    ...triagem,
    ...vinculos,
    novasIdentidades: n(ids?.['novas']),
    pendentes: n(ids?.['pendentes']),
    itensDeRevisaoAbertos: { campos: n(campos?.['n']), vinculo: n(vinculo?.['n']) },
    linhasIlegiveis: estado.leitura.linhasIlegiveis ?? linhasIlegiveisVazias(),
    semChave: estado.leitura.semChave,
    chavesDuplicadas: estado.leitura.chavesDuplicadas ?? 0,
    inalterados: estado.leitura.inalterados ?? 0,
    fases: estado.fases,
  };
}

function descreverCarga(c: LinhaDaCarga): DiagnosticoCarga['carga'] {
  return {
    id: c.id, fonte: c.fonte, fontePmcc: c.fonte_pmcc, cmbd: { sigla: c.cmbd_sigla, fonteCarga: c.cmbd_fonte_carga }, arquivo: c.arquivo,
    arquivoSha256: c.arquivo_sha256, arquivoBytes: Number(c.arquivo_bytes), situacao: c.situacao, fase: c.fase, linhasConfirmadas: Number(c.linhas_confirmadas),
    observadoEm: new Date(c.observado_em).toISOString(), iniciadaPor: c.iniciada_por, iniciadaEm: new Date(c.iniciada_em).toISOString(),
    concluidaEm: c.concluida_em === null ? null : new Date(c.concluida_em).toISOString(), erro: c.erro,
  };
}

/**
 * Guardian's CPFs load `d` took off a child's golden id, whose master record it rebuilt for the CPF's owner
 * (`particionando` steps 3a and 5b, counted in its phase counts; 0 before the phase ran).
 */
export function cpfsDevolvidosAoTitular(d: Pick<DiagnosticoCarga, 'fases'>): number {
  const p = d.fases.particionando ?? {};
  return (p['cpfsDoResponsavelRetirados'] ?? 0) + (p['cpfsDoResponsavelRetiradosPeloProprio'] ?? 0);
}

/**
 * The diagnosis of load `cargaId`: the one stored when it completed; for a load still running or failed, what is
 * known so far (computed now). Throws when the load does not exist.
 */
export async function diagnosticoDaCarga(ds: DataSource, cargaId: string): Promise<DiagnosticoCarga> {
  const consulta = consultaDoDataSource(ds);
  const [c] = (await consulta(`SELECT ${COLUNAS_CARGA} FROM carga WHERE id = $1`, [cargaId])) as unknown as LinhaDaCarga[];
  if (!c) throw new Error(`carga ${cargaId} não existe`);
  if (c.situacao === 'concluida' && c.diagnostico && 'carga' in c.diagnostico) return c.diagnostico;
  return calcularDiagnosticoDaCarga(consulta, cargaId);
}

/** The diagnosis of the whole base: every row in `linha_carga`, every identity, every open review item. */
export async function diagnosticoDaBase(ds: DataSource): Promise<DiagnosticoBase> {
  const consulta = consultaDoDataSource(ds);
  const { linhas, triagem } = await contarTriagem(consulta, 'linha_carga', 'true', []);
  const vinculos = await contarPorVinculo(consulta, 'linha_carga', 'true', []);
  const [ids] = await consulta(
    `SELECT count(*) FILTER (WHERE situacao = 'ativa') AS ativas, count(*) FILTER (WHERE situacao = 'pendente') AS pendentes,
            count(*) FILTER (WHERE situacao = 'fundida') AS fundidas FROM identidade`,
  );
  const [revisoes] = await consulta(
    `SELECT (SELECT count(*) FROM revisao WHERE situacao <> 'resolvida') AS campos,
            (SELECT count(*) FROM revisao_vinculo WHERE situacao = 'aberta') AS vinculo`,
  );
  const porFonte = await consulta(`SELECT fonte, count(*) AS n FROM linha_carga GROUP BY fonte ORDER BY fonte`);
  // The phases' own counts, kept in every load's diagnosis (one row per load: no scan of the base), summed by the
  // same function that gives one load's.
  const fasesDasCargas = await consulta(`SELECT diagnostico->'fases' AS fases FROM carga WHERE diagnostico ? 'fases'`);
  const devolvidos = fasesDasCargas.reduce((t, c) => t + cpfsDevolvidosAoTitular({ fases: c['fases'] as DiagnosticoCarga['fases'] }), 0);
  const [cargas] = await consulta(
    `SELECT count(*) FILTER (WHERE situacao = 'concluida') AS concluidas, count(*) FILTER (WHERE situacao = 'em-andamento') AS em_andamento,
            count(*) FILTER (WHERE situacao = 'falhou') AS falharam FROM carga`,
  );
  return {
    registrosLidos: linhas,
    ...triagem,
    ...vinculos,
    pendentes: n(ids?.['pendentes']),
    itensDeRevisaoAbertos: { campos: n(revisoes?.['campos']), vinculo: n(revisoes?.['vinculo']) },
    cpfsDevolvidosAoTitular: devolvidos,
    identidades: { ativas: n(ids?.['ativas']), pendentes: n(ids?.['pendentes']), fundidas: n(ids?.['fundidas']) },
    linhasPorFonte: Object.fromEntries(porFonte.map((l) => [l['fonte'] as string, n(l['n'])])),
    cargas: { concluidas: n(cargas?.['concluidas']), emAndamento: n(cargas?.['em_andamento']), falharam: n(cargas?.['falharam']) },
  };
}
