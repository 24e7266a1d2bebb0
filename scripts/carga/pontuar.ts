/**
 * `npm run carga:pontuar -- --clusters FILE --verdade FILE [--json] [--listar]` — scores a `source,row_id,cluster_id` clusters
 * file against the generator's truth (api/src/carga/pontuacao.ts): pairwise precision/recall/F1, recall on rows
 * without CPF, homonym and twin pairs merged, triage accuracy. Prints a pt-BR summary, or the JSON with --json;
 * --listar adds each merged homonym and twin pair (cluster, persons, their rows in the cluster).
 */
import { parseArgs } from 'node:util';
import { lerClusters, lerVerdade, pontuar, type Pontuacao } from '../../api/src/carga/pontuacao.js';
import { executarCli } from './executar.js';

const USO = 'uso: npm run carga:pontuar -- --clusters ARQUIVO --verdade ARQUIVO [--json] [--listar]';
const pct = (x: number | null) => (x === null ? 'n/d' : `${(x * 100).toFixed(3)} %`);

function resumo(r: Pontuacao): string[] {
  return [
    `linhas na verdade: ${r.linhasVerdade} (sem cluster: ${r.linhasSemCluster}; fora da verdade: ${r.linhasForaDaVerdade}; repetidas no arquivo de clusters: ${r.linhasDuplicadas})`,
    `pares: verdadeiros ${r.pares.verdadeiros}, previstos ${r.pares.previstos}, acertos ${r.pares.acertos}`,
    `precisão ${pct(r.pares.precisao)} · recall ${pct(r.pares.recall)} · F1 ${pct(r.pares.f1)}`,
    `sem as linhas que a verdade marca como CPF inválido: precisão ${pct(r.paresSemInvalidas.precisao)} · recall ${pct(r.paresSemInvalidas.recall)} · F1 ${pct(r.paresSemInvalidas.f1)}`,
    `sem CPF: ${r.semCpf.linhas} linhas; recall nos pares com linha sem CPF ${pct(r.semCpf.recall)} (${r.semCpf.acertos}/${r.semCpf.paresVerdadeiros})`,
    `homônimos fundidos: ${r.homonimos.paresFundidos} de ${r.homonimos.paresNaVerdade} pares · gêmeos fundidos: ${r.gemeos.paresFundidos} de ${r.gemeos.paresNaVerdade} pares`,
    `triagem: ${r.triagem.quarentenaCerta} de ${r.triagem.invalidas} linhas com CPF inválido em quarentena com o motivo certo (${pct(r.triagem.acuracia)}); ` +
      `motivo errado ${r.triagem.motivoErrado}; fora da quarentena ${r.triagem.naoQuarentenadas}; quarentena indevida ${r.triagem.quarentenaIndevida}`,
  ];
}

async function main(): Promise<number> {
  let valores: { clusters?: string; verdade?: string; json?: boolean; listar?: boolean };
  try {
    valores = parseArgs({ options: { clusters: { type: 'string' }, verdade: { type: 'string' }, json: { type: 'boolean' }, listar: { type: 'boolean' } }, strict: true }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  if (!valores.clusters || !valores.verdade) {
    process.stderr.write(`${USO}\n`);
    return 2;
  }
  const r = await pontuar(lerVerdade(valores.verdade), lerClusters(valores.clusters), { listar: valores.listar === true });
  const linhas = resumo(r);
  if (valores.listar) {
    for (const [tipo, pares] of [['homônimos', r.homonimos.fundidos], ['gêmeos', r.gemeos.fundidos]] as const) {
      for (const p of pares ?? []) linhas.push(`${tipo} fundidos no cluster ${p.cluster}: ${p.pessoas[0]} [${p.linhas[0].join(' ')}] + ${p.pessoas[1]} [${p.linhas[1].join(' ')}]`);
    }
  }
  process.stdout.write(valores.json ? `${JSON.stringify(r, null, 2)}\n` : `${linhas.join('\n')}\n`);
  return 0;
}

executarCli(main);
