import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { lerFonte, linhasIlegiveisVazias, type LinhasIlegiveis } from './ler-fonte.js';
import { carregarMapeamento } from './mapeamento.js';
import type { RegistroCarga } from './registro.js';

const dirFontes = fileURLToPath(new URL('./fontes/', import.meta.url));
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carga-ler-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ler(fonte: string, nome: string, conteudo: Buffer, ilegiveis?: LinhasIlegiveis): Promise<RegistroCarga[]> {
  const caminho = join(dir, nome);
  await writeFile(caminho, conteudo);
  const mapa = await carregarMapeamento(`${dirFontes}${fonte}.yaml`);
  const out: RegistroCarga[] = [];
  for await (const r of lerFonte(mapa, caminho, ilegiveis)) out.push(r);
  return out;
}

describe('lerFonte — siga (Latin-1, "|", CPF as number, date format by sub-system, CIDADE/UF)', () => {
  const cab = 'CD_PACIENTE|NU_CPF|NO_PACIENTE|NO_SOCIAL|DT_NASCIMENTO|TP_SEXO|NO_MAE|NU_CPF_MAE|NO_PAI|DS_MUNICIPIO_UF|ST_OBITO|DT_OBITO|SG_SISTEMA_ORIGEM';
  const linhas = [
    cab,
    '1001|765432188|JOAO  DA SILVA||12031985|MASCULINO|MARIA DA SILVA|52998224725||SÃO PAULO/SP|N||HOSPUB',
    '1002|99999999999|ANA SOUZA|ANA|1990-02-30|FEMININO|IGNORADA|0|IGNORADO|GUARULHOS/SP|S|2020-05-01|SIGA',
    '1003|0|PEDRO LIMA||01/02/2003|X|ROSA LIMA|123|JOSE LIMA|CAMPINAS/XX|N||OUTRO',
    '1004|5299822472X|IGNORADO||2003-02-01|M|||||||SIGA',
  ];
  let regs: RegistroCarga[] = [];
  beforeAll(async () => {
    regs = await ler('siga', 'siga.txt', Buffer.from(`${linhas.join('\r\n')}\r\n`, 'latin1'));
  });

  it('reads every row, numbered from 1 after the header, keyed by CD_PACIENTE', () => {
    expect(regs.map((r) => [r.fonte, r.linha, r.chave])).toEqual([['siga', 1, '1001'], ['siga', 2, '1002'], ['siga', 3, '1003'], ['siga', 4, '1004']]);
  });

  it('row 1: padded CPF, HOSPUB date DDMMYYYY, Latin-1 accents decoded, city/UF split, mother CPF', () => {
    expect(regs[0]).toEqual({
      fonte: 'siga', linha: 1, chave: '1001', triagem: { categoria: 'base-unica', cpf: '00765432188' }, cpfBruto: '00765432188',
      nome: 'JOAO DA SILVA', nomeChave: 'JOAO SILVA', nomeSocial: null, nomeMae: 'MARIA DA SILVA', nomeMaeChave: 'MARIA SILVA', nomePai: null,
      cpfMae: '52998224725', cpfPai: null, dataNascimento: '1985-03-12', dataObito: null, sexo: 'M', obito: false, email: null, telefone: null,
      municipio: 'SÃO PAULO', uf: 'SP', problemas: [],
    });
  });

  it('row 2: placeholder CPF → sem-cpf, impossible date → null + problem, placeholders → null, death', () => {
    expect(regs[1]).toMatchObject({
      triagem: { categoria: 'sem-cpf' }, nomeSocial: 'ANA', dataNascimento: null, sexo: 'F', nomeMae: null, nomeMaeChave: null, cpfMae: null, nomePai: null,
      obito: true, dataObito: '2020-05-01', municipio: 'GUARULHOS',
    });
    expect(regs[1]?.problemas).toEqual([{ campo: 'dataNascimento', codigo: 'data-invalida', valor: '1990-02-30' }]);
  });

  it('row 3: numeric zero is a placeholder; unknown sub-system uses padrao; unknown codes listed', () => {
    expect(regs[2]).toMatchObject({ triagem: { categoria: 'sem-cpf' }, dataNascimento: '2003-02-01', sexo: null, cpfMae: null, uf: null, municipio: 'CAMPINAS' });
    // problems come in record-field order (cpf, cpfMae, cpfPai, nome…, datas, sexo, obito, email, telefone, municipio, uf)
    expect(regs[2]?.problemas).toEqual([
      { campo: 'cpfMae', codigo: 'cpf-invalido', valor: '123' },
      { campo: 'sexo', codigo: 'valor-desconhecido', valor: 'X' },
      { campo: 'uf', codigo: 'uf-invalida', valor: 'XX' },
    ]);
  });

  it('row 4: a letter in the CPF → cpf-invalido/caractere; a placeholder name → null', () => {
    expect(regs[3]).toMatchObject({ triagem: { categoria: 'cpf-invalido', motivo: 'caractere' }, nome: null, nomeChave: null, sexo: 'M' });
  });
});

