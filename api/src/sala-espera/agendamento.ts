/**
 * The in-person step of the Sala de Espera (issue 13, item 3): when what a request lacks is a biometric capture (a
 * client asking for level 4 — its minimum, or `acr_values=urn:lum:nivel:4`), the room lists the Descomplica points
 * (api/src/biometria/pontos.ts, a sample catalogue) with their free slots after "now" (the injected clock,
 * relogio.ts), and the citizen books or cancels one. The point's recording of the capture (POST /biometria/capturas)
 * marks the booking `realizado`. One booked slot per account; each slot takes the point's `vagasPorHorario`.
 */
import type { EntityManager } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { horarioPorExtenso, horariosDoPonto, pontoPorId, PONTOS_DESCOMPLICA, ehHorarioOferecido } from '../biometria/pontos.js';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { relogio } from '../relogio.js';

/** Free slots shown per point on the page. */
const HORARIOS_POR_PONTO = 6;
/** The level whose evidence is an in-person biometric capture. */
const NIVEL_BIOMETRIA = 4;

interface AgendamentoJson {
  id: string;
  ponto: string;
  nomePonto: string;
  endereco: string;
  inicio: string;
  /** `segunda-feira, 07/12, 09:00`, São Paulo time. */
  horario: string;
  situacao: 'agendado' | 'cancelado' | 'realizado';
}

export interface PresencialJson {
  /** The request needs a biometric capture at a Descomplica point (level 4 asked, the account below it). */
  necessario: boolean;
  /** The account's booking: the one booked, else the last one done (null: none). */
  agendamento: AgendamentoJson | null;
  /** When needed and nothing is booked: each point with its first free slots. */
  pontos: Array<{ id: string; nome: string; endereco: string; horarios: Array<{ valor: string; inicio: string; texto: string }> }>;
}

interface LinhaAgendamento {
  id: string;
  ponto: string;
  inicio: Date;
  situacao: AgendamentoJson['situacao'];
}

function paraJson(a: LinhaAgendamento): AgendamentoJson {
  const p = pontoPorId(a.ponto);
  return { id: a.id, ponto: a.ponto, nomePonto: p?.nome ?? a.ponto, endereco: p?.endereco ?? '', inicio: a.inicio.toISOString(), horario: horarioPorExtenso(a.inicio), situacao: a.situacao };
}

/** The form's value of a slot: `<ponto>|<ISO instant>`. */
const valorHorario = (ponto: string, inicio: Date): string => `${ponto}|${inicio.toISOString()}`;

/** What the page shows of the in-person step for a request (read only). */
export async function presencialDoPedido(manager: EntityManager, contaId: string, nivelExigido: number, nivelConta: number): Promise<PresencialJson> {
  const [atual] = await manager.query<LinhaAgendamento[]>(
    `SELECT id::text, ponto, inicio, situacao FROM agendamento_descomplica WHERE conta_id = $1 AND situacao IN ('agendado', 'realizado')
      ORDER BY (situacao = 'agendado') DESC, atualizado_em DESC, id LIMIT 1`,
    [contaId],
  );
  const necessario = nivelExigido >= NIVEL_BIOMETRIA && nivelExigido < 5 && nivelConta < nivelExigido;
  const agendamento = atual ? paraJson(atual) : null;
  if (!necessario || agendamento?.situacao === 'agendado') return { necessario, agendamento, pontos: [] };
  const agora = relogio().agora();
  const ocupados = await manager.query<Array<{ ponto: string; inicio: Date; n: number }>>(
    `SELECT ponto, inicio, count(*)::int AS n FROM agendamento_descomplica WHERE situacao = 'agendado' AND inicio > $1 GROUP BY ponto, inicio`,
    [agora],
  );
  const ocupacao = new Map(ocupados.map((o) => [valorHorario(o.ponto, o.inicio), o.n]));
  const pontos = PONTOS_DESCOMPLICA.map((p) => ({
    id: p.id, nome: p.nome, endereco: p.endereco,
    horarios: horariosDoPonto(p, agora)
      .filter((h) => (ocupacao.get(valorHorario(p.id, h)) ?? 0) < p.vagasPorHorario)
      .slice(0, HORARIOS_POR_PONTO)
      .map((h) => ({ valor: valorHorario(p.id, h), inicio: h.toISOString(), texto: horarioPorExtenso(h) })),
  }));
  return { necessario, agendamento, pontos };
}

