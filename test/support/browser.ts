/**
 * Real headless Chromium for the browser tests: Debian's /usr/bin/chromium (installed by scripts/lib.sh
 * ensure_chromium) driven by playwright-core, plus axe-core and screenshots under test-artifacts/.
 * One browser per test file; pages and contexts are cheap, reuse them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT } from './keycloak.js';

const CHROMIUM = process.env.LUM_CHROMIUM ?? '/usr/bin/chromium';
const ARTEFATOS = path.join(ROOT, 'test-artifacts');

/**
 * Chromium always runs on the real clock: under `npm run test:relogio-futuro` jest and what it starts run under
 * libfaketime, where its page loads time out. Nothing of ours runs on the browser's clock (cookies
 * from the server carry absolute expiry dates far ahead), so the page tests still exercise the shifted server side.
 */
function ambienteSemFaketime(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(
    (e): e is [string, string] => e[1] !== undefined && e[0] !== 'LD_PRELOAD' && !e[0].startsWith('FAKETIME') && e[0] !== 'NO_FAKE_STAT'));
}

export function abrirChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    env: ambienteSemFaketime(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=pt-BR'],
  });
}

/** A fresh context (own cookies) in pt-BR with a desktop viewport unless told otherwise. */
export function novoContexto(browser: Browser, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 }, ...opts });
}

/** Console errors and uncaught exceptions of a page, collected for an assertion at the end. */
export function coletarErros(page: Page): string[] {
  const erros: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') erros.push(m.text());
  });
  page.on('pageerror', (e) => erros.push(e.message));
  return erros;
}

export interface Violacao {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (node_modules/axe-core) in the page and returns the violations of impact "serious" or "critical",
 * each with the selectors of the offending nodes. The page must allow inline scripts (Keycloak's login pages do;
 * a stricter CSP needs a context with bypassCSP).
 */
export async function violacoesGraves(page: Page): Promise<Violacao[]> {
  await page.addScriptTag({ content: readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8') });
  // (A string expression: the project's tsconfig has no DOM lib.)
  return await page.evaluate<Violacao[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

/** Full-page screenshot as test-artifacts/<nome>.png; returns its path. */
export async function salvarCaptura(page: Page, nome: string): Promise<string> {
  mkdirSync(ARTEFATOS, { recursive: true });
  const arquivo = path.join(ARTEFATOS, `${nome}.png`);
  await page.screenshot({ path: arquivo, fullPage: true });
  return arquivo;
}

/** Presses Tab until the focused element matches `seletor` (at most `max` presses); returns how many it took. */
export async function tabAte(page: Page, seletor: string, max = 15): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement && document.activeElement.matches(${JSON.stringify(seletor)})`)) return i;
  }
  throw new Error(`${seletor} never received focus after ${max} Tab presses`);
}
