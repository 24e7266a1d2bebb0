/**
 * The batch load end to end on real PostgreSQL, on generated data (api/src/carga/gerador): the five demo sources
 * loaded one after the other, then checked against the generator's truth file — triage counts per source and reason,
 * each row's triage, every quarantined row's reason in the cluster export — and re-loaded: the same files change
 * nothing, a changed row is processed again alone, a steward's assignment survives.
 *
 * Linkage and merge are other modules' (fases.ts): this file only relies on their shared contract — every row gets a
 * `vinculo` from the allowed set, and an identity unless quarantined; only invalid-CPF rows are quarantined.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { lerVerdadeCsv, somaExata, type LinhaDaVerdade } from '../../test/helpers/carga.js';
import { exportarClusters } from './clusters.js';
import { diagnosticoDaBase, diagnosticoDaCarga, type DiagnosticoCarga } from './diagnostico.js';
import { executarCarga } from './executar-carga.js';
import { gerarDados } from './gerador/gerador.js';

usarRelogioDosTestes();

const FONTES = fileURLToPath(new URL('./fontes/', import.meta.url));
const ARQUIVOS: [string, string][] = [['fazenda', 'fazenda.csv'], ['siga', 'siga.txt'], ['eol', 'eol.csv'], ['bdc', 'bdc.csv'], ['outros', 'outros.tsv']];
const MOTIVOS = ['caractere', 'tamanho', 'repetido', 'sequencia-conhecida', 'digito'];
const VINCULOS = ['cpf', 'probabilistico', 'revisao', 'novo', 'quarentena', 'gestor'];
/** Rows per COPY chunk: small, so every file is staged in several chunks. */
const LOTE = 40;

let db: TestDatabase;
let dir = '';
let verdade: Map<string, LinhaDaVerdade>;
const diagnosticos = new Map<string, DiagnosticoCarga>();

const carregar = (fonte: string, arquivo: string, linhasPorLote = LOTE) =>
  executarCarga(db.dataSource, { fonte, arquivo, fontesDir: FONTES, iniciadaPor: 'teste' }, { linhasPorLote });
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);

