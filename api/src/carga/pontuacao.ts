/**
 * Scores a load's clusters against a ground truth (issue 11, "Must show"): pairwise precision, recall and F1, recall
 * on rows without a CPF, homonym and twin pairs merged, and triage accuracy on quarantined rows.
 *
 * Pairwise counts come from the contingency table (cluster × true person), never from enumerating pairs:
 *   true positives  = Σ over cells C(n, 2)
 *   predicted pairs = Σ over clusters C(size, 2)
 *   true pairs      = Σ over persons C(size, 2)
 * A row whose cluster is `quarentena:<motivo>` is linked to nothing (a singleton); so is a truth row missing from the
 * clusters file (counted in `linhasSemCluster`). Rows of the clusters file absent from the truth are counted and
 * otherwise ignored. A ratio with a zero denominator is null.
 *
 * `paresSemInvalidas` repeats the pairwise counts over the rows the truth does NOT mark `cpf-invalido`: quarantining
 * those rows (as the issue asks) leaves them unlinked, so `pares.recall` can never reach 1 while they are quarantined;
 * the second figure isolates the matching quality from that policy.
 *
 * Homonyms are derived from the truth itself: distinct persons with the same true name and birth date. Twins: persons
 * sharing a non-empty `gemeos` group.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const PREFIXO_QUARENTENA = 'quarentena:';

export interface LinhaVerdade {
  readonly fonte: string;
  readonly rowId: string;
  readonly pessoa: string;
  readonly triagem: string;
  readonly motivo: string;
  readonly nome: string;
  readonly nascimento: string;
  readonly gemeos: string;
}
export interface LinhaCluster {
  readonly fonte: string;
  readonly rowId: string;
  readonly cluster: string;
}

interface Pares {
  verdadeiros: number;
  previstos: number;
  acertos: number;
  precisao: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Pontuacao {
  linhasVerdade: number;
  linhasSemCluster: number;
  linhasForaDaVerdade: number;
  linhasDuplicadas: number;
  pares: Pares;
  paresSemInvalidas: Pares;
  semCpf: { linhas: number; paresVerdadeiros: number; acertos: number; recall: number | null };
  homonimos: { paresNaVerdade: number; paresFundidos: number; fundidos?: ParFundido[] };
  gemeos: { paresNaVerdade: number; paresFundidos: number; fundidos?: ParFundido[] };
  triagem: { invalidas: number; quarentenaCerta: number; motivoErrado: number; naoQuarentenadas: number; quarentenaIndevida: number; acuracia: number | null };
}

/** A merged homonym or twin pair, for diagnosis (`pontuar(…, { listar: true })`): the two persons and their rows in the cluster. */
interface ParFundido {
  readonly cluster: string;
  readonly pessoas: readonly [string, string];
  /** `fonte:row_id` of each person's rows in that cluster. */
  readonly linhas: readonly [readonly string[], readonly string[]];
}

const c2 = (n: number) => (n * (n - 1)) / 2;
const razao = (a: number, b: number) => (b === 0 ? null : a / b);

/** Pairwise figures from the contingency table: cells and cluster sizes, plus the persons' sizes. */
function pares(tamanhosPessoa: Iterable<number>, tamanhosCluster: Iterable<number>, celulas: Iterable<number>): Pares {
  let verdadeiros = 0;
  for (const n of tamanhosPessoa) verdadeiros += c2(n);
  let previstos = 0;
  for (const n of tamanhosCluster) previstos += c2(n);
  let acertos = 0;
  for (const n of celulas) acertos += c2(n);
  const precisao = razao(acertos, previstos);
  const recall = razao(acertos, verdadeiros);
  const f1 = precisao === null || recall === null || precisao + recall === 0 ? null : (2 * precisao * recall) / (precisao + recall);
  return { verdadeiros, previstos, acertos, precisao, recall, f1 };
}
const SEP = '\u0000';

/** Number of pairs of distinct persons sharing a group key. */
function paresPorGrupo(grupos: Map<string, number[]>): number {
  let n = 0;
  for (const membros of grupos.values()) n += c2(membros.length);
  return n;
}

