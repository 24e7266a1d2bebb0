import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lerClusters, lerVerdade, pontuar, type LinhaCluster, type LinhaVerdade } from './pontuacao.js';

const v = (rowId: string, pessoa: string, triagem: string, motivo = '', extra: Partial<LinhaVerdade> = {}): LinhaVerdade => ({
  fonte: 's', rowId, pessoa, triagem, motivo, nome: `NOME ${pessoa}`, nascimento: '2000-01-01', gemeos: '', ...extra,
});
const c = (rowId: string, cluster: string, fonte = 's'): LinhaCluster => ({ fonte, rowId, cluster });

/*
 * Tiny truth, worked by hand:
 *   P1: r1 (CPF), r2 (sem CPF), r3 (CPF)      → C(3,2) = 3 true pairs; pairs touching a sem-CPF row: r1-r2, r2-r3 = 2
 *   P2: r4, r5 (cpf-invalido/digito)          → 1 pair          P2 and P3: same name and birth date (homonyms)
 *   P3: r6                                    → 0
 *   P4: r7 (twin group G1)                    → 0               P4 and P5: twins
 *   P5: r8 (G1), r9 (sem CPF)                 → 1 pair, touching a sem-CPF row: 1
 *   P6: r10 (cpf-invalido/repetido), r11      → 1 pair (r10 is invalid, not sem CPF: 0 sem-CPF pairs)
 *   true pairs = 3 + 1 + 0 + 0 + 1 + 1 = 6; true pairs touching a sem-CPF row = 2 + 1 = 3
 * Clusters: A = {r1, r2}, B = {r3}, C = {r4, r6}, D = {r7, r8}, E = {r9}; r5 quarentena:digito; r10 quarentena:tamanho;
 *   r11 missing (singleton); (s, r99) not in the truth.
 *   predicted pairs = A 1 + C 1 + D 1 = 3
 *   cells: (A,P1) = 2 rows → 1 pair; every other cell has 1 row → 0. True positives = 1.
 *   precision = 1/3, recall = 1/6, F1 = 2·(1/3)(1/6) / (1/3 + 1/6) = (1/9) / (1/2) = 2/9.
 *   sem-CPF hits: cell (A,P1) has r1 (CPF) and r2 (sem CPF): C(2,2) − C(1,2) = 1 → recall 1/3.
 *   homonym pairs: {P2,P3} → 1 in truth, merged in C → 1. Twin pairs: {P4,P5} → 1, merged in D → 1.
 *   triage: invalid rows r5 (right reason), r10 (wrong reason: tamanho vs repetido) → accuracy 1/2.
 * Without the truth's invalid rows (r5, r10): true pairs P1 3 + P5 1 = 4; predicted A 1 + C 1 + D 1 = 3; hits 1 →
 *   precision 1/3, recall 1/4, F1 = 2·(1/3)(1/4) / (1/3 + 1/4) = (1/6) / (7/12) = 2/7.
 */
const VERDADE: LinhaVerdade[] = [
  v('r1', 'P1', 'base-unica'), v('r2', 'P1', 'sem-cpf'), v('r3', 'P1', 'base-unica'),
  v('r4', 'P2', 'base-unica', '', { nome: 'ANA SILVA' }), v('r5', 'P2', 'cpf-invalido', 'digito', { nome: 'ANA SILVA' }),
  v('r6', 'P3', 'base-unica', '', { nome: 'ANA SILVA' }),
  v('r7', 'P4', 'base-unica', '', { gemeos: 'G1', nascimento: '2015-05-05' }),
  v('r8', 'P5', 'base-unica', '', { gemeos: 'G1', nascimento: '2015-05-05' }), v('r9', 'P5', 'sem-cpf', '', { gemeos: 'G1', nascimento: '2015-05-05' }),
  v('r10', 'P6', 'cpf-invalido', 'repetido'), v('r11', 'P6', 'base-unica'),
];
const CLUSTERS: LinhaCluster[] = [
  c('r1', 'A'), c('r2', 'A'), c('r3', 'B'), c('r4', 'C'), c('r5', 'quarentena:digito'), c('r6', 'C'), c('r7', 'D'), c('r8', 'D'), c('r9', 'E'),
  c('r10', 'quarentena:tamanho'), c('r99', 'Z'),
];