describe('lerFonte — other layouts', () => {
  it('bdc: Latin-1 with quotes, masked placeholder CPF, DD-MM-YYYY, CIDADE/UF', async () => {
    const txt = 'ID_CIDADAO;NOME;NOME_MAE;DATA_NASC;SEXO;CPF;CIDADE/UF;TELEFONE;FALECIDO\n' +
      '"B-1";"JOSÉ D\'ÁVILA";"NÃO CONSTA";"05-11-1970";"MASCULINO";"000.000.000-00";"SÃO PAULO/SP";"(11) 3333-4444";"N"\n' +
      '"B-2";"MARIA; DA PAZ";"";"31/12/1999";"FEMININO";"390.533.447-05";"SANTOS/SP";"";"S"\n';
    const regs = await ler('bdc', 'bdc.csv', Buffer.from(txt, 'latin1'));
    expect(regs[0]).toMatchObject({ chave: 'B-1', nome: 'JOSÉ D\'ÁVILA', nomeChave: 'JOSE AVILA', nomeMae: null, dataNascimento: '1970-11-05', triagem: { categoria: 'sem-cpf' }, municipio: 'SÃO PAULO', uf: 'SP', telefone: '1133334444', obito: false });
    expect(regs[1]).toMatchObject({ chave: 'B-2', nome: 'MARIA; DA PAZ', dataNascimento: '1999-12-31', triagem: { categoria: 'base-unica', cpf: '39053344705' }, obito: true, telefone: null });
  });

  it('eol: UTF-8 with BOM, two date formats in one column, sex 1/2', async () => {
    const txt = '\ufeffcd_aluno,nm_aluno,nm_social,dt_nascimento_aluno,cd_sexo,nr_cpf,nm_mae,nr_cpf_mae,nm_pai,email_responsavel,tel_responsavel,cidade_nascimento,uf_nascimento\n' +
      '77,Luíza Conceição,,2012-07-09,2,,Inês Conceição,,,Ines@Exemplo.com,11 98888-7777,São Paulo,sp\n' +
      '78,"Caio Prado, Jr.",,09/07/2012,1,52998224724,,,,,,,\n';
    const regs = await ler('eol', 'eol.csv', Buffer.from(txt, 'utf8'));
    expect(regs[0]).toMatchObject({ chave: '77', nome: 'LUÍZA CONCEIÇÃO', nomeChave: 'LUIZA CONCEICAO', dataNascimento: '2012-07-09', sexo: 'F', triagem: { categoria: 'sem-cpf' }, email: 'ines@exemplo.com', telefone: '11988887777', municipio: 'SÃO PAULO', uf: 'SP' });
    expect(regs[1]).toMatchObject({ chave: '78', nome: 'CAIO PRADO, JR.', dataNascimento: '2012-07-09', sexo: 'M', triagem: { categoria: 'cpf-invalido', motivo: 'digito' } });
  });

  it('outros: tab-separated, DDMMYYYY and YYYYMMDD, sexo placeholder I, empty key reported', async () => {
    const txt = 'id\tnome_completo\tdata_nasc\tsexo\tcpf\tmae\temail\tcelular\tmunicipio\n' +
      'X1\tAna Paula\t20010203\tI\t99999999999\t\t\t\t\n' +
      '\tBeto\t03022001\tM\t11111111111\t\t\t\t\n';
    const regs = await ler('outros', 'outros.tsv', Buffer.from(txt, 'utf8'));
    expect(regs[0]).toMatchObject({ chave: 'X1', dataNascimento: '2001-02-03', sexo: null, triagem: { categoria: 'sem-cpf' }, problemas: [] });
    expect(regs[1]).toMatchObject({ chave: null, dataNascimento: '2001-02-03', sexo: 'M', triagem: { categoria: 'cpf-invalido', motivo: 'repetido' } });
    expect(regs[1]?.problemas).toEqual([{ campo: 'chave', codigo: 'chave-ausente', valor: '' }]);
  });

  it('a file missing a mapped column fails naming the column', async () => {
    const txt = 'INSCRICAO;CPF_CNPJ;NOME;DATA_NASCIMENTO;SEXO;NOME_MAE;EMAIL;TELEFONE;MUNICIPIO;UF\n1;;A;;;;;;;\n';
    await expect(ler('fazenda', 'fazenda-ruim.csv', Buffer.from(txt))).rejects.toThrow('o cabeçalho não tem a(s) coluna(s) “NOME_CONTRIBUINTE” exigida(s) pelo mapeamento da fonte fazenda');
  });

  it('a file repeating a mapped column in its header fails naming it', async () => {
    const txt = 'INSCRICAO;CPF_CNPJ;NOME_CONTRIBUINTE;DATA_NASCIMENTO;SEXO;NOME_MAE;EMAIL;TELEFONE;MUNICIPIO;UF;CPF_CNPJ\n1;;A;;;;;;;;\n';
    await expect(ler('fazenda', 'fazenda-repetida.csv', Buffer.from(txt))).rejects.toThrow('o cabeçalho repete a(s) coluna(s) “CPF_CNPJ” usada(s) pelo mapeamento da fonte fazenda');
  });

  it('a quote never closed fails after 1 MiB, without taking the rest of the file into memory', async () => {
    const cab = 'INSCRICAO;CPF_CNPJ;NOME_CONTRIBUINTE;DATA_NASCIMENTO;SEXO;NOME_MAE;EMAIL;TELEFONE;MUNICIPIO;UF';
    const resto = Array.from({ length: 40_000 }, (_v, i) => `IM${i};;ANA SOUZA;30/01/1990;F;;;;SÃO PAULO;SP`).join('\n');
    const txt = `${cab}\nIM0;;"ANA;30/01/1990;F;;;;SÃO PAULO;SP\n${resto}\n`; // 1.8 MB after the open quote, no other quote
    await expect(ler('fazenda', 'fazenda-aspa-aberta.csv', Buffer.from(txt))).rejects.toThrow(
      /: um registro passa de 1 MiB perto da linha \d+ do arquivo — uma aspa aberta e nunca fechada\? Confira as aspas do mapeamento da fonte fazenda$/,
    );
  });

  it('a header the declared encoding cannot read, or a UTF-8 BOM in a Latin-1 source, fails naming the encoding', async () => {
    const cab = 'ID_CIDADAO;NOME;NOME_MAE;DATA_NASC;SEXO;CPF;CIDADE/UF;TELEFONE;FALECIDO';
    await expect(ler('bdc', 'bdc-bom.csv', Buffer.from(`\ufeff${cab}\n`, 'utf8'))).rejects.toThrow(
      /: o arquivo começa com a marca \(BOM\) do UTF-8, mas o mapeamento da fonte bdc declara latin1: confira a codificação$/,
    );
    await expect(ler('eol', 'eol-cabecalho.csv', Buffer.from('cd_aluno,nm_aluno,nm_social,dt_nascimento_aluno,cd_sexo,nr_cpf,nm_mae,nr_cpf_mae,nm_pai,email_responsavel,tel_responsavel,cidade_nascimento,uf_nascimento,situação\n', 'latin1'))).rejects.toThrow(
      /: o cabeçalho tem bytes que a codificação utf-8, declarada no mapeamento da fonte eol, não lê: confira a codificação$/,
    );
  });

  it('a missing file fails', async () => {
    const mapa = await carregarMapeamento(`${dirFontes}fazenda.yaml`);
    const it = lerFonte(mapa, join(dir, 'nao-existe.csv'));
    await expect(it.next()).rejects.toThrow('ENOENT');
  });
});