export async function pontuar(
  verdade: AsyncIterable<LinhaVerdade> | Iterable<LinhaVerdade>,
  clusters: AsyncIterable<LinhaCluster> | Iterable<LinhaCluster>,
  opcoes: { readonly listar?: boolean } = {},
): Promise<Pontuacao> {
  // ── truth ──
  const indiceLinha = new Map<string, number>();
  const pessoaDaLinha: number[] = [];
  const semCpfDaLinha: boolean[] = [];
  const motivoInvalido: string[] = []; // '' when the row is not cpf-invalido
  const indicePessoa = new Map<string, number>();
  const grupoHomonimo: string[] = [];
  const grupoGemeos: string[] = [];
  for await (const v of verdade) {
    const k = v.fonte + SEP + v.rowId;
    if (indiceLinha.has(k)) throw new Error(`verdade: linha repetida (${v.fonte}, ${v.rowId})`);
    let p = indicePessoa.get(v.pessoa);
    if (p === undefined) {
      p = indicePessoa.size;
      indicePessoa.set(v.pessoa, p);
      grupoHomonimo.push(v.nome + SEP + v.nascimento);
      grupoGemeos.push(v.gemeos);
    }
    indiceLinha.set(k, pessoaDaLinha.length);
    pessoaDaLinha.push(p);
    semCpfDaLinha.push(v.triagem === 'sem-cpf');
    motivoInvalido.push(v.triagem === 'cpf-invalido' ? v.motivo : '');
  }
  const total = pessoaDaLinha.length;

  // ── clusters ──
  const clusterDaLinha = new Int32Array(total).fill(-1); // -1: singleton (missing or quarantined)
  const quarentena = new Map<number, string>();
  const indiceCluster = new Map<string, number>();
  const vista = new Uint8Array(total);
  let fora = 0;
  let duplicadas = 0;
  for await (const c of clusters) {
    const i = indiceLinha.get(c.fonte + SEP + c.rowId);
    if (i === undefined) {
      fora += 1;
      continue;
    }
    if (vista[i]) {
      duplicadas += 1;
      continue;
    }
    vista[i] = 1;
    if (c.cluster.startsWith(PREFIXO_QUARENTENA)) {
      quarentena.set(i, c.cluster.slice(PREFIXO_QUARENTENA.length));
      continue;
    }
    let id = indiceCluster.get(c.cluster);
    if (id === undefined) {
      id = indiceCluster.size;
      indiceCluster.set(c.cluster, id);
    }
    clusterDaLinha[i] = id;
  }

  // ── contingency ── counts per person / cluster / cell: [rows, rows with a CPF value (not sem-cpf), rows not cpf-invalido]
  const tamanhoPessoa = new Map<number, [number, number, number]>();
  const tamanhoCluster = new Map<number, [number, number]>(); // [rows, rows not cpf-invalido]
  const celula = new Map<string, [number, number, number]>();
  const pessoasDoCluster = new Map<number, Set<number>>();
  let semCluster = 0;
  for (let i = 0; i < total; i++) {
    const p = pessoaDaLinha[i];
    const comCpf = semCpfDaLinha[i] ? 0 : 1;
    const valida = motivoInvalido[i] === '' ? 1 : 0;
    const tp = tamanhoPessoa.get(p) ?? [0, 0, 0];
    tp[0] += 1;
    tp[1] += comCpf;
    tp[2] += valida;
    tamanhoPessoa.set(p, tp);
    if (!vista[i]) semCluster += 1;
    const c = clusterDaLinha[i];
    if (c < 0) continue;
    const tc = tamanhoCluster.get(c) ?? [0, 0];
    tc[0] += 1;
    tc[1] += valida;
    tamanhoCluster.set(c, tc);
    const k = `${c}:${p}`;
    const cel = celula.get(k) ?? [0, 0, 0];
    cel[0] += 1;
    cel[1] += comCpf;
    cel[2] += valida;
    celula.set(k, cel);
    (pessoasDoCluster.get(c) ?? pessoasDoCluster.set(c, new Set()).get(c)!).add(p);
  }
  let verdadeirosSemCpf = 0;
  for (const [n, nCpf] of tamanhoPessoa.values()) verdadeirosSemCpf += c2(n) - c2(nCpf);
  let acertosSemCpf = 0;
  for (const [n, nCpf] of celula.values()) acertosSemCpf += c2(n) - c2(nCpf);
  const pessoas = [...tamanhoPessoa.values()];
  const tamanhosCluster = [...tamanhoCluster.values()];
  const celulas = [...celula.values()];

  // ── homonyms and twins: pairs of distinct persons of one group found in one cluster ──
  const contarGrupos = (grupo: readonly string[]) => {
    const g = new Map<string, number[]>();
    grupo.forEach((chave, p) => {
      if (chave === '' || chave === SEP) return;
      (g.get(chave) ?? g.set(chave, []).get(chave)!).push(p);
    });
    for (const [k, m] of g) if (m.length < 2) g.delete(k);
    return g;
  };
  const fundidos = (grupo: readonly string[], grupos: Map<string, number[]>) => {
    const pares = new Map<string, number>();
    for (const [c, pessoas] of pessoasDoCluster) {
      if (pessoas.size < 2) continue;
      const porGrupo = new Map<string, number[]>();
      for (const p of pessoas) if (grupos.has(grupo[p])) (porGrupo.get(grupo[p]) ?? porGrupo.set(grupo[p], []).get(grupo[p])!).push(p);
      for (const m of porGrupo.values()) {
        m.sort((a, b) => a - b);
        for (let a = 0; a < m.length; a++) for (let b = a + 1; b < m.length; b++) pares.set(`${m[a]}|${m[b]}`, c);
      }
    }
    return pares;
  };
  const homonimos = contarGrupos(grupoHomonimo);
  const gemeos = contarGrupos(grupoGemeos);
  const homonimosFundidos = fundidos(grupoHomonimo, homonimos);
  const gemeosFundidos = fundidos(grupoGemeos, gemeos);
  const listar = (pares: Map<string, number>): ParFundido[] | undefined => {
    if (!opcoes.listar) return undefined;
    const nomeCluster = [...indiceCluster.keys()];
    const nomePessoa = [...indicePessoa.keys()];
    const chaveLinha = [...indiceLinha.keys()].map((k) => k.replace(SEP, ':'));
    return [...pares].map(([k, c]) => {
      const [a, b] = k.split('|').map(Number);
      const linhasDe = (p: number) => chaveLinha.filter((_, i) => pessoaDaLinha[i] === p && clusterDaLinha[i] === c);
      return { cluster: nomeCluster[c], pessoas: [nomePessoa[a], nomePessoa[b]], linhas: [linhasDe(a), linhasDe(b)] };
    });
  };

  // ── triage ──
  let invalidas = 0;
  let certa = 0;
  let motivoErrado = 0;
  let naoQuarentenadas = 0;
  let indevida = 0;
  for (let i = 0; i < total; i++) {
    const esperado = motivoInvalido[i];
    const q = quarentena.get(i);
    if (esperado === '') {
      if (q !== undefined) indevida += 1;
      continue;
    }
    invalidas += 1;
    if (q === undefined) naoQuarentenadas += 1;
    else if (q === esperado) certa += 1;
    else motivoErrado += 1;
  }

  return {
    linhasVerdade: total,
    linhasSemCluster: semCluster,
    linhasForaDaVerdade: fora,
    linhasDuplicadas: duplicadas,
    pares: pares(pessoas.map((x) => x[0]), tamanhosCluster.map((x) => x[0]), celulas.map((x) => x[0])),
    paresSemInvalidas: pares(pessoas.map((x) => x[2]), tamanhosCluster.map((x) => x[1]), celulas.map((x) => x[2])),
    semCpf: { linhas: semCpfDaLinha.filter(Boolean).length, paresVerdadeiros: verdadeirosSemCpf, acertos: acertosSemCpf, recall: razao(acertosSemCpf, verdadeirosSemCpf) },
    homonimos: { paresNaVerdade: paresPorGrupo(homonimos), paresFundidos: homonimosFundidos.size, ...(opcoes.listar ? { fundidos: listar(homonimosFundidos) } : {}) },
    gemeos: { paresNaVerdade: paresPorGrupo(gemeos), paresFundidos: gemeosFundidos.size, ...(opcoes.listar ? { fundidos: listar(gemeosFundidos) } : {}) },
    triagem: { invalidas, quarentenaCerta: certa, motivoErrado, naoQuarentenadas, quarentenaIndevida: indevida, acuracia: razao(certa, invalidas) },
  };
}