describe('pontuar', () => {
  it('the hand-worked example', async () => {
    const r = await pontuar(VERDADE, CLUSTERS);
    expect(r).toEqual({
      linhasVerdade: 11, linhasSemCluster: 1, linhasForaDaVerdade: 1, linhasDuplicadas: 0,
      pares: { verdadeiros: 6, previstos: 3, acertos: 1, precisao: 1 / 3, recall: 1 / 6, f1: 2 / 9 },
      paresSemInvalidas: { verdadeiros: 4, previstos: 3, acertos: 1, precisao: 1 / 3, recall: 1 / 4, f1: expect.closeTo(2 / 7, 12) },
      semCpf: { linhas: 2, paresVerdadeiros: 3, acertos: 1, recall: 1 / 3 },
      homonimos: { paresNaVerdade: 1, paresFundidos: 1 },
      gemeos: { paresNaVerdade: 1, paresFundidos: 1 },
      triagem: { invalidas: 2, quarentenaCerta: 1, motivoErrado: 1, naoQuarentenadas: 0, quarentenaIndevida: 0, acuracia: 1 / 2 },
    });
  });

  it('listar: each merged homonym and twin pair with its cluster and both persons\' rows in it', async () => {
    const r = await pontuar(VERDADE, CLUSTERS, { listar: true });
    // P2/P3 meet in C (r5, P2's other row, is quarantined: not in the cluster); P4/P5 meet in D (r9 sits in E).
    expect(r.homonimos).toEqual({ paresNaVerdade: 1, paresFundidos: 1, fundidos: [{ cluster: 'C', pessoas: ['P2', 'P3'], linhas: [['s:r4'], ['s:r6']] }] });
    expect(r.gemeos).toEqual({ paresNaVerdade: 1, paresFundidos: 1, fundidos: [{ cluster: 'D', pessoas: ['P4', 'P5'], linhas: [['s:r7'], ['s:r8']] }] });
  });

  it('clusters equal to the truth: precision = recall = F1 = 1, nothing merged', async () => {
    // person → cluster; the invalid rows quarantined with their reasons. True pairs among non-quarantined rows:
    // P1 3, P2 0 (r5 quarantined), P5 1, P6 0 (r10 quarantined) = 4; every predicted pair is right → precision 1;
    // recall = 4 / 6 (the two pairs through quarantined rows r5 and r10 are lost).
    const perfeito = VERDADE.map((l) => c(l.rowId, l.triagem === 'cpf-invalido' ? `quarentena:${l.motivo}` : `K-${l.pessoa}`));
    const r = await pontuar(VERDADE, perfeito);
    expect(r.pares).toEqual({ verdadeiros: 6, previstos: 4, acertos: 4, precisao: 1, recall: 4 / 6, f1: (2 * 1 * (4 / 6)) / (1 + 4 / 6) });
    // without r5 and r10 the same 4 pairs are all there is: a perfect score
    expect(r.paresSemInvalidas).toEqual({ verdadeiros: 4, previstos: 4, acertos: 4, precisao: 1, recall: 1, f1: 1 });
    expect(r.semCpf).toEqual({ linhas: 2, paresVerdadeiros: 3, acertos: 3, recall: 1 });
    expect(r.homonimos.paresFundidos).toBe(0);
    expect(r.gemeos.paresFundidos).toBe(0);
    expect(r.triagem).toEqual({ invalidas: 2, quarentenaCerta: 2, motivoErrado: 0, naoQuarentenadas: 0, quarentenaIndevida: 0, acuracia: 1 });
  });

  it('everything in one cluster: recall 1, homonyms and twins merged, invalid rows not quarantined', async () => {
    // 11 rows in one cluster → C(11,2) = 55 predicted pairs, all 6 true pairs found → precision 6/55.
    const r = await pontuar(VERDADE, VERDADE.map((l) => c(l.rowId, 'X')));
    expect(r.pares).toEqual({ verdadeiros: 6, previstos: 55, acertos: 6, precisao: 6 / 55, recall: 1, f1: (2 * (6 / 55)) / (6 / 55 + 1) });
    // without r5 and r10: 9 rows in one cluster → C(9,2) = 36 predicted, 4 true pairs all found
    expect(r.paresSemInvalidas).toEqual({ verdadeiros: 4, previstos: 36, acertos: 4, precisao: 4 / 36, recall: 1, f1: (2 * (4 / 36)) / (4 / 36 + 1) });
    expect(r.homonimos).toEqual({ paresNaVerdade: 1, paresFundidos: 1 });
    expect(r.triagem).toMatchObject({ invalidas: 2, naoQuarentenadas: 2, acuracia: 0 });
  });

  it('no clusters at all: no predicted pairs → precision null; a quarantine of a valid row is counted', async () => {
    const r = await pontuar(VERDADE, [c('r1', 'quarentena:digito'), c('r1', 'A'), c('r1', 'x', 'outra-fonte')]);
    expect(r.pares).toEqual({ verdadeiros: 6, previstos: 0, acertos: 0, precisao: null, recall: 0, f1: null });
    expect(r.paresSemInvalidas).toEqual({ verdadeiros: 4, previstos: 0, acertos: 0, precisao: null, recall: 0, f1: null });
    expect(r.linhasSemCluster).toBe(10);
    expect(r.linhasDuplicadas).toBe(1);
    expect(r.linhasForaDaVerdade).toBe(1);
    expect(r.triagem.quarentenaIndevida).toBe(1);
  });

  it('a repeated truth row is an error', async () => {
    await expect(pontuar([v('r1', 'P1', 'base-unica'), v('r1', 'P2', 'base-unica')], [])).rejects.toThrow('verdade: linha repetida (s, r1)');
  });
});

