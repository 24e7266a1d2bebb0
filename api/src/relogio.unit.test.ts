import { describe, expect, it } from '@jest/globals';
import { diaEmSaoPaulo, relogio, relogioDeslocado, relogioDoSistema, relogioFixo, relogioIniciadoEm, usarRelogio } from './relogio.js';

describe('the domain clock', () => {
  it.each([
    // São Paulo is UTC−3: from 21:00 local time the UTC date is already the next day.
    ['2026-12-04T23:59:59Z', '2026-12-04'],
    ['2026-12-05T02:59:59Z', '2026-12-04'],
    ['2026-12-05T03:00:00Z', '2026-12-05'],
    ['2027-01-01T02:30:00Z', '2026-12-31'],
  ])('today at %p is %p in São Paulo', (instante, dia) => {
    expect(diaEmSaoPaulo(new Date(instante))).toBe(dia);
    expect(relogioFixo(instante).hoje()).toBe(dia);
  });

  it('a fixed clock does not move', () => {
    const r = relogioFixo('2026-10-15T12:00:00-03:00');
    expect(r.agora().toISOString()).toBe('2026-10-15T15:00:00.000Z');
    expect(r.agora().toISOString()).toBe('2026-10-15T15:00:00.000Z');
  });

  it('a shifted clock is the system clock plus the shift', () => {
    const r = relogioDeslocado(400 * 86_400_000);
    const antes = Date.now();
    const deslocado = r.agora().getTime();
    const depois = Date.now();
    expect(deslocado - 400 * 86_400_000).toBeGreaterThanOrEqual(antes);
    expect(deslocado - 400 * 86_400_000).toBeLessThanOrEqual(depois);
    expect(relogioDeslocado(0)).toBe(relogioDoSistema);
  });

  it('a clock started at an instant runs from it', async () => {
    const r = relogioIniciadoEm('2026-11-16T12:00:00-03:00');
    const primeiro = r.agora().getTime();
    expect(primeiro).toBeGreaterThanOrEqual(Date.parse('2026-11-16T15:00:00Z'));
    expect(primeiro).toBeLessThan(Date.parse('2026-11-16T15:00:01Z'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.agora().getTime()).toBeGreaterThan(primeiro);
    expect(r.hoje()).toBe('2026-11-16');
  });

  it('usarRelogio installs the process clock and gives back the previous one', () => {
    const fixo = relogioFixo('2030-06-01T12:00:00Z');
    const restaurar = usarRelogio(fixo);
    expect(relogio().hoje()).toBe('2030-06-01');
    restaurar();
    expect(relogio()).toBe(relogioDoSistema);
  });

  it('refuses an invalid instant', () => {
    expect(() => relogioFixo('ontem')).toThrow('instante inválido');
  });
});
