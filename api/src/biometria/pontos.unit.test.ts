import { describe, expect, it } from '@jest/globals';
import { ehHorarioOferecido, horarioPorExtenso, horariosDoPonto, pontoPorId } from './pontos.js';

// 2026-12-04 is a Friday. 16:10 in São Paulo = 19:10Z.
const SEXTA_16H10 = new Date('2026-12-04T19:10:00Z');

describe('Descomplica points: slots from the injected "now"', () => {
  it('Santo Amaro (Mon/Wed/Fri 13:00–16:00, 30 min): none left on Friday after 16:10 minus 1 h; Monday 13:00 is the first', () => {
    const h = horariosDoPonto(pontoPorId('descomplica-santo-amaro')!, SEXTA_16H10);
    // Mon 7, Wed 9, Fri 11: six slots each (13:00 … 15:30), all inside the 7-day window (ends Fri 11 16:10)
    expect(h.map((d) => d.toISOString())).toEqual([
      '2026-12-07T16:00:00.000Z', '2026-12-07T16:30:00.000Z', '2026-12-07T17:00:00.000Z', '2026-12-07T17:30:00.000Z', '2026-12-07T18:00:00.000Z', '2026-12-07T18:30:00.000Z',
      '2026-12-09T16:00:00.000Z', '2026-12-09T16:30:00.000Z', '2026-12-09T17:00:00.000Z', '2026-12-09T17:30:00.000Z', '2026-12-09T18:00:00.000Z', '2026-12-09T18:30:00.000Z',
      '2026-12-11T16:00:00.000Z', '2026-12-11T16:30:00.000Z', '2026-12-11T17:00:00.000Z', '2026-12-11T17:30:00.000Z', '2026-12-11T18:00:00.000Z', '2026-12-11T18:30:00.000Z',
    ]);
    expect(horarioPorExtenso(h[0])).toBe('segunda-feira, 07/12, 13:00');
  });

  it('a slot less than one hour ahead is not offered; one in the window is', () => {
    const butanta = pontoPorId('descomplica-butanta')!;
    const sextaMeioDia = new Date('2026-12-04T15:00:00Z'); // 12:00 São Paulo
    expect(ehHorarioOferecido(butanta, new Date('2026-12-04T15:30:00Z'), sextaMeioDia)).toBe(false);
    expect(ehHorarioOferecido(butanta, new Date('2026-12-04T16:00:00Z'), sextaMeioDia)).toBe(true);
    expect(ehHorarioOferecido(butanta, new Date('2026-12-04T16:10:00Z'), sextaMeioDia)).toBe(false);
    // Saturday: Butantã is closed, São Miguel opens 08:00
    expect(ehHorarioOferecido(butanta, new Date('2026-12-05T12:00:00Z'), sextaMeioDia)).toBe(false);
    expect(ehHorarioOferecido(pontoPorId('descomplica-sao-miguel')!, new Date('2026-12-05T11:00:00Z'), sextaMeioDia)).toBe(true);
  });
});