async function exportar(): Promise<string> {
  let texto = '';
  const destino = new Writable({
    write(pedaco: Buffer, _codificacao, feito) {
      texto += pedaco.toString('utf8');
      feito();
    },
  });
  await exportarClusters(db.dataSource, destino);
  return texto;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-executar-'));
  await gerarDados({ pessoas: 600, semente: 11, saida: dir });
  verdade = await lerVerdadeCsv(join(dir, 'verdade.csv'));
  for (const [fonte, arquivo] of ARQUIVOS) diagnosticos.set(fonte, await carregar(fonte, join(dir, arquivo)));
}, 180_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a load of generated data, against the truth file', () => {
  it.each(ARQUIVOS.map(([f]) => f))('%s: triage counts per category and reason equal the truth exactly', (fonte) => {
    const linhas = [...verdade.values()].filter((v) => v['source'] === fonte);
    const contar = (pred: (v: LinhaDaVerdade) => boolean) => linhas.filter(pred).length;
    const d = diagnosticos.get(fonte)!;
        expect({
      registrosLidos: d.registrosLidos,
      linhasComCpfValido: d.linhasComCpfValido,
      cpfsValidos: d.cpfsValidos,
      semCpf: d.semCpf,
      invalidas: d.cpfsInvalidos.linhas,
      porMotivo: Object.fromEntries(MOTIVOS.map((m) => [m, d.cpfsInvalidos.porMotivo[m as 'digito'].linhas])),
      semChave: d.semChave,
      chavesDuplicadas: d.chavesDuplicadas,
      inalterados: d.inalterados,
    }).toEqual({
      registrosLidos: linhas.length,
      linhasComCpfValido: contar((v) => v['triagem'] === 'base-unica'),
      cpfsValidos: new Set(linhas.filter((v) => v['triagem'] === 'base-unica').map((v) => v['cpf_linha'])).size,
      semCpf: contar((v) => v['triagem'] === 'sem-cpf'),
      invalidas: contar((v) => v['triagem'] === 'cpf-invalido'),
      porMotivo: Object.fromEntries(MOTIVOS.map((m) => [m, contar((v) => v['motivo'] === m)])),
      semChave: 0,
      chavesDuplicadas: 0,
      inalterados: 0,
    });
    expect(d.cpfsUnicos).toBe(d.cpfsValidos + d.cpfsInvalidos.valoresDistintos);
    expect(d.carga).toMatchObject({ fonte, situacao: 'concluida', fase: 'concluida', linhasConfirmadas: linhas.length, iniciadaPor: 'teste' });
    // The domain clock of the tests, not the machine's.
    expect(d.carga.observadoEm).toMatch(/^2026-11-16T15:/);
  });

  it('the data set exercises every category: each reason, rows without CPF, several COPY chunks per file', () => {
    const todas = [...verdade.values()];
    expect(MOTIVOS.filter((m) => !todas.some((v) => v['motivo'] === m))).toEqual([]);
    expect(todas.filter((v) => v['triagem'] === 'sem-cpf').length).toBeGreaterThan(0);
    expect(Math.min(...[...diagnosticos.values()].map((d) => d.registrosLidos))).toBeGreaterThan(LOTE * 2);
  });

  it('every truth row is loaded once, with the triage, reason and CPF the truth gives', async () => {
    const linhas = await q<{ fonte: string; chave_fonte: string; triagem: string; motivo: string | null; cpf: string | null }>(
      `SELECT fonte, chave_fonte, triagem, motivo, cpf FROM linha_carga`,
    );
    expect(linhas).toHaveLength(verdade.size);
    const divergentes = linhas.filter((l) => {
      const v = verdade.get(`${l.fonte}|${l.chave_fonte}`);
      return !v || v['triagem'] !== l.triagem || v['motivo'] !== (l.motivo ?? '') || v['cpf_linha'] !== (l.cpf ?? '');
    });
    expect(divergentes).toEqual([]);
  });

  it('every row is assigned per the phases’ contract: a vinculo from the set; an identity unless quarantined; only invalid CPFs quarantined', async () => {
    const [r] = await q<Record<string, string>>(
      `SELECT count(*) FILTER (WHERE vinculo IS NULL OR vinculo <> ALL ($1)) AS fora,
              count(*) FILTER (WHERE (identidade_id IS NULL) <> (vinculo = 'quarentena')) AS incoerentes,
              count(*) FILTER (WHERE vinculo = 'quarentena' AND triagem <> 'cpf-invalido') AS quarentena_indevida,
              count(*) FILTER (WHERE identidade_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identidade i WHERE i.id = identidade_id)) AS sem_identidade
         FROM linha_carga`,
      [VINCULOS],
    );
    expect(r).toEqual({ fora: '0', incoerentes: '0', quarentena_indevida: '0', sem_identidade: '0' });
    expect(await q(`SELECT count(*)::int AS n FROM carga_staging`)).toEqual([{ n: 0 }]);
  });

  it('the cluster export has the header, every loaded row once, and every quarantined row carries the truth’s reason', async () => {
    const texto = await exportar();
    expect(texto.slice(0, texto.indexOf('\n'))).toBe('source,row_id,cluster_id');
    const linhas = parse<{ source: string; row_id: string; cluster_id: string }>(texto, { columns: true });
    expect(linhas).toHaveLength(verdade.size);
    expect(new Set(linhas.map((l) => `${l.source}|${l.row_id}`))).toEqual(new Set(verdade.keys()));
    const formato = linhas.filter((l) => !/^(\d+|quarentena:[a-z-]+)$/.test(l.cluster_id));
    expect(formato).toEqual([]);
    const quarentena = linhas.filter((l) => l.cluster_id.startsWith('quarentena:'));
    const erradas = quarentena.filter((l) => {
      const v = verdade.get(`${l.source}|${l.row_id}`)!;
      return v['triagem'] !== 'cpf-invalido' || `quarentena:${v['motivo']}` !== l.cluster_id;
    });
    expect(erradas).toEqual([]);
    // Ordered by source and key (COPY of an ORDER BY), so two exports of one base are identical files.
    const chaves = linhas.map((l) => [l.source, l.row_id]);
    expect(chaves).toEqual([...chaves].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)));
  });

  it('the diagnosis of the base adds up the five loads, and a load’s diagnosis is stored', async () => {
    const base = await diagnosticoDaBase(db.dataSource);
    const todas = [...verdade.values()];
    expect(base.registrosLidos).toBe(todas.length);
    expect(base.linhasComCpfValido).toBe(todas.filter((v) => v['triagem'] === 'base-unica').length);
    expect(base.cpfsValidos).toBe(new Set(todas.filter((v) => v['triagem'] === 'base-unica').map((v) => v['cpf_linha'])).size);
    expect(base.semCpf).toBe(todas.filter((v) => v['triagem'] === 'sem-cpf').length);
    expect(base.cpfsInvalidos.linhas).toBe(todas.filter((v) => v['triagem'] === 'cpf-invalido').length);
    expect(base.linhasPorFonte).toEqual(Object.fromEntries(ARQUIVOS.map(([f]) => [f, todas.filter((v) => v['source'] === f).length])));
    expect(base.cargas).toEqual({ concluidas: 5, emAndamento: 0, falharam: 0 });
    expect(Object.values(base.porVinculo).reduce((a, b) => a + b, 0)).toBe(todas.length);
    const d = diagnosticos.get('bdc')!;
    expect(await diagnosticoDaCarga(db.dataSource, d.carga.id)).toEqual(d);
  });
});