/** Parses `<ponto>|<ISO instant>` (400 in pt-BR otherwise). */
export function lerHorario(valor: unknown): { ponto: string; inicio: Date } {
  const invalido = () => DadosInvalidos.campo('horario', 'Escolha um dos horários livres listados (horario: <posto>|<data e hora>)');
  if (typeof valor !== 'string' || valor.length > 100) throw invalido();
  const m = /^([a-z0-9-]{1,40})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/.exec(valor);
  if (!m) throw invalido();
  const inicio = new Date(m[2]);
  if (Number.isNaN(inicio.getTime())) throw invalido();
  if (!pontoPorId(m[1])) throw DadosInvalidos.campo('horario', 'Posto Descomplica desconhecido: escolha um dos listados');
  return { ponto: m[1], inicio };
}

/**
 * Books a slot for the request's account (inside the caller's transaction, which holds the request locked). Refuses:
 * a request that does not need the capture (422), a slot not offered or past (400), a full slot or an account that
 * already has one booked (409).
 */
export async function marcar(
  manager: EntityManager, pedido: { id: string; conta_id: string; nivel_exigido: number }, nivelConta: number, horario: { ponto: string; inicio: Date },
  ctx: ContextoAuditoria, pessoaCpf: string | null,
): Promise<void> {
  if (!(pedido.nivel_exigido >= NIVEL_BIOMETRIA && pedido.nivel_exigido < 5 && nivelConta < pedido.nivel_exigido)) {
    throw new RegraDeNegocioViolada('Este pedido não precisa de atendimento presencial: nada a agendar');
  }
  const ponto = pontoPorId(horario.ponto)!;
  const agora = relogio().agora();
  if (!ehHorarioOferecido(ponto, horario.inicio, agora)) throw DadosInvalidos.campo('horario', 'Este horário não está disponível para agendamento: escolha um dos horários livres listados');
  // one booking at a time per slot: concurrent bookings of the same slot serialise here
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [valorHorario(ponto.id, horario.inicio)]);
  const [ja] = await manager.query<Array<{ id: string }>>(`SELECT id::text FROM agendamento_descomplica WHERE conta_id = $1 AND situacao = 'agendado'`, [pedido.conta_id]);
  if (ja) throw new Conflito('Você já tem um horário agendado: cancele-o antes de marcar outro');
  const [{ n }] = await manager.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM agendamento_descomplica WHERE ponto = $1 AND inicio = $2 AND situacao = 'agendado'`, [ponto.id, horario.inicio],
  ) as [{ n: number }];
  if (n >= ponto.vagasPorHorario) throw new Conflito('Este horário acabou de ser preenchido: escolha outro');
  const [novo] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO agendamento_descomplica (conta_id, pedido_id, ponto, inicio) VALUES ($1, $2, $3, $4) RETURNING id::text`, [pedido.conta_id, pedido.id, ponto.id, horario.inicio],
  );
  await registrarAuditoria(manager, { ...ctx, acao: 'sala.agendamento-marcado', pessoaCpf, campos: [], detalhe: { pedidoId: pedido.id, agendamentoId: novo.id, ponto: ponto.id, inicio: horario.inicio.toISOString() } });
}

/** Cancels the account's booked slot (404 when there is none). */
export async function cancelar(manager: EntityManager, pedido: { id: string; conta_id: string }, ctx: ContextoAuditoria, pessoaCpf: string | null): Promise<void> {
  const [linhas] = await manager.query<[Array<{ id: string; ponto: string; inicio: Date }>, number]>(
    `UPDATE agendamento_descomplica SET situacao = 'cancelado', atualizado_em = now() WHERE conta_id = $1 AND situacao = 'agendado' RETURNING id::text, ponto, inicio`, [pedido.conta_id],
  );
  const a = linhas[0];
  if (!a) throw new NaoEncontrado('Você não tem horário agendado');
  await registrarAuditoria(manager, { ...ctx, acao: 'sala.agendamento-cancelado', pessoaCpf, campos: [], detalhe: { pedidoId: pedido.id, agendamentoId: a.id, ponto: a.ponto, inicio: a.inicio.toISOString() } });
}
