/**
 * `npm run carga:triagem -- --fonte NOME --arquivo ARQUIVO [--fontes DIR]` — reads one source file through its
 * mapping (`DIR/NOME.yaml`, default api/src/carga/fontes) and prints, as JSON, the rows read, the rows that could not
 * be read (`linhasIlegiveis`, as a load counts them), the CPF triage counts (by reason) and the values that could not be
 * used (by field and code). Nothing is written anywhere: this is the
 * dry run of a load, in constant memory.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { lerFonte, linhasIlegiveisVazias } from '../../api/src/carga/ler-fonte.js';
import { carregarMapeamento } from '../../api/src/carga/mapeamento.js';
import { executarCli } from './executar.js';

const USO = 'uso: npm run carga:triagem -- --fonte NOME --arquivo ARQUIVO [--fontes DIR]';

async function main(): Promise<number> {
  let valores: { fonte?: string; arquivo?: string; fontes?: string };
  try {
    valores = parseArgs({ options: { fonte: { type: 'string' }, arquivo: { type: 'string' }, fontes: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  if (!valores.fonte || !valores.arquivo || !/^[a-z][a-z0-9-]{1,39}$/.test(valores.fonte)) {
    process.stderr.write(`${USO}\n`);
    return 2;
  }
  const mapa = await carregarMapeamento(join(valores.fontes ?? 'api/src/carga/fontes', `${valores.fonte}.yaml`));
  const inicio = process.hrtime.bigint();
  const triagem: Record<string, number> = { 'base-unica': 0, 'sem-cpf': 0, 'cpf-invalido': 0 };
  const motivos: Record<string, number> = {};
  const problemas: Record<string, number> = {};
  let linhas = 0;
  const linhasIlegiveis = linhasIlegiveisVazias();
  for await (const r of lerFonte(mapa, valores.arquivo, linhasIlegiveis)) {
    linhas += 1;
    triagem[r.triagem.categoria] = (triagem[r.triagem.categoria] ?? 0) + 1;
    if (r.triagem.categoria === 'cpf-invalido') motivos[r.triagem.motivo] = (motivos[r.triagem.motivo] ?? 0) + 1;
    for (const p of r.problemas) problemas[`${p.campo}:${p.codigo}`] = (problemas[`${p.campo}:${p.codigo}`] ?? 0) + 1;
  }
  const segundos = Number(process.hrtime.bigint() - inicio) / 1e9;
  const saida = {
    fonte: mapa.fonte, pmcc: mapa.pmcc, cmbd: mapa.cmbd, arquivo: valores.arquivo, linhas, linhasIlegiveis, triagem, motivos, problemas,
    segundos: Math.round(segundos * 10) / 10, linhasPorSegundo: Math.round(linhas / Math.max(segundos, 1e-9)), picoRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(saida, null, 2)}\n`);
  return 0;
}

executarCli(main);
