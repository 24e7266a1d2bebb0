/** The README documents the real configuration: its table is exactly what `renderConfigMarkdown()` renders. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigMarkdown } from '../api/src/config.js';
import { ROOT } from './support/keycloak.js';

describe('README.md', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('carries the configuration table generated from api/src/config.ts', () => {
    expect(readme).toContain(renderConfigMarkdown());
  });

  it('names the two commands, and .ci/run calls the test one', () => {
    expect(readme).toMatch(/^npm start\b/m);
    expect(readme).toMatch(/^npm test\b/m);
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});

/**
 * Benchmark figures: the README carries each official results file (bench/resultados/<name>.md, written by the
 * benchmark script) verbatim between `<!-- resultados: <name> -->` and `<!-- /resultados -->`, and no table of its
 * own in that section — so every figure shown there is one a script in bench/ printed.
 */
describe('README.md, section Benchmarks', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const inicio = readme.indexOf('\n## Benchmarks\n');
  const fim = readme.indexOf('\n## ', inicio + 1);
  const secao = readme.slice(inicio, fim === -1 ? undefined : fim);
  const blocos = [...secao.matchAll(/<!-- resultados: ([a-z0-9-]+) -->\n([\s\S]*?)<!-- \/resultados -->/g)].map((m) => ({ nome: m[1], texto: m[2] }));
  const resultados = path.join(ROOT, 'bench/resultados');

  it('has one results block for each benchmark script, cold-start, pessoa-get, login, login-politicas, sala-espera, carga, vinculo, sincronia and acessos', () => {
    expect(inicio).toBeGreaterThan(0);
    expect(blocos.map((b) => b.nome).sort()).toEqual(['acessos', 'carga', 'cold-start', 'login', 'login-politicas', 'pessoa-get', 'sala-espera', 'sincronia', 'vinculo']);
  });

  it.each(['cold-start', 'pessoa-get', 'login', 'login-politicas', 'sala-espera', 'carga', 'vinculo', 'sincronia', 'acessos'])('shows bench/resultados/%s.md verbatim (run `npm run bench` to write and copy it)', (nome) => {
    const arquivo = path.join(resultados, `${nome}.md`);
    expect(existsSync(arquivo)).toBe(true);
    expect(blocos.find((b) => b.nome === nome)?.texto.trim()).toBe(readFileSync(arquivo, 'utf8').trim());
  });

  it('shows no official results file that is not in a block, and never a smoke run', () => {
    const oficiais = readdirSync(resultados).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
    expect(oficiais).toEqual(['acessos', 'carga', 'cold-start', 'login', 'login-politicas', 'pessoa-get', 'sala-espera', 'sincronia', 'vinculo']);
    expect(secao).not.toMatch(/Smoke run, not an official result/);
  });

  it('has no table outside the results blocks', () => {
    const fora = secao.replace(/<!-- resultados: [a-z0-9-]+ -->\n[\s\S]*?<!-- \/resultados -->/g, '');
    expect(fora.split('\n').filter((l) => l.trimStart().startsWith('|'))).toEqual([]);
  });
});
