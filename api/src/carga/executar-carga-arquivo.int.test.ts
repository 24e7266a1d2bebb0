/**
 * The batch load on small hand-written files through a mapping written here: rows without a key, keys repeated in a
 * file, distinct invalid values, bad files (the load is marked `falhou`), bad requests, and resuming after a failure
 * at a named point (in process; the real kill -9 is in test/carga-cli.test.ts), including PostgreSQL losing the
 * unlogged staging table.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { executarCarga, type OpcoesCarga } from './executar-carga.js';

usarRelogioDosTestes();

const MAPEAMENTO = `
fonte: teste
descricao: Fonte escrita à mão para os testes da carga
pmcc: smads-bdc
cmbd: { sigla: SMADS, fonteCarga: teste-carga }
arquivo: { codificacao: utf-8, delimitador: ";", aspas: '"' }
chave: ID
nulos: [IGNORADO]
campos:
  cpf: { coluna: CPF }
  nome: { coluna: NOME }
  dataNascimento: { coluna: NASC, formatos: [DD/MM/YYYY] }
`;

let db: TestDatabase;
let dir = '';
const mascarar = (c: string) => `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}`;
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);

async function arquivo(nome: string, linhas: string[]): Promise<string> {
  const caminho = join(dir, nome);
  await writeFile(caminho, `${linhas.join('\n')}\n`);
  return caminho;
}
const carregar = (caminho: string, opcoes: OpcoesCarga = {}, fonte = 'teste', observadoEm?: string) =>
  executarCarga(db.dataSource, { fonte, arquivo: caminho, fontesDir: dir, iniciadaPor: 'teste', ...(observadoEm ? { observadoEm } : {}) }, { linhasPorLote: 2, ...opcoes });
/** A failure at `ponto`, as a crash there would leave things (the open transaction rolls back). */
const falharEm = (ponto: string): OpcoesCarga => ({
  aoPonto: (p) => (p === ponto ? Promise.reject(new Error(`falha simulada em ${ponto}`)) : Promise.resolve()),
});

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-arquivo-'));
  await writeFile(join(dir, 'teste.yaml'), MAPEAMENTO);
  await writeFile(join(dir, 'trocada.yaml'), MAPEAMENTO.replace('fonte: teste', 'fonte: outra'));
  await writeFile(join(dir, 'quebrada.yaml'), MAPEAMENTO.replace('pmcc: smads-bdc', 'pmcc: inexistente').replace('fonte: teste', 'fonte: quebrada'));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('rows of one file', () => {
  it('counts rows without a key and later rows repeating a key (the first wins), and distinct invalid values per reason', async () => {
    const a = cpfAleatorio();
    const b = cpfAleatorio();
    const caminho = await arquivo('linhas.csv', [
      'ID;CPF;NOME;NASC',
      `A1;${mascarar(a)};MARIA DA SILVA;01/02/1980`,
      `;${mascarar(b)};SEM CHAVE;01/01/1990`,
      `A2;${a};MARIA SILVA;01/02/1980`,
      `A1;${mascarar(b)};MARIA REPETIDA;01/02/1980`,
      'A3;123.456.789-09;JOSE;03/03/1970',
      'A4;12345678909;JOSE DE SOUZA;03/03/1970',
      'A5;111.111.111-11;ANA;04/04/1960',
      'A6;IGNORADO;PEDRO;05/05/1950',
      `A7;${a.slice(0, 10)};PAULO;06/06/1940`,
    ]);
    const d = await carregar(caminho, {}, 'teste', '2026-10-01');
    expect({
      registrosLidos: d.registrosLidos, semChave: d.semChave, chavesDuplicadas: d.chavesDuplicadas, cpfsUnicos: d.cpfsUnicos, cpfsValidos: d.cpfsValidos,
      linhasComCpfValido: d.linhasComCpfValido, semCpf: d.semCpf, cpfsInvalidos: d.cpfsInvalidos, inalterados: d.inalterados,
    }).toEqual({
      registrosLidos: 9, semChave: 1, chavesDuplicadas: 1, cpfsUnicos: 4, cpfsValidos: 1, linhasComCpfValido: 2, semCpf: 1, inalterados: 0,
      cpfsInvalidos: {
        valoresDistintos: 3, linhas: 4,
        porMotivo: {
          caractere: { valoresDistintos: 0, linhas: 0 }, tamanho: { valoresDistintos: 1, linhas: 1 }, repetido: { valoresDistintos: 1, linhas: 1 },
          'sequencia-conhecida': { valoresDistintos: 1, linhas: 2 }, digito: { valoresDistintos: 0, linhas: 0 },
        },
      },
    });
    expect(d.carga).toMatchObject({ situacao: 'concluida', observadoEm: '2026-10-01T03:00:00.000Z', cmbd: { sigla: 'SMADS', fonteCarga: 'teste-carga' }, fontePmcc: 'smads-bdc' });
    expect(await q(`SELECT chave_fonte, nome, linha, cpf_bruto FROM linha_carga WHERE fonte = 'teste' ORDER BY chave_fonte`)).toEqual([
      { chave_fonte: 'A1', nome: 'MARIA DA SILVA', linha: 1, cpf_bruto: a },
      { chave_fonte: 'A2', nome: 'MARIA SILVA', linha: 3, cpf_bruto: a },
      { chave_fonte: 'A3', nome: 'JOSE', linha: 5, cpf_bruto: '12345678909' },
      { chave_fonte: 'A4', nome: 'JOSE DE SOUZA', linha: 6, cpf_bruto: '12345678909' },
      { chave_fonte: 'A5', nome: 'ANA', linha: 7, cpf_bruto: '11111111111' },
      { chave_fonte: 'A6', nome: 'PEDRO', linha: 8, cpf_bruto: null },
      { chave_fonte: 'A7', nome: 'PAULO', linha: 9, cpf_bruto: a.slice(0, 10) },
    ]);
  });

  it('rows that cannot be read (another number of fields, bytes that are not UTF-8) are counted among the rows read, located, and not loaded', async () => {
    const caminho = join(dir, 'ilegiveis.csv');
    await writeFile(caminho, Buffer.concat([
      Buffer.from([
        'ID;CPF;NOME;NASC',
        'M1;IGNORADO;ROSA;01/01/1980',
        'M2;IGNORADO;LIMA;SOUZA;01/01/1981', // a delimiter inside the name: 5 fields
        'M3;IGNORADO;"IRIS',
        'DA SILVA";01/01/1982', // one row over two lines (a quoted line break)
        'M4;IGNORADO', // truncated
        'M5;IGNORADO;LUIZ;01/01/1984',
        '',
      ].join('\n')),
      Buffer.from('M6;IGNORADO;JOSÉ;01/01/1985\n', 'latin1'), // one row written in Latin-1
      Buffer.from('M7;IGNORADO;CONCEIÇÃO;01/01/1986\n'),
    ]));
    const d = await carregar(caminho);
    expect([d.carga.situacao, d.registrosLidos, d.linhasIlegiveis, d.semCpf, d.semChave, d.chavesDuplicadas]).toEqual([
      'concluida', 7,
      { total: 3, porMotivo: { colunas: 2, codificacao: 1 }, primeiras: [{ linha: 2, motivo: 'colunas' }, { linha: 4, motivo: 'colunas' }, { linha: 6, motivo: 'codificacao' }] },
      4, 0, 0,
    ]);
    expect(d.registrosLidos).toBe(d.linhasIlegiveis.total + d.semChave + d.chavesDuplicadas + d.linhasComCpfValido + d.semCpf + d.cpfsInvalidos.linhas);
    expect(await q(`SELECT chave_fonte, nome, linha FROM linha_carga WHERE fonte = 'teste' AND chave_fonte LIKE 'M%' ORDER BY chave_fonte`)).toEqual([
      { chave_fonte: 'M1', nome: 'ROSA', linha: 1 },
      { chave_fonte: 'M3', nome: 'IRIS DA SILVA', linha: 3 },
      { chave_fonte: 'M5', nome: 'LUIZ', linha: 5 },
      { chave_fonte: 'M7', nome: 'CONCEIÇÃO', linha: 7 },
    ]);
  });

  it('a gzip file loads as its text would: same counts, same rows; the load records the compressed file', async () => {
    const cpfs = [cpfAleatorio(), cpfAleatorio()];
    const texto = (p: string) => ['ID;CPF;NOME;NASC', `${p}1;${mascarar(cpfs[0])};ANA LIMA;01/02/1980`, `${p}2;IGNORADO;BETO LIMA;03/04/1985`, `${p}3;111.111.111-11;CAIO LIMA;05/06/1990`].join('\n');
    const puro = await carregar(await arquivo('puro.csv', [texto('Z')]));
    const gz = gzipSync(Buffer.from(`${texto('Y')}\n`));
    const caminho = join(dir, 'compactado.csv.gz');
    await writeFile(caminho, gz);
    const d = await carregar(caminho);
    const contagens = (x: typeof d) => [x.carga.situacao, x.registrosLidos, x.semCpf, x.linhasComCpfValido, x.cpfsInvalidos.linhas, x.porVinculo];
    expect(contagens(d)).toEqual(contagens(puro));
    expect(d.carga.arquivoBytes).toBe(gz.length);
    expect(await q(`SELECT chave_fonte, nome, cpf FROM linha_carga WHERE chave_fonte LIKE 'Y_' ORDER BY chave_fonte`)).toEqual([
      { chave_fonte: 'Y1', nome: 'ANA LIMA', cpf: cpfs[0] },
      { chave_fonte: 'Y2', nome: 'BETO LIMA', cpf: null },
      { chave_fonte: 'Y3', nome: 'CAIO LIMA', cpf: null },
    ]);
  });

  it('a file with a header and no rows completes with zeros', async () => {
    const d = await carregar(await arquivo('vazio.csv', ['ID;CPF;NOME;NASC']));
    expect([d.carga.situacao, d.registrosLidos, d.cpfsUnicos, d.semChave]).toEqual(['concluida', 0, 0, 0]);
  });
});

