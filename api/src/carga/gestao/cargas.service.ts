/**
 * What stewards see of the batch loads: the requests in the queue (BullMQ job: state, progress, error) and the loads
 * themselves (`carga` rows: phase, checkpoint, dates, the diagnosis once done). A job is linked to its `carga` row by
 * source + file sha256 (the processor records the hash in the job before the load starts). Every read is audited.
 */
import { basename } from 'node:path';
import type { DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../../auditoria/auditoria.service.js';
import { NaoEncontrado } from '../../errors/nao-encontrado.error.js';
import { relogio } from '../../relogio.js';
import { diagnosticoDaBase, diagnosticoDaCarga, type DiagnosticoCarga } from '../diagnostico.js';
import { FASES, type Fase } from '../fases.js';
import { categoriasDoDiagnostico, type CategoriasDiagnostico } from './categorias.js';
import { arquivoDeEntrada, mapeamentoDaFonte } from './entrada.js';
import { enfileirarCarga, idDoPedidoDeCarga, naFila, type FilaCarga, type JobCarga, type ProgressoCarga, type ResultadoPedido } from './fila.js';
import { cargaDoArquivo } from './processador.js';

export const SITUACOES_CARGA = ['em-andamento', 'concluida', 'falhou'] as const;
export const SITUACOES_PEDIDO = ['aguardando', 'em-andamento', 'concluida', 'falhou'] as const;
type SituacaoPedido = (typeof SITUACOES_PEDIDO)[number];

/** A load (`carga` row). */
export interface CargaJson {
  id: string;
  fonte: string;
  /** File name (the path's last part). */
  arquivo: string;
  situacao: (typeof SITUACOES_CARGA)[number];
  fase: Fase;
  /** Rows committed to staging so far (the resume point of the reading phase). */
  linhasConfirmadas: number;
  cmbd: { sigla: string; fonteCarga: string };
  iniciadaPor: string;
  iniciadaEm: string;
  atualizadaEm: string;
  concluidaEm: string | null;
  erro: string | null;
  /** The source document's categories, once the load is complete. */
  diagnostico: CategoriasDiagnostico | null;
}

/** A steward's request to load a file (BullMQ job). */
export interface PedidoCargaJson {
  id: string;
  fonte: string;
  arquivo: string;
  bytes: number;
  situacao: SituacaoPedido;
  progresso: ProgressoCarga | null;
  solicitadaPor: string;
  solicitadaEm: string;
  iniciadaEm: string | null;
  terminadaEm: string | null;
  erro: string | null;
  /** The load this request runs or ran, once the worker has started it. */
  carga: CargaJson | null;
}

interface LinhaCarga {
  id: string;
  fonte: string;
  arquivo: string;
  situacao: CargaJson['situacao'];
  fase: Fase;
  linhas_confirmadas: string;
  cmbd_sigla: string;
  cmbd_fonte_carga: string;
  iniciada_por: string;
  iniciada_em: Date;
  atualizada_em: Date;
  concluida_em: Date | null;
  erro: string | null;
}

const COLUNAS = `id::text AS id, fonte, arquivo, situacao, fase, linhas_confirmadas::text AS linhas_confirmadas, cmbd_sigla, cmbd_fonte_carga,
  iniciada_por, iniciada_em, atualizada_em, concluida_em, erro`;

async function cargaParaJson(ds: DataSource, l: LinhaCarga): Promise<CargaJson> {
  return {
    id: l.id,
    fonte: l.fonte,
    arquivo: basename(l.arquivo),
    situacao: l.situacao,
    fase: l.fase,
    linhasConfirmadas: Number(l.linhas_confirmadas),
    cmbd: { sigla: l.cmbd_sigla, fonteCarga: l.cmbd_fonte_carga },
    iniciadaPor: l.iniciada_por,
    iniciadaEm: l.iniciada_em.toISOString(),
    atualizadaEm: l.atualizada_em.toISOString(),
    concluidaEm: l.concluida_em?.toISOString() ?? null,
    erro: l.erro,
    diagnostico: l.situacao === 'concluida' ? await categoriasDaCarga(ds, l.id) : null,
  };
}

/** The diagnosis of a completed load (typed loosely on purpose: the pipeline may answer null for a load it has none of). */
async function categoriasDaCarga(ds: DataSource, id: string): Promise<CategoriasDiagnostico | null> {
  const d: DiagnosticoCarga | null | undefined = await diagnosticoDaCarga(ds, id);
  return d ? categoriasDoDiagnostico(d) : null;
}

async function lerCarga(ds: DataSource, id: string): Promise<CargaJson | null> {
  const [l] = await ds.query<LinhaCarga[]>(`SELECT ${COLUNAS} FROM carga WHERE id = $1`, [id]);
  return l ? cargaParaJson(ds, l) : null;
}

function progressoDe(p: unknown): ProgressoCarga | null {
  if (typeof p !== 'object' || p === null) return null;
  const { fase, feitas, total } = p as Record<string, unknown>;
  if (!(FASES as readonly unknown[]).includes(fase) || typeof feitas !== 'number' || !(total === null || typeof total === 'number')) return null;
  return { fase: fase as Fase, feitas, total };
}

function situacaoDoJob(estado: string): SituacaoPedido {
  if (estado === 'active') return 'em-andamento';
  if (estado === 'completed') return 'concluida';
  if (estado === 'failed') return 'falhou';
  return 'aguardando';
}

const iso = (ms: number | undefined): string | null => (ms === undefined || ms === null ? null : new Date(ms).toISOString());

/**
 * A request's job and its state, the state read first: a job read first and its state after could be a job read
 * while running and a state read once it completed — 'concluida' without the load its result names.
 */
async function jobComEstado(fila: FilaCarga, id: string): Promise<{ job: JobCarga | undefined; estado: string }> {
  const estado = await fila.getJobState(id);
  const job = (await fila.getJob(id)) ?? undefined;
  return { job, estado: job ? estado : 'unknown' };
}

async function pedidoParaJson(ds: DataSource, job: JobCarga, estado: string): Promise<PedidoCargaJson> {
  const situacao = situacaoDoJob(estado);
  const cargaId = situacao === 'concluida' ? job.returnvalue?.cargaId ?? null : job.data.sha256 ? await cargaDoArquivo(ds, job.data.fonte, job.data.sha256) : null;
  return {
    id: String(job.id),
    fonte: job.data.fonte,
    arquivo: job.data.arquivo,
    bytes: job.data.bytes,
    situacao,
    progresso: progressoDe(job.progress),
    solicitadaPor: job.data.solicitadaPor,
    solicitadaEm: job.data.solicitadaEm,
    iniciadaEm: iso(job.processedOn),
    terminadaEm: situacao === 'concluida' || situacao === 'falhou' ? iso(job.finishedOn) : null,
    erro: situacao === 'falhou' ? job.failedReason || 'falha sem mensagem' : null,
    carga: cargaId ? await lerCarga(ds, cargaId) : null,
  };
}

/** The request `id` (job id); 404 when the queue no longer holds it (jobs are kept 90 days). */
export async function lerPedido(ds: DataSource, fila: FilaCarga, id: string, ctx: ContextoAuditoria): Promise<PedidoCargaJson> {
  const { job, estado } = await naFila(() => jobComEstado(fila, id));
  if (!job || estado === 'unknown') throw new NaoEncontrado(`Pedido de carga ${id} não encontrado (a fila guarda os pedidos por 90 dias; as cargas ficam em GET /cargas)`);
  const pedido = await pedidoParaJson(ds, job, estado);
  await registrarAuditoria(ds.manager, { ...ctx, acao: 'carga.pedido-lido', detalhe: { pedido: id, carga: pedido.carga?.id ?? null } });
  return pedido;
}

/**
 * `POST /cargas`: checks the source and the file (in the inbox), then enqueues the load (idempotent per file, see
 * fila.ts). The audit row and the job are written together: if Redis refuses, the audit row is rolled back (503).
 */
export async function solicitarCarga(
  ds: DataSource,
  fila: FilaCarga,
  onde: { cargaDiretorio: string; dirFontes: string },
  pedido: { fonte: string; arquivo: string },
  ctx: ContextoAuditoria & { username: string },
): Promise<{ pedido: PedidoCargaJson; resultado: ResultadoPedido }> {
  await mapeamentoDaFonte(onde.dirFontes, pedido.fonte);
  const entrada = await arquivoDeEntrada(onde.cargaDiretorio, pedido.arquivo);
  const dados = {
    fonte: pedido.fonte, arquivo: pedido.arquivo, bytes: entrada.bytes, modificadoEmMs: entrada.modificadoEmMs,
    solicitadaPor: ctx.username, solicitadaEm: relogio().agora().toISOString(),
  };
  const id = idDoPedidoDeCarga(dados);
  const resultado = await ds.transaction(async (m) => {
    await registrarAuditoria(m, { ...ctx, acao: 'carga.solicitada', detalhe: { pedido: id, fonte: pedido.fonte, arquivo: pedido.arquivo, bytes: entrada.bytes } });
    return (await naFila(() => enfileirarCarga(fila, dados))).resultado;
  });
  const { job, estado } = await naFila(() => jobComEstado(fila, id));
  if (!job) throw new NaoEncontrado(`Pedido de carga ${id} não encontrado logo após ser criado (removido da fila?)`);
  return { pedido: await pedidoParaJson(ds, job, estado), resultado };
}

/** Requests still waiting or running (at most 50, oldest first). */
async function pedidosEmAberto(ds: DataSource, fila: FilaCarga): Promise<PedidoCargaJson[]> {
  const jobs = await naFila(async () => {
    const lista = await fila.getJobs(['active', 'waiting', 'prioritized', 'delayed'], 0, 49, true);
    return Promise.all(lista.map((j) => jobComEstado(fila, String(j.id))));
  });
  return Promise.all(jobs.filter((j): j is { job: JobCarga; estado: string } => j.job !== undefined && j.estado !== 'unknown').map((j) => pedidoParaJson(ds, j.job, j.estado)));
}

export interface ListaCargas {
  itens: CargaJson[];
  limit: number;
  offset: number;
  proximoOffset: number | null;
  /** Requests waiting or running in the queue (null when the queue is not reachable from this process). */
  naFila: PedidoCargaJson[] | null;
}

async function listar(ds: DataSource, fila: FilaCarga | null, f: { limit: number; offset: number; fonte?: string }): Promise<ListaCargas> {
  const linhas = await ds.query<LinhaCarga[]>(
    `SELECT ${COLUNAS} FROM carga WHERE ($1::text IS NULL OR fonte = $1) ORDER BY id DESC LIMIT $2 OFFSET $3`,
    [f.fonte ?? null, f.limit + 1, f.offset],
  );
  const itens = await Promise.all(linhas.slice(0, f.limit).map((l) => cargaParaJson(ds, l)));
  return {
    itens, limit: f.limit, offset: f.offset, proximoOffset: linhas.length > f.limit ? f.offset + f.limit : null,
    // The loads are in PostgreSQL: they are listed even when Redis does not answer (then `naFila` is null).
    naFila: fila ? await pedidosEmAberto(ds, fila).catch(() => null) : null,
  };
}

/** Recent loads first, and the requests in the queue. */
export async function listarCargas(ds: DataSource, fila: FilaCarga | null, f: { limit: number; offset: number; fonte?: string }, ctx: ContextoAuditoria): Promise<ListaCargas> {
  const lista = await listar(ds, fila, f);
  await registrarAuditoria(ds.manager, { ...ctx, acao: 'carga.listada', detalhe: { cargas: lista.itens.map((c) => c.id), fonte: f.fonte ?? null } });
  return lista;
}

export interface DiagnosticoDaBaseJson {
  geradoEm: string;
  diagnostico: CategoriasDiagnostico;
}

async function diagnosticoBase(ds: DataSource): Promise<DiagnosticoDaBaseJson> {
  return { geradoEm: relogio().agora().toISOString(), diagnostico: categoriasDoDiagnostico(await diagnosticoDaBase(ds)) };
}

export async function lerDiagnosticoDaBase(ds: DataSource, ctx: ContextoAuditoria): Promise<DiagnosticoDaBaseJson> {
  const d = await diagnosticoBase(ds);
  await registrarAuditoria(ds.manager, { ...ctx, acao: 'carga.diagnostico-lido', detalhe: {} });
  return d;
}

/** Everything the stewards' page shows: the whole-base diagnosis, the 20 latest loads, the queue. */
export async function dadosDoPainel(ds: DataSource, fila: FilaCarga | null, ctx: ContextoAuditoria): Promise<{ base: DiagnosticoDaBaseJson; cargas: ListaCargas }> {
  const [base, cargas] = await Promise.all([diagnosticoBase(ds), listar(ds, fila, { limit: 20, offset: 0 })]);
  await registrarAuditoria(ds.manager, { ...ctx, acao: 'carga.painel-lido', detalhe: { cargas: cargas.itens.map((c) => c.id) } });
  return { base, cargas };
}
