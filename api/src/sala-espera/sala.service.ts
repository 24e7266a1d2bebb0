/**
 * Sala de Espera (issue 13): the pending request of an account that does not meet what a client requires, what the
 * citizen supplies to it (complementary data validated by their check digits, documents), and the organ's review.
 * Plain SQL on `pedido_sala` / `documento_sala` (migration 1765400000000); every read and write is audited.
 */
import { randomUUID, createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import type { Orgao } from '../auth/papeis.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { registrarSaida } from '../keycloak-sync/saida.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { ehCnsValido, ehNisValido, normalizarNumero } from './numeros.js';
import type { ReferenciaSala } from './referencia.js';
import { dadosVerificadosDaConta } from './dados-verificados.js';
import { cancelar, lerHorario, marcar, presencialDoPedido, type PresencialJson } from './agendamento.js';
import { DADOS_COMPLEMENTARES, type DadoComplementar } from './requisitos.js';

export const SITUACOES_PEDIDO = ['aguardando-cidadao', 'em-analise', 'complementacao-solicitada', 'aprovado', 'recusado'] as const;
export type SituacaoPedido = (typeof SITUACOES_PEDIDO)[number];
const ABERTAS: readonly SituacaoPedido[] = ['aguardando-cidadao', 'em-analise', 'complementacao-solicitada'];

/** Upload limits: size, count per request, and the content types accepted (sniffed from the bytes, never declared). */
export const LIMITES_DOCUMENTO = { bytes: 5 * 1024 * 1024, porPedido: 10, tipos: ['application/pdf', 'image/jpeg', 'image/png'] as const };

interface DocumentoJson {
  id: string;
  tipo: string;
  tamanho: number;
  nomeOriginal: string;
  enviadoEm: string;
}

export interface PedidoJson {
  id: string;
  cliente: string;
  nomeCliente: string;
  orgao: string;
  nivelExigido: number;
  dadosExigidos: DadoComplementar[];
  situacao: SituacaoPedido;
  /** Which complementary data the citizen already informed (never echoed back whole: the last 4 digits). */
  dadosInformados: Partial<Record<DadoComplementar, string>>;
  responsavel: string | null;
  motivo: string | null;
  documentos: DocumentoJson[];
  criadoEm: string;
  atualizadoEm: string;
}

interface LinhaPedido {
  id: string;
  conta_id: string;
  cpf: string;
  cliente: string;
  nome_cliente: string;
  orgao: string;
  nivel_exigido: number;
  dados_exigidos: string[];
  situacao: SituacaoPedido;
  dados_informados: Record<string, string>;
  responsavel: string | null;
  motivo: string | null;
  evidencia: Record<string, unknown> | null;
  criado_em: Date;
  atualizado_em: Date;
}

interface LinhaDocumento {
  id: string;
  pedido_id: string;
  tipo_mime: string;
  tamanho: number;
  sha256: string;
  nome_original: string;
  arquivo: string;
  enviado_em: Date;
}

const mascarar = (v: string): string => `${'•'.repeat(Math.max(0, v.length - 4))}${v.slice(-4)}`;

function paraJson(p: LinhaPedido, docs: readonly LinhaDocumento[], completo = false): PedidoJson {
  return {
    id: p.id,
    cliente: p.cliente,
    nomeCliente: p.nome_cliente,
    orgao: p.orgao,
    nivelExigido: p.nivel_exigido,
    dadosExigidos: p.dados_exigidos as DadoComplementar[],
    situacao: p.situacao,
    dadosInformados: Object.fromEntries(Object.entries(p.dados_informados).map(([k, v]) => [k, completo ? v : mascarar(v)])),
    responsavel: p.responsavel,
    motivo: p.motivo,
    documentos: docs.map((d) => ({ id: d.id, tipo: d.tipo_mime, tamanho: d.tamanho, nomeOriginal: d.nome_original, enviadoEm: d.enviado_em.toISOString() })),
    criadoEm: p.criado_em.toISOString(),
    atualizadoEm: p.atualizado_em.toISOString(),
  };
}

const COLUNAS = 'id::text, conta_id::text, cpf, cliente, nome_cliente, orgao, nivel_exigido, dados_exigidos, situacao, dados_informados, responsavel, motivo, evidencia, criado_em, atualizado_em';

/** An UPDATE … RETURNING through TypeORM answers `[rows, affected]`: the one row it returned. */
async function atualizar(manager: EntityManager, sql: string, params: unknown[]): Promise<LinhaPedido> {
  const [linhas] = await manager.query<[LinhaPedido[], number]>(sql, params);
  return linhas[0];
}

async function documentosDe(manager: EntityManager, pedidoId: string): Promise<LinhaDocumento[]> {
  return manager.query<LinhaDocumento[]>(
    `SELECT id::text, pedido_id::text, tipo_mime, tamanho, sha256, nome_original, arquivo, enviado_em FROM documento_sala WHERE pedido_id = $1 ORDER BY enviado_em, id`,
    [pedidoId],
  );
}

/** The citizen as an audit actor: the account's Keycloak id, through the client that sent them to the room. */
const contextoCidadao = (ref: ReferenciaSala): ContextoAuditoria => ({ ator: ref.sub, cliente: ref.cliente, finalidade: 'sala-de-espera' });

interface SituacaoDaConta {
  nivel: number;
  /** Complementary data the account already has verified (approved requests). */
  dadosVerificados: DadoComplementar[];
  /** No change of the account is waiting in the outbox: Keycloak holds what the API holds (level, data). */
  sincronizada: boolean;
}

export interface VisaoCidadao {
  pedido: PedidoJson;
  conta: SituacaoDaConta;
  /** What still stands between the account and the service, in the order the page lists it. */
  faltam: { nivel: boolean; dados: DadoComplementar[] };
  /** The in-person step at a Descomplica point (level 4): whether needed, the booking, the free slots. */
  presencial: PresencialJson;
}

/**
 * Opens (or finds) the account's open request for the client of the reference and returns the citizen's view.
 * A later reference with a higher requirement raises the open request's; never lowers it. Audited as a read.
 */
export async function abrirPedido(dataSource: DataSource, ref: ReferenciaSala): Promise<VisaoCidadao> {
  return dataSource.transaction(async (manager) => {
    const conta = await manager.findOne(Conta, { where: { keycloakUserId: ref.sub }, lock: { mode: 'pessimistic_write' } });
    if (!conta || conta.situacao !== 'ativa') {
      throw new Conflito('Sua conta ainda não chegou ao cadastro da Prefeitura; tente de novo em alguns minutos pelo serviço que você estava acessando');
    }
    let [p] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE conta_id = $1 AND cliente = $2 AND situacao <> ALL($3) FOR UPDATE`, [
      ref.sub, ref.cliente, ['aprovado', 'recusado'],
    ]);
    if (!p) {
      // a request closed (approved, refused) after this reference was issued: the citizen comes back to see the answer
      const [fechado] = await manager.query<LinhaPedido[]>(
        `SELECT ${COLUNAS} FROM pedido_sala WHERE conta_id = $1 AND cliente = $2 AND atualizado_em >= to_timestamp($3) ORDER BY atualizado_em DESC, id LIMIT 1`,
        [ref.sub, ref.cliente, ref.emitidaEm],
      );
      if (fechado) return visao(manager, fechado, conta, contextoCidadao(ref), 'sala.pedido-lido');
    }
    if (!p) {
      [p] = await manager.query<LinhaPedido[]>(
        `INSERT INTO pedido_sala (conta_id, cpf, cliente, nome_cliente, orgao, nivel_exigido, dados_exigidos) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUNAS}`,
        [ref.sub, ref.cpf, ref.cliente, ref.nomeCliente, ref.orgao, ref.nivel, ref.dados],
      );
      await registrarAuditoria(manager, { ...contextoCidadao(ref), acao: 'sala.pedido-aberto', pessoaCpf: conta.pessoaCpf, campos: [], detalhe: { pedidoId: p.id, nivel: ref.nivel, dados: ref.dados, orgao: ref.orgao } });
    } else if (ref.nivel > p.nivel_exigido || ref.dados.some((d) => !p.dados_exigidos.includes(d))) {
      p = await atualizar(manager, 
        `UPDATE pedido_sala SET nivel_exigido = GREATEST(nivel_exigido, $2), dados_exigidos = ARRAY(SELECT DISTINCT unnest(dados_exigidos || $3::text[]) ORDER BY 1), atualizado_em = now() WHERE id = $1 RETURNING ${COLUNAS}`,
        [p.id, ref.nivel, ref.dados],
      );
    }
    return visao(manager, p, conta, contextoCidadao(ref), 'sala.pedido-lido');
  });
}

async function visao(manager: EntityManager, p: LinhaPedido, conta: Conta, ctx: ContextoAuditoria, acao: string): Promise<VisaoCidadao> {
  const docs = await documentosDe(manager, p.id);
  const dadosVerificados = await dadosVerificadosDaConta(manager, conta.keycloakUserId);
  const nivel = Number(conta.nivelConfianca);
  const [{ pendentes }] = await manager.query<Array<{ pendentes: number }>>(
    `SELECT count(*)::int AS pendentes FROM sincronizacao_saida WHERE conta_id = $1 AND situacao = 'pendente'`, [conta.keycloakUserId],
  ) as [{ pendentes: number }];
  await registrarAuditoria(manager, { ...ctx, acao, pessoaCpf: conta.pessoaCpf, campos: ['nivel_confianca', ...p.dados_exigidos], detalhe: { pedidoId: p.id } });
  return {
    pedido: paraJson(p, docs),
    conta: { nivel, dadosVerificados, sincronizada: pendentes === 0 },
    faltam: { nivel: nivel < p.nivel_exigido, dados: (p.dados_exigidos as DadoComplementar[]).filter((d) => !dadosVerificados.includes(d)) },
    presencial: await presencialDoPedido(manager, conta.keycloakUserId, p.nivel_exigido, nivel),
  };
}

/**
 * Books (`horario`: `<ponto>|<ISO instant>`) or cancels (`horario` null) the in-person step of the reference's open
 * request (agendamento.ts); audited; returns the citizen's view.
 */
export async function agendarPresencial(dataSource: DataSource, ref: ReferenciaSala, horario: unknown): Promise<VisaoCidadao> {
  const escolhido = horario === null ? null : lerHorario(horario);
  return dataSource.transaction(async (manager) => {
    const [p] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE conta_id = $1 AND cliente = $2 AND situacao = ANY($3) FOR UPDATE`, [
      ref.sub, ref.cliente, ABERTAS,
    ]);
    if (!p) throw new NaoEncontrado('Não há pedido aberto na Sala de Espera para este serviço; entre de novo pelo serviço que você estava acessando');
    const conta = await manager.findOneOrFail(Conta, { where: { keycloakUserId: ref.sub } });
    if (escolhido) await marcar(manager, p, Number(conta.nivelConfianca), escolhido, contextoCidadao(ref), conta.pessoaCpf);
    else await cancelar(manager, p, contextoCidadao(ref), conta.pessoaCpf);
    return visao(manager, p, conta, contextoCidadao(ref), 'sala.pedido-lido');
  });
}