describe('requests and files that cannot be loaded', () => {
  it.each([
    ['an unknown source', 'nenhuma', 'fonte desconhecida “nenhuma”'],
    ['a mapping whose fonte differs from its file name', 'trocada', 'o mapeamento declara fonte “outra”, mas o arquivo se chama trocada.yaml'],
    ['an invalid mapping', 'quebrada', 'pmcc: deve ser uma fonte conhecida do PMCC'],
    ['an invalid source name', 'Fonte X', 'nome de fonte inválido “Fonte X”'],
  ])('%s: refused before any load is recorded', async (_caso, fonte, mensagem) => {
    const caminho = await arquivo('bom.csv', ['ID;CPF;NOME;NASC', 'B1;IGNORADO;ANA;01/01/2000']);
    const antes = await q(`SELECT count(*)::int AS n FROM carga`);
    await expect(carregar(caminho, {}, fonte)).rejects.toThrow(mensagem);
    expect(await q(`SELECT count(*)::int AS n FROM carga`)).toEqual(antes);
  });

  it('a missing file and a bad observation date are refused before any load is recorded', async () => {
    const antes = await q(`SELECT count(*)::int AS n FROM carga`);
    await expect(carregar(join(dir, 'nao-existe.csv'))).rejects.toThrow('arquivo não encontrado');
    const caminho = await arquivo('bom2.csv', ['ID;CPF;NOME;NASC', 'B1;IGNORADO;ANA;01/01/2000']);
    await expect(carregar(caminho, {}, 'teste', '2026-13-01')).rejects.toThrow('data de observação inválida “2026-13-01”');
    await expect(carregar(caminho, {}, 'teste', '2026-11-30T12:00:00')).rejects.toThrow('data de observação inválida');
    expect(await q(`SELECT count(*)::int AS n FROM carga`)).toEqual(antes);
  });

  it('a truncated gzip file, a spreadsheet and binary content are refused before any load is recorded, saying what they are', async () => {
    const texto = Buffer.from(`${['ID;CPF;NOME;NASC', ...Array.from({ length: 2000 }, (_v, i) => `G${i};IGNORADO;PESSOA ${i};01/01/1990`)].join('\n')}\n`);
    const gz = gzipSync(texto);
    await writeFile(join(dir, 'truncado.csv.gz'), gz.subarray(0, gz.length - 50));
    await writeFile(join(dir, 'planilha.csv'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), texto]));
    await writeFile(join(dir, 'binario.csv'), Buffer.concat([Buffer.from('ID;CPF;NOME;NASC\n\u0000\u0001'), texto]));
    const antes = await q(`SELECT count(*)::int AS n FROM carga`);
    await expect(carregar(join(dir, 'truncado.csv.gz'))).rejects.toThrow(/truncado\.csv\.gz: o arquivo compactado \(gzip\) está corrompido ou incompleto \(unexpected end of file\)/);
    await expect(carregar(join(dir, 'planilha.csv'))).rejects.toThrow(/planilha\.csv é um arquivo ZIP \(ou uma planilha \.xlsx\/\.ods, que são ZIP\)/);
    await expect(carregar(join(dir, 'binario.csv'))).rejects.toThrow(/binario\.csv tem bytes nulos \(conteúdo binário, não texto\)/);
    expect(await q(`SELECT count(*)::int AS n FROM carga`)).toEqual(antes);
    expect(await q(`SELECT count(*)::int AS n FROM carga_staging`)).toEqual([{ n: 0 }]);
  });

  it('a header without a mapped column: the load fails (situacao falhou, erro) and running it again starts a new load', async () => {
    const caminho = await arquivo('sem-nome.csv', ['ID;CPF;NASC', 'C1;IGNORADO;01/01/2000']);
    await expect(carregar(caminho)).rejects.toThrow('o cabeçalho não tem a(s) coluna(s) “NOME”');
    await expect(carregar(caminho)).rejects.toThrow('o cabeçalho não tem a(s) coluna(s) “NOME”');
    const cargas = await q<{ situacao: string; erro: string }>(`SELECT situacao, erro FROM carga WHERE arquivo = $1 ORDER BY id`, [caminho]);
    expect(cargas.map((c) => [c.situacao, c.erro.includes('“NOME”')])).toEqual([['falhou', true], ['falhou', true]]);
  });

  it('a CSV syntax error after committed chunks: the load fails and its staged rows are removed', async () => {
    // Large enough (~170 kB) for the reader to deliver rows in several reads before it meets the bad quote.
    const boas = Array.from({ length: 5000 }, (_v, i) => `D${i + 1};IGNORADO;PESSOA NUMERO ${i + 1};01/01/2000`);
    const caminho = await arquivo('aspas.csv', ['ID;CPF;NOME;NASC', ...boas, 'D0;IGNORADO;"DORA;01/01/2000']);
    await expect(carregar(caminho, { linhasPorLote: 1000 })).rejects.toThrow(/quote/i);
    const [c] = await q<{ id: string; situacao: string; erro: string; linhas_confirmadas: string }>(`SELECT id, situacao, erro, linhas_confirmadas FROM carga WHERE arquivo = $1`, [caminho]);
    expect(c?.situacao).toBe('falhou');
    expect(c?.erro).toMatch(new RegExp(`^${caminho}: arquivo ilegível perto da linha \\d+ \\(.*quote`, 'i'));
    expect(Number(c?.linhas_confirmadas)).toBeGreaterThanOrEqual(1000);
    expect(await q(`SELECT count(*)::int AS n FROM carga_staging WHERE carga_id = $1`, [c.id])).toEqual([{ n: 0 }]);
    expect(await q(`SELECT count(*)::int AS n FROM linha_carga WHERE chave_fonte LIKE 'D%'`)).toEqual([{ n: 0 }]);
  });
});