describe('reading the files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'carga-pontuar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads truth and clusters CSVs (extra columns ignored) and scores them', async () => {
    await writeFile(join(dir, 'v.csv'), 'source,row_id,person_id,triagem,motivo,cpf_de_outra_pessoa,nome,data_nascimento,sexo,gemeos\n' +
      'a,1,P1,base-unica,,,ANA,2000-01-01,F,\nb,x,P1,sem-cpf,,,ANA,2000-01-01,F,\na,2,P2,cpf-invalido,digito,,"SILVA, ANA",1999-01-01,F,\n');
    await writeFile(join(dir, 'c.csv'), 'source,row_id,cluster_id\na,1,g1\nb,x,g1\na,2,quarentena:digito\n');
    const r = await pontuar(lerVerdade(join(dir, 'v.csv')), lerClusters(join(dir, 'c.csv')));
    expect(r.pares).toEqual({ verdadeiros: 1, previstos: 1, acertos: 1, precisao: 1, recall: 1, f1: 1 });
    expect(r.paresSemInvalidas).toEqual({ verdadeiros: 1, previstos: 1, acertos: 1, precisao: 1, recall: 1, f1: 1 });
    expect(r.semCpf.recall).toBe(1);
    expect(r.triagem.acuracia).toBe(1);
  });

  it('a clusters file without cluster_id fails naming the column', async () => {
    await writeFile(join(dir, 'ruim.csv'), 'source,row_id,cluster\na,1,g1\n');
    await expect(pontuar([], lerClusters(join(dir, 'ruim.csv')))).rejects.toThrow('faltam as colunas cluster_id');
  });
});