/** The open request a reference names, locked; 404 when there is none (the page opens it first). */
async function pedidoAbertoDaReferencia(manager: EntityManager, ref: ReferenciaSala): Promise<LinhaPedido> {
  const [p] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE conta_id = $1 AND cliente = $2 AND situacao = ANY($3) FOR UPDATE`, [
    ref.sub, ref.cliente, ABERTAS,
  ]);
  if (!p) throw new NaoEncontrado('Não há pedido aberto na Sala de Espera para este serviço; entre de novo pelo serviço que você estava acessando');
  if (p.situacao === 'em-analise' && p.responsavel !== null) {
    throw new RegraDeNegocioViolada('Seu pedido já está em análise pelo órgão; aguarde a resposta (se faltar algo, o órgão vai pedir)');
  }
  return p;
}

/** Moves a request whose inputs are complete (every datum informed, a document sent) to the organ's queue. */
async function talvezParaAnalise(manager: EntityManager, id: string): Promise<void> {
  await manager.query(
    `UPDATE pedido_sala p SET situacao = 'em-analise', atualizado_em = now()
      WHERE id = $1 AND situacao IN ('aguardando-cidadao', 'complementacao-solicitada')
        AND NOT EXISTS (SELECT 1 FROM unnest(p.dados_exigidos) d WHERE NOT (p.dados_informados ? d))
        AND EXISTS (SELECT 1 FROM documento_sala WHERE pedido_id = p.id)`,
    [id],
  );
}

/**
 * The citizen informs complementary data (`{ cns }`, `{ nis }`): only data the request asks for, each validated by
 * its check digits; a 400 with a pt-BR message writes nothing.
 */
export async function informarDados(dataSource: DataSource, ref: ReferenciaSala, corpo: Record<string, unknown>): Promise<VisaoCidadao> {
  const desconhecidos = Object.keys(corpo).filter((k) => k !== 'ref' && !(k in DADOS_COMPLEMENTARES));
  if (desconhecidos.length > 0) throw new DadosInvalidos(desconhecidos.map((k) => ({ path: k, message: `Campo desconhecido: ${k}` })));
  const valores: Partial<Record<DadoComplementar, string>> = {};
  const erros = [];
  for (const nome of Object.keys(DADOS_COMPLEMENTARES) as DadoComplementar[]) {
    if (!(nome in corpo) || corpo[nome] === '') continue;
    if (nome === 'cns') {
      const v = normalizarNumero(corpo[nome], 15);
      if (v === null) erros.push({ path: 'cns', message: 'O Número SUS (CNS) tem 15 dígitos' });
      else if (!ehCnsValido(v)) erros.push({ path: 'cns', message: 'Número SUS (CNS) inválido: confira os 15 dígitos no seu Cartão SUS' });
      else valores.cns = v;
    } else {
      const v = normalizarNumero(corpo[nome], 11);
      if (v === null) erros.push({ path: 'nis', message: 'O NIS tem 11 dígitos' });
      else if (!ehNisValido(v)) erros.push({ path: 'nis', message: 'NIS inválido: confira os 11 dígitos no cartão do programa social ou na carteira de trabalho' });
      else valores.nis = v;
    }
  }
  if (erros.length > 0) throw new DadosInvalidos(erros);
  if (Object.keys(valores).length === 0) throw new DadosInvalidos([{ path: '', message: 'Informe o dado pedido (Número SUS ou NIS)' }]);
  return dataSource.transaction(async (manager) => {
    const p = await pedidoAbertoDaReferencia(manager, ref);
    const naoPedidos = Object.keys(valores).filter((k) => !p.dados_exigidos.includes(k));
    if (naoPedidos.length > 0) throw new DadosInvalidos(naoPedidos.map((k) => ({ path: k, message: `Este serviço não pediu ${DADOS_COMPLEMENTARES[k as DadoComplementar].nome}` })));
    await manager.query(`UPDATE pedido_sala SET dados_informados = dados_informados || $2::jsonb, atualizado_em = now() WHERE id = $1`, [p.id, JSON.stringify(valores)]);
    const conta = await manager.findOneOrFail(Conta, { where: { keycloakUserId: ref.sub } });
    await registrarAuditoria(manager, { ...contextoCidadao(ref), acao: 'sala.dados-informados', pessoaCpf: conta.pessoaCpf, campos: Object.keys(valores), detalhe: { pedidoId: p.id } });
    await talvezParaAnalise(manager, p.id);
    const [atual] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE id = $1`, [p.id]);
    return visao(manager, atual, conta, contextoCidadao(ref), 'sala.pedido-lido');
  });
}