describe('lerFonte — compressed and binary files', () => {
  const cab = 'ID_CIDADAO;NOME;NOME_MAE;DATA_NASC;SEXO;CPF;CIDADE/UF;TELEFONE;FALECIDO';
  const linha = (i: number) => `"B-${i}";"JOSÉ CONCEIÇÃO ${i}";"MARIA";"05/11/1970";"M";"";"SÃO PAULO/SP";"";"N"`;
  const conteudo = (n: number) => Buffer.from(`${[cab, ...Array.from({ length: n }, (_v, i) => linha(i + 1))].join('\r\n')}\r\n`, 'latin1');

  it('a gzip file (whatever its name) reads exactly as the same text uncompressed, Latin-1 decoded after gunzip', async () => {
    const texto = conteudo(3000);
    const puro = await ler('bdc', 'bdc.csv', texto);
    const compactado = await ler('bdc', 'bdc-compactado.txt', gzipSync(texto));
    expect(puro).toHaveLength(3000);
    expect(puro[2999]).toMatchObject({ linha: 3000, chave: 'B-3000', nome: 'JOSÉ CONCEIÇÃO 3000', municipio: 'SÃO PAULO' });
    expect(compactado).toEqual(puro);
  });

  it('a gzip file of several members one after the other (cat a.gz b.gz) reads every member', async () => {
    const texto = conteudo(10);
    const corte = texto.indexOf(Buffer.from('"B-6"', 'latin1'));
    const regs = await ler('bdc', 'bdc-membros.csv.gz', Buffer.concat([gzipSync(texto.subarray(0, corte)), gzipSync(texto.subarray(corte))]));
    expect(regs.map((r) => r.chave)).toEqual(['B-1', 'B-2', 'B-3', 'B-4', 'B-5', 'B-6', 'B-7', 'B-8', 'B-9', 'B-10']);
  });

  it('a truncated or corrupted gzip file fails saying so, in pt-BR', async () => {
    const gz = gzipSync(conteudo(3000));
    await expect(ler('bdc', 'bdc-truncado.csv.gz', gz.subarray(0, gz.length - 100))).rejects.toThrow(
      /bdc-truncado\.csv\.gz: o arquivo compactado \(gzip\) está corrompido ou incompleto \(unexpected end of file\): copie-o de novo da origem$/,
    );
    const corrompido = Buffer.from(gz);
    corrompido[gz.length - 6] ^= 0xff; // the CRC-32 of the content (RFC 1952: the 8 last bytes are CRC32 and ISIZE)
    await expect(ler('bdc', 'bdc-corrompido.csv.gz', corrompido)).rejects.toThrow(/bdc-corrompido\.csv\.gz: o arquivo compactado \(gzip\) está corrompido ou incompleto \(incorrect data check\)/);
  });

  it('a spreadsheet, a ZIP, a TAR inside gzip or a gzip inside gzip is refused before a row is read', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), conteudo(2)]);
    await expect(ler('bdc', 'bdc.xlsx', zip)).rejects.toThrow(/bdc\.xlsx é um arquivo ZIP \(ou uma planilha \.xlsx\/\.ods, que são ZIP\); a carga lê texto delimitado/);
    const cabecalhoTar = Buffer.alloc(512);
    cabecalhoTar.write('bdc.csv', 0, 'ascii');
    cabecalhoTar.write('ustar\u000000', 257, 'ascii');
    await expect(ler('bdc', 'bdc.tar.gz', gzipSync(Buffer.concat([cabecalhoTar, conteudo(2)])))).rejects.toThrow(
      /bdc\.tar\.gz está compactado com gzip, e o que ele contém é um arquivo TAR/,
    );
    await expect(ler('bdc', 'bdc.csv.gz.gz', gzipSync(gzipSync(conteudo(2))))).rejects.toThrow(/bdc\.csv\.gz\.gz foi compactado duas vezes com gzip/);
  });
});