describe('re-loading', () => {
  it('the same five files again change nothing: every table byte for byte, only five new carga rows, every row inalterado', async () => {
    const [{ ultima }] = (await q<{ ultima: string }>(`SELECT max(id)::text AS ultima FROM carga`)) as [{ ultima: string }];
    const antes = await somaExata(db.dataSource, ultima);
    for (const [fonte, arquivo] of ARQUIVOS) {
      const d = await carregar(fonte, join(dir, arquivo));
      expect({ inalterados: d.inalterados, fundidos: d.fundidos, novas: d.novasIdentidades, porVinculo: Object.values(d.porVinculo).reduce((a, b) => a + b, 0) })
        .toEqual({ inalterados: diagnosticos.get(fonte)!.registrosLidos, fundidos: 0, novas: 0, porVinculo: 0 });
    }
    expect(await somaExata(db.dataSource, ultima)).toEqual(antes);
    expect(await q(`SELECT count(*)::int AS n FROM carga WHERE id > $1`, [ultima])).toEqual([{ n: 5 }]);
  });

  it('a file with one changed row: that row alone is processed again; a steward’s assignment of it is kept', async () => {
    const original = await readFile(join(dir, 'outros.tsv'), 'utf8');
    const linhas = original.split('\n');
    const cols = linhas[1].split('\t');
    const chave = cols[0];
    // The steward decided this row belongs to another golden id (the identity of the first fazenda row).
    const [{ alvo }] = (await q<{ alvo: string }>(`SELECT identidade_id::text AS alvo FROM linha_carga WHERE fonte = 'fazenda' AND identidade_id IS NOT NULL ORDER BY chave_fonte LIMIT 1`)) as [{ alvo: string }];
    await q(`UPDATE linha_carga SET vinculo = 'gestor', identidade_id = $2 WHERE fonte = 'outros' AND chave_fonte = $1`, [chave, alvo]);
    const [{ ultima }] = (await q<{ ultima: string }>(`SELECT max(id)::text AS ultima FROM carga`)) as [{ ultima: string }];
    cols[1] = `${cols[1]} NOVO`;
    linhas[1] = cols.join('\t');
    const alterado = join(dir, 'outros-alterado.tsv');
    await writeFile(alterado, linhas.join('\n'));

    const d = await carregar('outros', alterado);
    const total = diagnosticos.get('outros')!.registrosLidos;
    expect({ lidos: d.registrosLidos, inalterados: d.inalterados, gestor: d.porVinculo.gestor, mantidas: d.fases.registrando?.['mantidasPeloGestor'] })
      .toEqual({ lidos: total, inalterados: total - 1, gestor: 1, mantidas: 1 });
    const [l] = await q<{ nome: string; vinculo: string; identidade_id: string; carga_id: string }>(
      `SELECT nome, vinculo, identidade_id::text AS identidade_id, carga_id::text AS carga_id FROM linha_carga WHERE fonte = 'outros' AND chave_fonte = $1`,
      [chave],
    );
    expect(l).toEqual({ nome: expect.stringMatching(/ NOVO$/), vinculo: 'gestor', identidade_id: alvo, carga_id: d.carga.id });
    expect(await q(`SELECT count(*)::int AS n FROM linha_carga WHERE fonte = 'outros' AND carga_id > $1`, [ultima])).toEqual([{ n: 1 }]);
  });
});
