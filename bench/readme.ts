/**
 * Copies the official results files (bench/resultados/<name>.md) into the README's "## Benchmarks" section, each
 * between its markers `<!-- resultados: <name> -->` and `<!-- /resultados -->`, verbatim. `npm run bench` runs it
 * after the benchmarks; test/readme.test.ts fails when a block differs from its file. Smoke results
 * (bench/resultados/smoke/) are never copied.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib.js';

const arquivo = path.join(ROOT, 'README.md');
const readme = readFileSync(arquivo, 'utf8');
const copiados: string[] = [];
const novo = readme.replace(/(<!-- resultados: ([a-z0-9-]+) -->\n)[\s\S]*?(<!-- \/resultados -->)/g, (bloco, abre: string, nome: string, fecha: string) => {
  const resultados = path.join(ROOT, 'bench/resultados', `${nome}.md`);
  if (!existsSync(resultados)) return bloco;
  copiados.push(nome);
  return `${abre}${readFileSync(resultados, 'utf8').trim()}\n${fecha}`;
});
writeFileSync(arquivo, novo);
console.log(`README.md: results of ${copiados.length ? copiados.join(', ') : 'no benchmark'} copied from bench/resultados/.`);
