import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { lerFonte } from '../ler-fonte.js';
import { carregarMapeamento } from '../mapeamento.js';
import { gerarDados, type ResumoGeracao } from './gerador.js';

/*
 * Item 6 of the batch-load foundations: triage on generated data. The generator records, by construction, what the
 * triage of each row must be (`verdade.csv`); reading the five generated files through their YAML mappings must give
 * exactly that, row by row.
 */
const dirFontes = fileURLToPath(new URL('../fontes/', import.meta.url));
const ARQUIVOS: Record<string, string> = { fazenda: 'fazenda.csv', siga: 'siga.txt', eol: 'eol.csv', bdc: 'bdc.csv', outros: 'outros.tsv' };
const PESSOAS = 2000;
let dir = '';
let resumo: ResumoGeracao;
type LinhaVerdade = Record<string, string>;
const verdade = new Map<string, LinhaVerdade>();
const lido = new Map<string, { triagem: string; motivo: string; cpf: string | null; nascimento: string | null }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carga-gerador-'));
  resumo = await gerarDados({ pessoas: PESSOAS, semente: 20261205, saida: join(dir, 'a') });
  for await (const l of createReadStream(join(dir, 'a', 'verdade.csv')).pipe(parse({ columns: true })) as AsyncIterable<LinhaVerdade>) {
    verdade.set(`${l['source']}|${l['row_id']}`, l);
  }
  for (const [fonte, arquivo] of Object.entries(ARQUIVOS)) {
    const mapa = await carregarMapeamento(`${dirFontes}${fonte}.yaml`);
    for await (const r of lerFonte(mapa, join(dir, 'a', arquivo))) {
      const t = r.triagem;
      lido.set(`${r.fonte}|${r.chave}`, {
        triagem: t.categoria, motivo: t.categoria === 'cpf-invalido' ? t.motivo : '', cpf: t.categoria === 'base-unica' ? t.cpf : null, nascimento: r.dataNascimento,
      });
    }
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated data read through the mappings', () => {
  it('every truth row is read once, and nothing else', () => {
    expect(lido.size).toBe(verdade.size);
    expect([...verdade.keys()].filter((k) => !lido.has(k))).toEqual([]);
    expect(verdade.size).toBe(resumo.linhas);
  });

  it('triage counts equal the truth counts exactly', () => {
    const contar = (linhas: Iterable<{ triagem: string; motivo: string }>) => {
      const c: Record<string, number> = {};
      for (const l of linhas) {
        const k = l.motivo === '' ? l.triagem : `${l.triagem}:${l.motivo}`;
        c[k] = (c[k] ?? 0) + 1;
      }
      return c;
    };
    expect(contar(lido.values())).toEqual(contar([...verdade.values()].map((v) => ({ triagem: v['triagem'], motivo: v['motivo'] }))));
  });

  it('each row has the truth triage and reason; a base-unica row carries the CPF the truth says (cpf_linha)', () => {
    const divergentes: string[] = [];
    for (const [k, v] of verdade) {
      const l = lido.get(k)!;
      if (l.triagem !== v['triagem'] || l.motivo !== v['motivo'] || l.cpf !== (v['cpf_linha'] === '' ? null : v['cpf_linha'])) divergentes.push(`${k}: lido ${JSON.stringify(l)} verdade ${v['triagem']}/${v['motivo']}/${v['cpf_linha']}`);
    }
    expect(divergentes).toEqual([]);
  });

  it('every reason occurs, and the shares are near the issue’s ~5 % without CPF and ~2.5 % invalid', () => {
    expect(Object.keys(resumo.motivos).sort()).toEqual(['caractere', 'digito', 'repetido', 'sequencia-conhecida', 'tamanho']);
    expect(resumo.triagem['sem-cpf'] / resumo.linhas).toBeGreaterThan(0.035);
    expect(resumo.triagem['sem-cpf'] / resumo.linhas).toBeLessThan(0.07);
    expect(resumo.triagem['cpf-invalido'] / resumo.linhas).toBeGreaterThan(0.015);
    expect(resumo.triagem['cpf-invalido'] / resumo.linhas).toBeLessThan(0.035);
  });

  it('birth dates read back are the true ones except the planted day/month swaps (≤ 3 %)', () => {
    let iguais = 0;
    let trocadas = 0;
    for (const [k, v] of verdade) {
      const n = lido.get(k)!.nascimento;
      const [a, m, d] = v['data_nascimento'].split('-');
      if (n === v['data_nascimento']) iguais += 1;
      else if (n === `${a}-${d}-${m}`) trocadas += 1;
    }
    expect(iguais + trocadas).toBe(verdade.size);
    expect(trocadas).toBeGreaterThan(0);
    expect(trocadas / verdade.size).toBeLessThan(0.03);
  });
});

