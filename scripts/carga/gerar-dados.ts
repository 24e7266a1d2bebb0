/**
 * `npm run gerar-dados -- --pessoas N --semente S --saida DIR [--tratamentos-agnomes]` — writes the five demo sources'
 * files and the ground truth (`verdade.csv`) into DIR (see api/src/carga/gerador/gerador.ts), then prints the counts
 * as JSON. `--tratamentos-agnomes`: also sons named after their fathers (FILHO, JÚNIOR — left out or written JR in
 * some rows) and forms of address before some names.
 */
import { parseArgs } from 'node:util';
import { gerarDados } from '../../api/src/carga/gerador/gerador.js';
import { executarCli } from './executar.js';

const USO = 'uso: npm run gerar-dados -- --pessoas N --semente S --saida DIR [--tratamentos-agnomes]';

async function main(): Promise<number> {
  let valores: Record<string, string | boolean | undefined>;
  try {
    valores = parseArgs({
      options: { pessoas: { type: 'string' }, semente: { type: 'string' }, saida: { type: 'string' }, 'tratamentos-agnomes': { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  const pessoas = Number(valores['pessoas']);
  const semente = Number(valores['semente'] ?? '1');
  const saida = valores['saida'];
  if (typeof saida !== 'string' || saida === '' || !Number.isInteger(pessoas) || !Number.isInteger(semente)) {
    process.stderr.write(`${USO}\n`);
    return 2;
  }
  const inicio = process.hrtime.bigint();
  const resumo = await gerarDados({ pessoas, semente, saida, tratamentosAgnomes: valores['tratamentos-agnomes'] === true });
  const segundos = Number(process.hrtime.bigint() - inicio) / 1e9;
  process.stdout.write(`${JSON.stringify({ ...resumo, segundos: Math.round(segundos * 10) / 10, picoRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2)}\n`);
  return 0;
}

executarCli(main);