async function* lerCsv(caminho: string, exigidas: readonly string[]): AsyncGenerator<Record<string, string>> {
  const parser = createReadStream(caminho).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      columns: (cab: string[]) => {
        const faltam = exigidas.filter((c) => !cab.includes(c));
        if (faltam.length > 0) throw new Error(`${caminho}: faltam as colunas ${faltam.join(', ')} no cabeçalho`);
        return cab;
      },
    }),
  );
  yield* parser as AsyncIterable<Record<string, string>>;
}

/** Reads the generator's truth file (`source,row_id,person_id,triagem,motivo,…,nome,data_nascimento,…,gemeos,…`). */
export async function* lerVerdade(caminho: string): AsyncGenerator<LinhaVerdade> {
  for await (const l of lerCsv(caminho, ['source', 'row_id', 'person_id', 'triagem', 'motivo', 'nome', 'data_nascimento', 'gemeos'])) {
    yield { fonte: l['source'], rowId: l['row_id'], pessoa: l['person_id'], triagem: l['triagem'], motivo: l['motivo'], nome: l['nome'], nascimento: l['data_nascimento'], gemeos: l['gemeos'] };
  }
}

/** Reads a clusters file: `source,row_id,cluster_id` (cluster_id may be `quarentena:<motivo>`). */
export async function* lerClusters(caminho: string): AsyncGenerator<LinhaCluster> {
  for await (const l of lerCsv(caminho, ['source', 'row_id', 'cluster_id'])) yield { fonte: l['source'], rowId: l['row_id'], cluster: l['cluster_id'] };
}
