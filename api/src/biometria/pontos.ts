/**
 * The Descomplica SP points where a citizen can do an in-person step (biometric capture, photo) — a SAMPLE
 * catalogue: names, addresses and opening hours are illustrative, to be replaced by the points' real data (their
 * system, or a file the city maintains) before production. Used by the Sala de Espera (booking, api/src/sala-espera/)
 * and by the biometric-capture route (a capture names one of these points).
 *
 * Slots: every `DURACAO_HORARIO_MIN` minutes between opening and closing on the point's weekdays, São Paulo time
 * (UTC−3, no daylight saving since 2019), from one hour after "now" (the injected clock, relogio.ts) up to
 * `DIAS_OFERECIDOS` days ahead; each slot takes `vagasPorHorario` bookings.
 */

export interface PontoDescomplica {
  readonly id: string;
  readonly nome: string;
  readonly endereco: string;
  /** Weekdays open, 0 = Sunday … 6 = Saturday. */
  readonly dias: readonly number[];
  /** Opening and closing, `HH:MM`, São Paulo time; the last slot starts `DURACAO_HORARIO_MIN` before closing. */
  readonly abre: string;
  readonly fecha: string;
  readonly vagasPorHorario: number;
}

export const PONTOS_DESCOMPLICA: readonly PontoDescomplica[] = [
  { id: 'descomplica-butanta', nome: 'Descomplica SP Butantã (exemplo)', endereco: 'Endereço de exemplo, Butantã — São Paulo/SP', dias: [1, 2, 3, 4, 5], abre: '09:00', fecha: '17:00', vagasPorHorario: 2 },
  { id: 'descomplica-sao-miguel', nome: 'Descomplica SP São Miguel (exemplo)', endereco: 'Endereço de exemplo, São Miguel Paulista — São Paulo/SP', dias: [1, 2, 3, 4, 5, 6], abre: '08:00', fecha: '12:00', vagasPorHorario: 1 },
  { id: 'descomplica-santo-amaro', nome: 'Descomplica SP Santo Amaro (exemplo)', endereco: 'Endereço de exemplo, Santo Amaro — São Paulo/SP', dias: [1, 3, 5], abre: '13:00', fecha: '16:00', vagasPorHorario: 1 },
];

const DURACAO_HORARIO_MIN = 30;
const DIAS_OFERECIDOS = 7;
/** A slot can be booked up to this long before it starts. */
const ANTECEDENCIA_MIN_MS = 60 * 60_000;
const FUSO_MS = -3 * 3_600_000;

export const pontoPorId = (id: string): PontoDescomplica | undefined => PONTOS_DESCOMPLICA.find((p) => p.id === id);

const minutos = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Every slot start of a point in the offered window after `agora`, oldest first. */
export function horariosDoPonto(ponto: PontoDescomplica, agora: Date): Date[] {
  const saida: Date[] = [];
  const inicioJanela = agora.getTime() + ANTECEDENCIA_MIN_MS;
  const fimJanela = agora.getTime() + DIAS_OFERECIDOS * 86_400_000;
  // midnight of today's civil date in São Paulo, as an instant
  const local = new Date(agora.getTime() + FUSO_MS);
  const meiaNoiteLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - FUSO_MS;
  for (let d = 0; d <= DIAS_OFERECIDOS; d++) {
    const meiaNoite = meiaNoiteLocal + d * 86_400_000;
    const diaDaSemana = new Date(meiaNoite + FUSO_MS).getUTCDay();
    if (!ponto.dias.includes(diaDaSemana)) continue;
    for (let m = minutos(ponto.abre); m + DURACAO_HORARIO_MIN <= minutos(ponto.fecha); m += DURACAO_HORARIO_MIN) {
      const t = meiaNoite + m * 60_000;
      if (t >= inicioJanela && t <= fimJanela) saida.push(new Date(t));
    }
  }
  return saida;
}

/** Whether `inicio` is one of the point's slots in the window after `agora`. */
export function ehHorarioOferecido(ponto: PontoDescomplica, inicio: Date, agora: Date): boolean {
  return horariosDoPonto(ponto, agora).some((h) => h.getTime() === inicio.getTime());
}

const FORMATO_HORARIO = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', weekday: 'long', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });

/** `segunda-feira, 07/12, 09:00` (São Paulo time), for the page. */
export const horarioPorExtenso = (d: Date): string => FORMATO_HORARIO.format(d);