export interface ArquivoRecebido {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/**
 * Stores an uploaded document: type sniffed from the bytes (PDF, JPEG, PNG), size within the limit, at most
 * `LIMITES_DOCUMENTO.porPedido` per request. The bytes go to a file named by a random id in `dir` (mode 0600); the
 * row keeps type, size, SHA-256 and the original name. A refusal stores nothing.
 */
export async function enviarDocumento(dataSource: DataSource, dir: string, ref: ReferenciaSala, arquivo: ArquivoRecebido | undefined): Promise<VisaoCidadao> {
  if (!arquivo || arquivo.size === 0) throw DadosInvalidos.campo('documento', 'Envie um arquivo no campo documento (PDF, JPEG ou PNG, até 5 MB)');
  const tipo = await fileTypeFromBuffer(arquivo.buffer);
  if (!tipo || !(LIMITES_DOCUMENTO.tipos as readonly string[]).includes(tipo.mime)) {
    throw DadosInvalidos.campo('documento', 'Tipo de arquivo não aceito: envie um PDF, JPEG ou PNG (o conteúdo do arquivo é conferido, não só o nome)');
  }
  const nomeOriginal = (arquivo.originalname.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120) || 'documento').normalize('NFC');
  const chave = randomUUID();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caminho = path.join(dir, chave);
  await writeFile(caminho, arquivo.buffer, { mode: 0o600, flag: 'wx' });
  try {
    return await dataSource.transaction(async (manager) => {
      const p = await pedidoAbertoDaReferencia(manager, ref);
      const [{ n }] = await manager.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM documento_sala WHERE pedido_id = $1`, [p.id]) as [{ n: number }];
      if (n >= LIMITES_DOCUMENTO.porPedido) throw new RegraDeNegocioViolada(`Este pedido já tem ${LIMITES_DOCUMENTO.porPedido} documentos, o máximo`);
      const sha256 = createHash('sha256').update(arquivo.buffer).digest('hex');
      const [doc] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO documento_sala (pedido_id, tipo_mime, tamanho, sha256, nome_original, arquivo) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
        [p.id, tipo.mime, arquivo.size, sha256, nomeOriginal, chave],
      );
      await manager.query(`UPDATE pedido_sala SET atualizado_em = now() WHERE id = $1`, [p.id]);
      const conta = await manager.findOneOrFail(Conta, { where: { keycloakUserId: ref.sub } });
      await registrarAuditoria(manager, { ...contextoCidadao(ref), acao: 'sala.documento-enviado', pessoaCpf: conta.pessoaCpf, campos: ['documento'], detalhe: { pedidoId: p.id, documentoId: doc.id, tipo: tipo.mime, tamanho: arquivo.size, sha256 } });
      await talvezParaAnalise(manager, p.id);
      const [atual] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE id = $1`, [p.id]);
      return visao(manager, atual, conta, contextoCidadao(ref), 'sala.pedido-lido');
    });
  } catch (err) {
    await rm(caminho, { force: true });
    throw err;
  }
}

