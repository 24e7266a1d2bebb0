/**
 * The tests' domain clock. A test whose outcome depends on "today" (deadlines, dates that must not be in the future,
 * reminders, overdue migrations) installs this clock, so it answers the same on any day it runs: "today" is
 * HOJE_DOS_TESTES, at noon in São Paulo, and the clock runs from there (two writes in a row still get increasing
 * instants). Dates in those tests are written by hand relative to HOJE_DOS_TESTES.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { relogioIniciadoEm, usarRelogio } from '../../api/src/relogio.js';

/** "Today" for the tests that install the clock: before the 2026-2 campaign's deadline (2026-11-30). */
const HOJE_DOS_TESTES = '2026-11-16';
const INICIO_DOS_TESTES = `${HOJE_DOS_TESTES}T12:00:00-03:00`;

/** Installs the tests' clock (started at `inicio`) for the whole file, and puts the previous clock back after it. */
export function usarRelogioDosTestes(inicio: string = INICIO_DOS_TESTES): void {
  let restaurar: (() => void) | undefined;
  beforeAll(() => {
    restaurar = usarRelogio(relogioIniciadoEm(inicio));
  });
  afterAll(() => restaurar?.());
}