describe('resuming', () => {
  const linhas = (prefixo: string) => ['ID;CPF;NOME;NASC', ...Array.from({ length: 7 }, (_v, i) => `${prefixo}${i + 1};${i % 3 === 0 ? 'IGNORADO' : cpfAleatorio()};PESSOA ${i + 1};01/01/${1950 + i}`)];
  const situacao = async (caminho: string) =>
    (await q<{ fase: string; situacao: string; linhas_confirmadas: string; staging: number }>(
      `SELECT fase, situacao, linhas_confirmadas, (SELECT count(*)::int FROM carga_staging s WHERE s.carga_id = c.id) AS staging FROM carga c WHERE arquivo = $1`,
      [caminho],
    ))[0];

  it.each([
    ['lendo:2:copiado', { fase: 'lendo', linhas_confirmadas: '2', staging: 2 }],
    ['lendo:fim', { fase: 'lendo', linhas_confirmadas: '7', staging: 7 }],
    ['particionando', { fase: 'particionando', linhas_confirmadas: '7', staging: 7 }],
    ['fundindo', { fase: 'fundindo', linhas_confirmadas: '7', staging: 7 }],
    ['vinculando', { fase: 'vinculando', linhas_confirmadas: '7', staging: 7 }],
    ['registrando', { fase: 'registrando', linhas_confirmadas: '7', staging: 7 }],
  ])('a failure at %s leaves the last committed state; running again completes the same load', async (ponto, esperado) => {
    const caminho = await arquivo(`retomar-${ponto.replaceAll(':', '-')}.csv`, linhas(`R${ponto.replace(/[^a-z0-9]/g, '')}-`));
    await expect(carregar(caminho, falharEm(ponto))).rejects.toThrow(`falha simulada em ${ponto}`);
    expect(await situacao(caminho)).toEqual({ ...esperado, situacao: 'em-andamento' });
    const pontos: string[] = [];
    const d = await carregar(caminho, { aoPonto: (p) => Promise.resolve(void pontos.push(p)) });
    expect([d.carga.situacao, d.registrosLidos, d.semCpf, d.linhasComCpfValido, Object.values(d.porVinculo).reduce((x, y) => x + y, 0)]).toEqual(['concluida', 7, 3, 4, 7]);
    expect(await q(`SELECT count(*)::int AS n FROM carga WHERE arquivo = $1`, [caminho])).toEqual([{ n: 1 }]);
    // Resumed where it stopped: no committed chunk is copied again.
    expect(pontos.filter((p) => p.endsWith(':copiado'))).toEqual(ponto === 'lendo:2:copiado' ? ['lendo:2:copiado', 'lendo:3:copiado', 'lendo:4:copiado'] : []);
  });

  it('a gzip file stopped after its second chunk resumes from the compressed file, without copying a committed chunk again', async () => {
    const caminho = join(dir, 'retomar.csv.gz');
    await writeFile(caminho, gzipSync(Buffer.from(`${linhas('RGZ-').join('\n')}\n`)));
    await expect(carregar(caminho, falharEm('lendo:3:copiado'))).rejects.toThrow('falha simulada em lendo:3:copiado');
    expect(await situacao(caminho)).toEqual({ fase: 'lendo', situacao: 'em-andamento', linhas_confirmadas: '4', staging: 4 });
    const pontos: string[] = [];
    const d = await carregar(caminho, { aoPonto: (p) => Promise.resolve(void pontos.push(p)) });
    expect([d.carga.situacao, d.registrosLidos, d.semCpf, d.linhasComCpfValido]).toEqual(['concluida', 7, 3, 4]);
    expect(pontos.filter((p) => p.endsWith(':copiado'))).toEqual(['lendo:3:copiado', 'lendo:4:copiado']);
    expect(await q(`SELECT count(*)::int AS n FROM linha_carga WHERE chave_fonte LIKE 'RGZ-%'`)).toEqual([{ n: 7 }]);
  });

  it('resumed after its first chunk, a load counts the unreadable rows of the whole file once', async () => {
    const caminho = await arquivo('colunas-retomar.csv', ['ID;CPF;NOME;NASC', 'N1;IGNORADO;ROSA', 'N2;IGNORADO;IVO;01/01/1980', 'N3;IGNORADO;EVA;01/01/1981', 'N4', 'N5;IGNORADO;LIA;01/01/1982']);
    await expect(carregar(caminho, falharEm('lendo:2:copiado'))).rejects.toThrow('falha simulada');
    expect(await situacao(caminho)).toEqual({ fase: 'lendo', situacao: 'em-andamento', linhas_confirmadas: '2', staging: 2 });
    const d = await carregar(caminho);
    expect([d.carga.situacao, d.registrosLidos, d.linhasIlegiveis.primeiras, d.semCpf]).toEqual(['concluida', 5, [{ linha: 1, motivo: 'colunas' }, { linha: 4, motivo: 'colunas' }], 3]);
    expect(await q(`SELECT chave_fonte FROM linha_carga WHERE fonte = 'teste' AND chave_fonte LIKE 'N%' ORDER BY chave_fonte`)).toEqual([{ chave_fonte: 'N2' }, { chave_fonte: 'N3' }, { chave_fonte: 'N5' }]);
  });

  it.each(['lendo:3:confirmado', 'fundindo'])('PostgreSQL lost the unlogged staging table (crash) after %s: the load reads the file again from the first row', async (ponto) => {
    const caminho = await arquivo(`perdida-${ponto.replaceAll(':', '-')}.csv`, linhas(`P${ponto[0]}`));
    await expect(carregar(caminho, falharEm(ponto))).rejects.toThrow('falha simulada');
    await q(`TRUNCATE carga_staging`);
    const pontos: string[] = [];
    const d = await carregar(caminho, { aoPonto: (p) => Promise.resolve(void pontos.push(p)) });
    expect(pontos.slice(0, 2)).toEqual(['lendo:1:copiado', 'lendo:1:confirmado']);
    expect([d.carga.situacao, d.registrosLidos, d.semCpf, d.linhasComCpfValido]).toEqual(['concluida', 7, 3, 4]);
    expect(await q(`SELECT count(*)::int AS n FROM linha_carga WHERE chave_fonte LIKE $1`, [`P${ponto[0]}%`])).toEqual([{ n: 7 }]);
  });

  it('another load completing meanwhile leaves an unfinished load’s staged rows alone; it resumes later', async () => {
    const parada = await arquivo('parada.csv', linhas('X'));
    await expect(carregar(parada, falharEm('lendo:2:confirmado'))).rejects.toThrow('falha simulada');
    const outra = await carregar(await arquivo('outra.csv', linhas('Y')));
    expect(outra.carga.situacao).toBe('concluida');
    expect(await situacao(parada)).toEqual({ fase: 'lendo', situacao: 'em-andamento', linhas_confirmadas: '4', staging: 4 });
    const d = await carregar(parada);
    expect([d.carga.situacao, d.registrosLidos]).toEqual(['concluida', 7]);
    expect(await q(`SELECT count(*)::int AS n FROM carga_staging`)).toEqual([{ n: 0 }]);
  });
});