export interface DocumentoLido {
  tipo: string;
  nomeOriginal: string;
  conteudo: Buffer;
}

/** One document of a request, for its citizen (`quem.contaId`) or a steward of the reviewing organ; audited. */
export async function lerDocumento(
  dataSource: DataSource,
  dir: string,
  documentoId: string,
  quem: { contaId: string; ctx: ContextoAuditoria } | { orgaos: readonly Orgao[]; ctx: ContextoAuditoria; pedidoId: string },
): Promise<DocumentoLido> {
  return dataSource.transaction(async (manager) => {
    const [d] = await manager.query<Array<LinhaDocumento & { conta_id: string; orgao: string; cpf: string }>>(
      `SELECT d.id::text, d.pedido_id::text, d.tipo_mime, d.tamanho, d.sha256, d.nome_original, d.arquivo, d.enviado_em, p.conta_id::text, p.orgao, p.cpf
         FROM documento_sala d JOIN pedido_sala p ON p.id = d.pedido_id WHERE d.id = $1`,
      [documentoId],
    );
    const permitido = d !== undefined && ('contaId' in quem ? d.conta_id === quem.contaId : quem.orgaos.includes(d.orgao as Orgao) && d.pedido_id === quem.pedidoId);
    // someone else's document and a missing one answer the same
    if (!d || !permitido) throw new NaoEncontrado('Documento não encontrado');
    const conteudo = await readFile(path.join(dir, d.arquivo));
    if (createHash('sha256').update(conteudo).digest('hex') !== d.sha256) throw new Error(`documento ${d.id}: o arquivo não confere com o SHA-256 registrado`);
    const conta = await manager.findOne(Conta, { where: { keycloakUserId: d.conta_id }, select: { keycloakUserId: true, pessoaCpf: true } });
    await registrarAuditoria(manager, { ...quem.ctx, acao: 'sala.documento-lido', pessoaCpf: conta?.pessoaCpf ?? null, campos: ['documento'], detalhe: { pedidoId: d.pedido_id, documentoId: d.id } });
    return { tipo: d.tipo_mime, nomeOriginal: d.nome_original, conteudo };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The organ's side

/** The queue of the steward's organs (open requests first, oldest first); audited. */
export async function listarFila(dataSource: DataSource, orgaos: readonly Orgao[], situacao: SituacaoPedido | undefined, ctx: ContextoAuditoria): Promise<PedidoJson[]> {
  return dataSource.transaction(async (manager) => {
    const linhas = await manager.query<LinhaPedido[]>(
      `SELECT ${COLUNAS} FROM pedido_sala WHERE orgao = ANY($1) AND ($2::text IS NULL AND situacao = ANY($3) OR situacao = $2) ORDER BY criado_em, id LIMIT 200`,
      [orgaos, situacao ?? null, ABERTAS],
    );
    const out: PedidoJson[] = [];
    for (const p of linhas) out.push(paraJson(p, await documentosDe(manager, p.id)));
    await registrarAuditoria(manager, { ...ctx, acao: 'sala.fila-lida', campos: ['nivel_confianca', 'dados_complementares'], detalhe: { orgaos, situacao: situacao ?? 'abertas', pedidos: linhas.map((l) => l.id) } });
    return out;
  });
}

async function pedidoDoOrgao(manager: EntityManager, id: string, orgaos: readonly Orgao[]): Promise<LinhaPedido> {
  const [p] = await manager.query<LinhaPedido[]>(`SELECT ${COLUNAS} FROM pedido_sala WHERE id = $1 FOR UPDATE`, [id]);
  // another organ's request and a missing one answer the same
  if (!p || !orgaos.includes(p.orgao as Orgao)) throw new NaoEncontrado('Pedido não encontrado na fila do seu órgão');
  return p;
}

/** One request with the full data informed (the steward checks them against the documents); audited. */
export async function lerPedidoDaFila(dataSource: DataSource, id: string, orgaos: readonly Orgao[], ctx: ContextoAuditoria): Promise<PedidoJson & { cpf: string }> {
  return dataSource.transaction(async (manager) => {
    const p = await pedidoDoOrgao(manager, id, orgaos);
    await registrarAuditoria(manager, { ...ctx, acao: 'sala.pedido-lido-gestor', pessoaCpf: p.cpf, campos: ['cpf', ...p.dados_exigidos, 'documentos'], detalhe: { pedidoId: p.id } });
    return { ...paraJson(p, await documentosDe(manager, p.id), true), cpf: p.cpf };
  });
}

/** Claims a request for review (it leaves the citizen's hands until the steward answers). */
export async function assumirPedido(dataSource: DataSource, id: string, orgaos: readonly Orgao[], ctx: ContextoAuditoria & { username: string }): Promise<PedidoJson> {
  return dataSource.transaction(async (manager) => {
    const p = await pedidoDoOrgao(manager, id, orgaos);
    if (!ABERTAS.includes(p.situacao)) throw new Conflito(`O pedido já foi ${p.situacao === 'aprovado' ? 'aprovado' : 'recusado'}`);
    if (p.responsavel !== null && p.responsavel !== ctx.username) throw new Conflito(`O pedido já está com ${p.responsavel}`);
    const atual = await atualizar(manager, `UPDATE pedido_sala SET responsavel = $2, situacao = 'em-analise', atualizado_em = now() WHERE id = $1 RETURNING ${COLUNAS}`, [id, ctx.username]);
    await registrarAuditoria(manager, { ...ctx, acao: 'sala.pedido-assumido', pessoaCpf: p.cpf, campos: [], detalhe: { pedidoId: id } });
    return paraJson(atual, await documentosDe(manager, id), true);
  });
}

/** Each answer of the organ, kept for the citizen's notifications (Área do Cidadão, Mensagens). */
async function registrarDecisao(manager: EntityManager, p: LinhaPedido, decisao: 'aprovado' | 'recusado' | 'complementacao-solicitada', motivo: string | null): Promise<void> {
  await manager.query(`INSERT INTO decisao_sala (pedido_id, conta_id, decisao, motivo) VALUES ($1, $2, $3, $4)`, [p.id, p.conta_id, decisao, motivo]);
}

/** Rejects (`recusado`) or asks the citizen for more (`complementacao-solicitada`), with the reason in pt-BR. */
export async function responderPedido(
  dataSource: DataSource, id: string, orgaos: readonly Orgao[], ctx: ContextoAuditoria & { username: string }, resposta: 'recusado' | 'complementacao-solicitada', motivo: string,
): Promise<PedidoJson> {
  return dataSource.transaction(async (manager) => {
    const p = await pedidoDoOrgao(manager, id, orgaos);
    if (!ABERTAS.includes(p.situacao)) throw new Conflito(`O pedido já foi ${p.situacao === 'aprovado' ? 'aprovado' : 'recusado'}`);
    if (p.responsavel !== ctx.username) throw new Conflito(p.responsavel === null ? 'Assuma o pedido antes de respondê-lo' : `O pedido está com ${p.responsavel}`);
    const atual = await atualizar(manager, 
      `UPDATE pedido_sala SET situacao = $2, motivo = $3, atualizado_em = now() WHERE id = $1 RETURNING ${COLUNAS}`,
      [id, resposta, motivo],
    );
    await registrarAuditoria(manager, { ...ctx, acao: resposta === 'recusado' ? 'sala.pedido-recusado' : 'sala.complementacao-solicitada', pessoaCpf: p.cpf, campos: [], detalhe: { pedidoId: id, motivo } });
    await registrarDecisao(manager, p, resposta, motivo);
    return paraJson(atual, await documentosDe(manager, id), true);
  });
}

export interface EvidenciaAprovacao {
  /** What the steward checked, in their words (pt-BR). */
  descricao: string;
  /** The documents of the request the steward checked (at least one). */
  documentos: string[];
}

export interface ResultadoAprovacao {
  pedido: PedidoJson;
  recalculo: ResultadoRecalculo;
  /** Outbox row of the change Keycloak must receive (level or complementary data); null when nothing changed there. */
  saidaId: string | null;
}

/**
 * Approves: the evidence (`documento-conferido-orgao`, tied to the master record with the account's CPF, which must
 * exist — see the route, which creates it through Entrada Única when the steward supplies the civil data) and the
 * complementary data are recorded, the level is recomputed, and the outbox row that takes level and data to Keycloak
 * is written in the same transaction (reason `dados-complementares` when the level did not move).
 */
export async function aprovarPedido(
  dataSource: DataSource, id: string, orgaos: readonly Orgao[], ctx: ContextoAuditoria & { username: string }, evidencia: EvidenciaAprovacao,
): Promise<ResultadoAprovacao> {
  return dataSource.transaction(async (manager) => {
    const p = await pedidoDoOrgao(manager, id, orgaos);
    if (!ABERTAS.includes(p.situacao)) throw new Conflito(`O pedido já foi ${p.situacao === 'aprovado' ? 'aprovado' : 'recusado'}`);
    if (p.responsavel !== ctx.username) throw new Conflito(p.responsavel === null ? 'Assuma o pedido antes de respondê-lo' : `O pedido está com ${p.responsavel}`);
    const faltam = p.dados_exigidos.filter((d) => !(d in p.dados_informados));
    if (faltam.length > 0) throw new RegraDeNegocioViolada(`O cidadão ainda não informou: ${faltam.map((d) => DADOS_COMPLEMENTARES[d as DadoComplementar].nome).join(', ')}; peça complementação`);
    const docs = await documentosDe(manager, id);
    const estranhos = evidencia.documentos.filter((d) => !docs.some((x) => x.id === d));
    if (estranhos.length > 0) throw new DadosInvalidos(estranhos.map((d) => ({ path: 'evidencia.documentos', message: `O documento ${d} não é deste pedido` })));
    const conta = await manager.findOne(Conta, { where: { keycloakUserId: p.conta_id }, lock: { mode: 'pessimistic_write' } });
    if (!conta || conta.situacao !== 'ativa') throw new RegraDeNegocioViolada('A conta foi excluída no Login Único; não é possível aprovar');
    if (conta.cpfDeclarado !== p.cpf) throw new RegraDeNegocioViolada('O CPF declarado na conta mudou desde o pedido; peça ao cidadão para entrar de novo');
    const pessoa = await manager.findOne(Pessoa, { where: { cpf: p.cpf } });
    if (!pessoa) throw new RegraDeNegocioViolada('Não há registro com este CPF no cadastro base: informe pessoa.nome e pessoa.dataNascimento conferidos no documento');
    if (pessoa.obito || pessoa.situacao !== 'ativa') throw new RegraDeNegocioViolada('O registro desta pessoa no cadastro base está inativo ou tem óbito; aprovação recusada');
    if (conta.pessoaCpf !== null && conta.pessoaCpf !== p.cpf) throw new Conflito('A conta já está vinculada a outra pessoa do cadastro base');

    const dadosAntes = await dadosVerificadosDaConta(manager, conta.keycloakUserId);
    const registro = { orgao: p.orgao, cliente: p.cliente, pedidoId: p.id, descricao: evidencia.descricao, documentos: evidencia.documentos, dados: p.dados_exigidos };
    const ev = manager.create(Evidencia, { contaId: conta.keycloakUserId, tipo: 'documento-conferido-orgao', pessoaCpf: p.cpf, detalhe: registro, registradoPor: ctx.username });
    await manager.save(ev);
    if (conta.pessoaCpf !== p.cpf) await manager.update(Conta, { keycloakUserId: conta.keycloakUserId }, { pessoaCpf: p.cpf });
    const atual = await atualizar(manager, 
      `UPDATE pedido_sala SET situacao = 'aprovado', evidencia = $2, motivo = NULL, atualizado_em = now() WHERE id = $1 RETURNING ${COLUNAS}`,
      [id, JSON.stringify({ ...registro, evidenciaId: ev.id, aprovadoPor: ctx.username })],
    );
    await registrarDecisao(manager, p, 'aprovado', null);
    const recalculo = await recalcular(conta.keycloakUserId, manager);
    const dadosDepois = await dadosVerificadosDaConta(manager, conta.keycloakUserId);
    let saidaId = recalculo.saidaId;
    if (saidaId === null && dadosDepois.join() !== dadosAntes.join()) saidaId = await registrarSaida(manager, conta.keycloakUserId, recalculo.versao, 'dados-complementares');
    await registrarAuditoria(manager, {
      ...ctx, acao: 'sala.pedido-aprovado', pessoaCpf: p.cpf, campos: recalculo.mudou ? ['pessoa_cpf', 'nivel_confianca', ...p.dados_exigidos] : ['pessoa_cpf', ...p.dados_exigidos],
      detalhe: { pedidoId: id, evidenciaId: ev.id, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel, dados: dadosDepois, saidaId },
    });
    return { pedido: paraJson(atual, await documentosDe(manager, id), true), recalculo, saidaId };
  });
}

/** Whether a master record with this CPF exists (the approval route decides whether to create it first). */
export async function existePessoa(dataSource: DataSource, cpf: string): Promise<boolean> {
  return (await dataSource.manager.count(Pessoa, { where: { cpf } })) > 0;
}

/** The request's account CPF, when it belongs to one of the organs (for the approval route's Entrada Única write). */
export async function cpfDoPedido(dataSource: DataSource, id: string, orgaos: readonly Orgao[]): Promise<string> {
  return dataSource.transaction(async (manager) => (await pedidoDoOrgao(manager, id, orgaos)).cpf);
}