describe('lerFonte — rows that cannot be read as the mapping says', () => {
  const cab = 'ID_CIDADAO;NOME;NOME_MAE;DATA_NASC;SEXO;CPF;CIDADE/UF;TELEFONE;FALECIDO';
  const boa = (id: string, nome: string) => `"${id}";"${nome}";"";"05-11-1970";"MASCULINO";"";"SÃO PAULO/SP";"";"N"`;
  const cabFazenda = 'INSCRICAO;CPF_CNPJ;NOME_CONTRIBUINTE;DATA_NASCIMENTO;SEXO;NOME_MAE;EMAIL;TELEFONE;MUNICIPIO;UF';
  const fazenda = (id: string, nome: string, municipio = 'SÃO PAULO') => `${id};;${nome};30/01/1990;F;;;;${municipio};SP\n`;

  it('another number of fields than the header: skipped, counted and located by data row number; the others keep theirs', async () => {
    const linhas = [
      cab,
      boa('B-1', 'ANA'),
      '"B-2";"BETO";"";"05-11-1970";"MASCULINO"', // truncated: 5 fields
      boa('B-3', 'CAIO\nDA SILVA'), // a quoted line break: one row on lines 4 and 5
      '"B-4";"DORA";"";"05-11-1970";"FEMININO";"";"SÃO PAULO";"SP";"";"N"', // a delimiter in an unquoted value: 10 fields
      '',
      boa('B-5', 'EVA'),
      '"B-6"', // the last row, truncated
    ];
    const ilegiveis = linhasIlegiveisVazias();
    const regs = await ler('bdc', 'bdc-colunas.csv', Buffer.from(`${linhas.join('\r\n')}\r\n`, 'latin1'), ilegiveis);
    expect(regs.map((r) => [r.chave, r.linha, r.nome])).toEqual([['B-1', 1, 'ANA'], ['B-3', 3, 'CAIO DA SILVA'], ['B-5', 5, 'EVA']]);
    expect(ilegiveis).toEqual({ total: 3, porMotivo: { colunas: 3, codificacao: 0 }, primeiras: [{ linha: 2, motivo: 'colunas' }, { linha: 4, motivo: 'colunas' }, { linha: 6, motivo: 'colunas' }] });
  });

  it('a short row made of a quote that swallowed line breaks fails the read, as any other syntax error', async () => {
    // A quote left open after BETO closes on the next line: one 3-field record over lines 3 and 4, no quote error.
    const txt = [cab, boa('B-1', 'ANA'), '"B-2";"BETO', 'X";"Y"', boa('B-4', 'DORA')].join('\n');
    await expect(ler('bdc', 'bdc-aspas.csv', Buffer.from(txt, 'latin1'))).rejects.toThrow(/^Invalid Record Length: columns length is 9, got 3 on line 4$/);
  });

  it('a row in Latin-1 inside a UTF-8 source: skipped as codificacao, never loaded with replacement characters', async () => {
    const conteudo = Buffer.concat([
      Buffer.from(`${cabFazenda}\n${fazenda('IM1', 'José Conceição')}`, 'utf8'),
      Buffer.from(fazenda('IM2', 'João Simões'), 'latin1'),
      Buffer.from(fazenda('IM3', 'Inês Araújo'), 'utf8'),
    ]);
    const ilegiveis = linhasIlegiveisVazias();
    const regs = await ler('fazenda', 'fazenda-misto.csv', conteudo, ilegiveis);
    expect(regs.map((r) => [r.chave, r.linha, r.nome])).toEqual([['IM1', 1, 'JOSÉ CONCEIÇÃO'], ['IM3', 3, 'INÊS ARAÚJO']]);
    expect(ilegiveis).toEqual({ total: 1, porMotivo: { colunas: 0, codificacao: 1 }, primeiras: [{ linha: 2, motivo: 'codificacao' }] });
  });

  it('Windows-1252 punctuation in a Latin-1 source is codificacao; declared windows-1252, the same bytes read as text', async () => {
    const conteudo = Buffer.concat([
      Buffer.from(`${cab}\n${boa('B-1', 'JOSÉ')}\n`, 'latin1'),
      Buffer.from([...Buffer.from('"B-2";"JOANA D'), 0x92, ...Buffer.from('ÁVILA";"";"05-11-1970";"FEMININO";"";"SÃO PAULO/SP";"";"N"\n', 'latin1')]),
    ]);
    const ilegiveis = linhasIlegiveisVazias();
    expect((await ler('bdc', 'bdc-1252.csv', conteudo, ilegiveis)).map((r) => r.nome)).toEqual(['JOSÉ']);
    expect(ilegiveis.primeiras).toEqual([{ linha: 2, motivo: 'codificacao' }]);
    const bdc = await readFile(`${dirFontes}bdc.yaml`, 'utf8');
    await writeFile(join(dir, 'bdc-windows.yaml'), bdc.replace('fonte: bdc', 'fonte: bdc-windows').replace('codificacao: latin1', 'codificacao: windows-1252'));
    const caminho = join(dir, 'bdc-1252-declarado.csv');
    // …and a third row with 0x81, one of the five bytes Windows-1252 leaves undefined.
    await writeFile(caminho, Buffer.concat([conteudo, Buffer.from([...Buffer.from('"B-3";"LUIZ'), 0x81, ...Buffer.from('";"";"05-11-1970";"MASCULINO";"";"SÃO PAULO/SP";"";"N"\n', 'latin1')])]));
    const mapa = await carregarMapeamento(join(dir, 'bdc-windows.yaml'));
    const nomes: (string | null)[] = [];
    const ilegiveis1252 = linhasIlegiveisVazias();
    for await (const r of lerFonte(mapa, caminho, ilegiveis1252)) nomes.push(r.nome);
    expect([nomes, ilegiveis1252.primeiras]).toEqual([['JOSÉ', 'JOANA D’ÁVILA'], [{ linha: 3, motivo: 'codificacao' }]]);
  });

  it('UTF-8 in a Latin-1 source (JOSÃ© for JOSÉ) is codificacao; Latin-1 accents are not', async () => {
    const conteudo = Buffer.concat([
      Buffer.from(`${cab}\n${boa('B-1', 'JOÃO DA CONCEIÇÃO')}\n`, 'latin1'),
      Buffer.from(`${boa('B-2', 'JOSÉ')}\n${boa('B-3', 'maria joão')}\n${boa('B-4', 'ANA')}\n`, 'utf8'), // B-4's SÃO PAULO/SP is UTF-8 too
      Buffer.from(`${boa('B-5', 'ÂNGELA ÍRIS')}\n`, 'latin1'),
    ]);
    const ilegiveis = linhasIlegiveisVazias();
    expect((await ler('bdc', 'bdc-utf8.csv', conteudo, ilegiveis)).map((r) => r.nome)).toEqual(['JOÃO DA CONCEIÇÃO', 'ÂNGELA ÍRIS']);
    expect(ilegiveis.primeiras.map((p) => [p.linha, p.motivo])).toEqual([[2, 'codificacao'], [3, 'codificacao'], [4, 'codificacao']]);
  });

  it('a Latin-1 file declared UTF-8 is refused as soon as its first 10,000 rows show it', async () => {
    const linhas = Array.from({ length: 30_000 }, (_v, i) => Buffer.from(fazenda(`IM${i + 1}`, i % 2 === 0 ? 'JOSÉ' : 'JOSE', 'OSASCO'), 'latin1'));
    const caminho = join(dir, 'fazenda-latin1.csv');
    await writeFile(caminho, Buffer.concat([Buffer.from(`${cabFazenda}\n`), ...linhas]));
    const mapa = await carregarMapeamento(`${dirFontes}fazenda.yaml`);
    let lidas = 0;
    const ler1 = async () => {
      for await (const _r of lerFonte(mapa, caminho)) lidas += 1;
    };
    await expect(ler1()).rejects.toThrow(
      /: 5000 das 10000 primeiras linhas de dados são ilegíveis \(5000 com bytes que a codificação declarada não lê; a primeira é a linha 1\), mais de 1 %: confira o delimitador, as aspas e a codificação do mapeamento da fonte fazenda$/,
    );
    // Rows 2, 4, … 9,998 were read; the check at the 10,000th row refuses before handing it over.
    expect(lidas).toBe(4_999);
  });

  it('a file where they are more than 1 % of the data rows (and at least 100) is refused at its end, naming the first', async () => {
    const linhas = [cab, ...Array.from({ length: 19_798 }, (_v, i) => boa(`B-${i}`, 'ANA')), ...Array.from({ length: 202 }, (_v, i) => `"C-${i}";"BETO"`)];
    await expect(ler('bdc', 'bdc-layout.csv', Buffer.from(linhas.join('\n'), 'latin1'))).rejects.toThrow(
      /: 202 das 20000 linhas de dados são ilegíveis \(202 com número de colunas diferente do cabeçalho; a primeira é a linha 19799\), mais de 1 %: confira o delimitador, as aspas e a codificação do mapeamento da fonte bdc$/,
    );
  });

  it('100 in 10,000 rows (1 %) are tolerated', async () => {
    const linhas = [cab, ...Array.from({ length: 9_900 }, (_v, i) => boa(`B-${i}`, 'ANA')), ...Array.from({ length: 100 }, (_v, i) => `"C-${i}";"BETO"`)];
    const ilegiveis = linhasIlegiveisVazias();
    const regs = await ler('bdc', 'bdc-tolerado.csv', Buffer.from(linhas.join('\n'), 'latin1'), ilegiveis);
    expect([regs.length, ilegiveis.total, ilegiveis.primeiras.length, ilegiveis.primeiras[0], ilegiveis.primeiras[19]]).toEqual([9_900, 100, 20, { linha: 9_901, motivo: 'colunas' }, { linha: 9_920, motivo: 'colunas' }]);
  });
});