describe('the truth file', () => {
  it('has every person in one to five distinct sources, and the count of persons asked for', () => {
    const fontesPorPessoa = new Map<string, string[]>();
    for (const v of verdade.values()) fontesPorPessoa.set(v['person_id'], [...(fontesPorPessoa.get(v['person_id']) ?? []), v['source']]);
    expect(fontesPorPessoa.size).toBe(PESSOAS);
    const tamanhos = new Set([...fontesPorPessoa.values()].map((f) => f.length));
    expect([...tamanhos].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...fontesPorPessoa.values()].filter((f) => new Set(f).size !== f.length)).toEqual([]);
  });

  it('plants every trap: mother’s CPF on a child’s row, twins, homonyms, deceased', () => {
    const linhas = [...verdade.values()];
    const daMae = linhas.filter((v) => v['cpf_de_outra_pessoa'] === 'mae');
    expect(daMae.length).toBe(resumo.cpfDaMae);
    expect(daMae.length).toBeGreaterThan(0);
    // the CPF on that row is the mother's, not the child's own; a mother in the population has that CPF herself
    expect(daMae.filter((v) => v['cpf_linha'] !== v['cpf_mae'] || v['cpf_linha'] === v['cpf'] || v['triagem'] !== 'base-unica')).toEqual([]);
    const cpfDe = new Map(linhas.map((v) => [v['person_id'], v['cpf']]));
    expect(linhas.filter((v) => v['mae_id'] !== '' && cpfDe.get(v['mae_id']) !== v['cpf_mae'])).toEqual([]);
    expect(daMae.filter((v) => v['mae_id'] !== '').length).toBeGreaterThan(0);

    const gemeos = new Map<string, Set<string>>();
    for (const v of linhas) if (v['gemeos'] !== '') gemeos.set(v['gemeos'], (gemeos.get(v['gemeos']) ?? new Set()).add(`${v['person_id']}|${v['mae_id']}|${v['data_nascimento']}`));
    expect(gemeos.size).toBe(resumo.gruposGemeos);
    expect(gemeos.size).toBeGreaterThan(0);
    for (const membros of gemeos.values()) {
      const [p1, p2] = [...membros].map((m) => m.split('|'));
      expect(membros.size).toBe(2);
      expect([p1[1], p1[2]]).toEqual([p2[1], p2[2]]); // same mother, same birth date
      expect(p1[0]).not.toBe(p2[0]);
    }

    const pessoa = new Map(linhas.map((v) => [v['person_id'], v]));
    const homonimos = [...pessoa.values()].filter((v) => v['homonimo_de'] !== '');
    expect(homonimos.length).toBe(resumo.homonimosPlantados);
    expect(homonimos.length).toBeGreaterThan(0);
    for (const h of homonimos) {
      const original = pessoa.get(h['homonimo_de'])!;
      expect([h['nome'], h['data_nascimento'], h['sexo']]).toEqual([original['nome'], original['data_nascimento'], original['sexo']]);
      expect(h['cpf']).not.toBe(original['cpf']);
    }
    expect([...pessoa.values()].filter((v) => v['falecido'] === 'S').length).toBe(resumo.falecidos);
    expect(resumo.falecidos).toBeGreaterThan(0);
  });

  it('valid CPFs are unique per person and some lost leading zeros in the numeric source', async () => {
    const porCpf = new Map<string, string>();
    for (const v of verdade.values()) {
      if (v['cpf'] === '') continue;
      expect(porCpf.get(v['cpf']) ?? v['person_id']).toBe(v['person_id']);
      porCpf.set(v['cpf'], v['person_id']);
    }
    const siga = await readFile(join(dir, 'a', 'siga.txt'), 'latin1');
    const curtos = siga.split('\n').slice(1).filter((l) => /^\d+\|\d{9,10}\|/.test(l));
    expect(curtos.length).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  it('the same seed gives byte-identical files; another seed gives different ones', async () => {
    await gerarDados({ pessoas: 300, semente: 42, saida: join(dir, 'b') });
    await gerarDados({ pessoas: 300, semente: 42, saida: join(dir, 'c') });
    await gerarDados({ pessoas: 300, semente: 43, saida: join(dir, 'd') });
    for (const arquivo of [...Object.values(ARQUIVOS), 'verdade.csv']) {
      const b = await readFile(join(dir, 'b', arquivo));
      expect(b.equals(await readFile(join(dir, 'c', arquivo)))).toBe(true);
      expect(b.equals(await readFile(join(dir, 'd', arquivo)))).toBe(false);
    }
  });

  it('without the agnomes and forms of address, a seed gives the files the generator gave before that option', async () => {
    // sha256 of the files of 300 persons, seed 42, written by the generator of commit c7c0163 (before the option)
    const antes: Record<string, string> = {
      'fazenda.csv': '09542340ce4a54b02bd2d84129cc6c8cb46c8f544946ab02da2cddc701dde670',
      'siga.txt': '4195a0a27bd7564ea2636413a1334e5f7e78217722845088cf85497dd40c221d',
      'eol.csv': '94e064b1e1f4a03a030e8694cab9b1699c1bc65ceb770b8e2c38227dc63e9c0b',
      'bdc.csv': '12f191839f52de19f4f946c8a13503bd5af3c18662d658697bd73db7a3d3c5c5',
      'outros.tsv': '183c745f396e0762b8c8378ce70147aaef098b8548bdffac40a65b1fa025dd34',
      'verdade.csv': '7455d6a9a56be316adaaa303e0485183d0c5a6e9f7889975b54e777d28eed078',
    };
    await gerarDados({ pessoas: 300, semente: 42, saida: join(dir, 'g'), tratamentosAgnomes: false });
    const agora: Record<string, string> = {};
    for (const arquivo of Object.keys(antes)) agora[arquivo] = createHash('sha256').update(await readFile(join(dir, 'g', arquivo))).digest('hex');
    expect(agora).toEqual(antes);
  });

  it('refuses a bad person count or seed', async () => {
    await expect(gerarDados({ pessoas: 0, semente: 1, saida: join(dir, 'e') })).rejects.toThrow('pessoas deve ser um inteiro entre 1 e 10000000');
    await expect(gerarDados({ pessoas: 10, semente: -1, saida: join(dir, 'e') })).rejects.toThrow('semente deve ser um inteiro');
  });
});

describe('agnomes and forms of address (tratamentosAgnomes)', () => {
  const AGNOMES = ['FILHO', 'JÚNIOR'];
  const TRATAMENTOS = /^(DR|DRA|SR|SRA)\.? /;
  let resumoT: ResumoGeracao;
  const verdadeT = new Map<string, LinhaVerdade>();
  const nomeLido = new Map<string, { nome: string; pai: string | null }>();

  beforeAll(async () => {
    resumoT = await gerarDados({ pessoas: PESSOAS, semente: 20261205, saida: join(dir, 't'), tratamentosAgnomes: true });
    for await (const l of createReadStream(join(dir, 't', 'verdade.csv')).pipe(parse({ columns: true })) as AsyncIterable<LinhaVerdade>) {
      verdadeT.set(`${l['source']}|${l['row_id']}`, l);
    }
    for (const [fonte, arquivo] of Object.entries(ARQUIVOS)) {
      const mapa = await carregarMapeamento(`${dirFontes}${fonte}.yaml`);
      for await (const r of lerFonte(mapa, join(dir, 't', arquivo))) nomeLido.set(`${r.fonte}|${r.chave}`, { nome: r.nome!, pai: r.nomePai });
    }
  }, 60_000);

  const semAcento = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const agnomeDe = (nome: string) => AGNOMES.find((a) => nome.endsWith(` ${a}`));

  it('sons named after their fathers carry FILHO or JÚNIOR in the truth; men only; their rows name the father without it', () => {
    const pessoas = new Map([...verdadeT.values()].map((v) => [v['person_id'], v]));
    const comAgnome = [...pessoas.values()].filter((v) => agnomeDe(v['nome']) !== undefined);
    expect(comAgnome.filter((v) => v['homonimo_de'] === '').length).toBe(resumoT.comAgnome);
    expect(resumoT.comAgnome).toBeGreaterThan(50);
    expect(comAgnome.filter((v) => v['sexo'] !== 'M')).toEqual([]);
    const pais = [...verdadeT.entries()].flatMap(([k, v]) => {
      const a = agnomeDe(v['nome']);
      const pai = nomeLido.get(k)!.pai;
      return a !== undefined && pai !== null && v['homonimo_de'] === '' ? [[semAcento(pai), semAcento(v['nome'].slice(0, -a.length - 1))]] : [];
    });
    expect(pais.length).toBeGreaterThan(20);
    expect(pais.filter(([pai, nome]) => pai !== nome)).toEqual([]);
  });

  it('their rows write the agnome, leave it out, or write JR / JR. for JÚNIOR', () => {
    const formas = new Map<string, number>();
    for (const [k, v] of verdadeT) {
      const a = agnomeDe(v['nome']);
      if (a === undefined) continue;
      const nome = semAcento(nomeLido.get(k)!.nome);
      const forma = nome.endsWith(` ${semAcento(a)}`) ? semAcento(a) : / JR\.?$/.test(nome) ? 'JR' : 'sem agnome';
      formas.set(forma, (formas.get(forma) ?? 0) + 1);
    }
    expect([...formas.keys()].sort()).toEqual(['FILHO', 'JR', 'JUNIOR', 'sem agnome']);
    const total = [...formas.values()].reduce((x, y) => x + y, 0);
    // 30 % left out (typos in the last word aside)
    expect(formas.get('sem agnome')! / total).toBeGreaterThan(0.2);
    expect(formas.get('sem agnome')! / total).toBeLessThan(0.4);
  });

  it('a form of address comes before adults\' names in bdc and outros only, counted in the summary', () => {
    const com = [...nomeLido.entries()].filter(([, l]) => TRATAMENTOS.test(l.nome));
    expect(com.length).toBe(resumoT.linhasComTratamento);
    expect(com.length).toBeGreaterThan(10);
    expect(new Set(com.map(([k]) => k.split('|')[0]))).toEqual(new Set(['bdc', 'outros']));
    // adults on 2026-01-01, the generator's reference date
    expect(com.filter(([k]) => verdadeT.get(k)!['data_nascimento'] > '2008-01-01')).toEqual([]);
  });
});
