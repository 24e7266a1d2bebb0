/** Every validation rule of the CMBD manual ("Descrição dos Campos"), with its pt-BR message. */
import { describe, expect, it } from '@jest/globals';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { validarBase } from './base.dto.js';
import { baseValida, mapaValido } from './cmbd.fixtures.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

async function erros(entrada: unknown): Promise<{ path: string; message: string }[]> {
  try {
    await validarBase(entrada);
  } catch (e) {
    expect(e).toBeInstanceOf(DadosInvalidos);
    return (e as DadosInvalidos).toJSON().details;
  }
  throw new Error('esperava DadosInvalidos');
}

describe('a complete entry', () => {
  it('a table with every field of the manual passes and is normalised', async () => {
    const b = await validarBase(baseValida({ sigla: 'smads', codigoProdam: 'nao se aplica', situacao: 'ativa', periodicidade: 'mensal', palavrasChave: [' CRAS ', 'cras', 'assistência', 'atendimento'] }));
    expect(b).toMatchObject({ sigla: 'SMADS', codigoProdam: 'Não se aplica', situacao: 'ATIVA', periodicidade: 'Mensal', palavrasChave: ['CRAS', 'assistência', 'atendimento'], inativaDesde: null, possuiDadosPessoais: false, situacaoMigracao: 'nao-se-aplica' });
  });
  it('a map with its scale, reference system and cartographic base passes', async () => {
    expect(await validarBase(mapaValido())).toMatchObject({ formato: 'Mapa', escala: '1:1.000', extensaoArquivo: '.shp, .geojson' });
  });
  it('every missing field is named at once, in pt-BR', async () => {
    const d = await erros({});
    const caminhos = d.map((x) => x.path);
    for (const c of ['sigla', 'secaoResponsavel', 'codigoProdam', 'titulo', 'categoriaTematica', 'palavrasChave', 'resumo', 'historico', 'serieHistorica', 'periodicidade', 'procedencia', 'extensaoGeografica', 'nivelDesagregacao', 'situacao', 'sigilo', 'formasDisponibilizacao', 'enderecoAcesso', 'tipoArmazenamento', 'sgbd', 'formato', 'extensaoArquivo', 'ambienteProducao', 'tiposRepresentacao', 'escala', 'sistemaReferencia', 'baseCartografica']) {
      expect(caminhos).toContain(c);
    }
    expect(d.find((x) => x.path === 'titulo')!.message).toBe('Título da base é obrigatório');
  });
  it('unknown fields are refused by name', async () => {
    expect(await erros(baseValida({ senha: 'x' }))).toEqual([{ path: 'senha', message: 'Campo não permitido: senha' }]);
  });
});

describe('palavras-chave: at least three', () => {
  it.each([
    ['two', ['CRAS', 'atendimento']],
    ['three with a duplicate (case/space-insensitive)', ['CRAS', ' cras ', 'atendimento']],
    ['three with a blank', ['CRAS', '  ', 'atendimento']],
    ['none', []],
  ])('%s → refused', async (_c, palavrasChave) => {
    expect(await erros(baseValida({ palavrasChave }))).toEqual([{ path: 'palavrasChave', message: 'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base' }]);
  });
  it('a single string is not a list; “;” inside a keyword is refused (it separates items in the CSV)', async () => {
    expect(await erros(baseValida({ palavrasChave: 'a, b, c' }))).toEqual([{ path: 'palavrasChave', message: 'Palavras-chave deve ser uma lista de textos' }]);
    expect((await erros(baseValida({ palavrasChave: ['a;b', 'c', 'd'] })))[0].message).toContain('“;” não é permitido');
  });
});

describe('map-only fields: escala, sistemas de referência, base cartográfica', () => {
  it.each(['escala', 'sistemaReferencia', 'baseCartografica'])('not a map + %s filled → must be “NÃO SE APLICA”', async (campo) => {
    const d = await erros(baseValida({ [campo]: '1:5.000' }));
    expect(d).toHaveLength(1);
    expect(d[0].path).toBe(campo);
    expect(d[0].message).toMatch(/só se preenche quando a base é um mapa digital ou arquivo cartográfico; para as demais use “NÃO SE APLICA”$/);
  });
  it.each(['escala', 'sistemaReferencia', 'baseCartografica'])('not a map + %s empty → required as “NÃO SE APLICA”', async (campo) => {
    const d = await erros(baseValida({ [campo]: '' }));
    expect(d[0].message).toMatch(/é obrigatório: para bases que não são mapas, preencha com “NÃO SE APLICA”$/);
  });
  it.each(['escala', 'sistemaReferencia', 'baseCartografica'])('a map + %s “NÃO SE APLICA” or missing → required', async (campo) => {
    expect((await erros(mapaValido({ [campo]: 'não se aplica' })))[0].message).toMatch(/é obrigatório para mapas digitais e arquivos cartográficos/);
    expect((await erros(mapaValido({ [campo]: undefined })))[0]).toEqual({ path: campo, message: expect.stringMatching(/obrigatório para mapas/) });
  });
  it('“não se aplica” in any case is normalised for non-maps', async () => {
    expect((await validarBase(baseValida({ escala: 'Não se aplica' }))).escala).toBe('NÃO SE APLICA');
  });
  it('a map needs a vector or raster representation (scale applies only to those)', async () => {
    expect(await erros(mapaValido({ tiposRepresentacao: ['Alfanumérica'] }))).toEqual([{ path: 'tiposRepresentacao', message: 'Um mapa deve ter representação vetorial ou matricial (a escala só se aplica a essas representações)' }]);
  });
});

describe('código / nome PRODAM', () => {
  it('a PRODAM code is kept', async () => {
    expect((await validarBase(baseValida({ codigoProdam: 'SISA - Sistema de Assistência' }))).codigoProdam).toBe('SISA - Sistema de Assistência');
  });
  it.each(['N/A', '-', 'nenhum', 'não há'])('%p instead of “Não se aplica” → refused', async (codigoProdam) => {
    expect(await erros(baseValida({ codigoProdam }))).toEqual([{ path: 'codigoProdam', message: 'Código / Nome PRODAM: quando a base não tem registro na PRODAM, preencha com a expressão “Não se aplica”' }]);
  });
  it('empty → required, saying what to write', async () => {
    expect(await erros(baseValida({ codigoProdam: '' }))).toEqual([{ path: 'codigoProdam', message: 'Código / Nome PRODAM é obrigatório: sem registro na PRODAM, preencha com “Não se aplica”' }]);
  });
});

describe('situação: ATIVA, or INATIVA with the date', () => {
  it('INATIVA with a date passes', async () => {
    expect(await validarBase(baseValida({ situacao: 'INATIVA', inativaDesde: '2024-06-30' }))).toMatchObject({ situacao: 'INATIVA', inativaDesde: '2024-06-30' });
  });
  it('INATIVA without the date → refused', async () => {
    expect(await erros(baseValida({ situacao: 'INATIVA' }))).toEqual([{ path: 'inativaDesde', message: 'Base INATIVA: informe desde quando deixou de ser utilizada (inativaDesde, AAAA-MM-DD)' }]);
  });
  it.each(['2999-01-01', '2024-02-30', '30/06/2024'])('INATIVA since %p → refused', async (inativaDesde) => {
    expect((await erros(baseValida({ situacao: 'INATIVA', inativaDesde })))[0].path).toBe('inativaDesde');
  });
  it('ATIVA with a date → refused', async () => {
    expect((await erros(baseValida({ inativaDesde: '2024-06-30' })))[0].message).toContain('Base ATIVA não tem data de inativação');
  });
  it('another status → refused listing the allowed ones', async () => {
    expect(await erros(baseValida({ situacao: 'EM USO' }))).toEqual([{ path: 'situacao', message: 'Situação inválido: use um destes valores: ATIVA, INATIVA' }]);
  });
});

describe('sigilo with its legal basis', () => {
  it('sigilo without the legislation → refused', async () => {
    expect(await erros(baseValida({ sigilo: true }))).toEqual([{ path: 'sigiloBaseLegal', message: 'Base com informação sigilosa: indique a legislação que determina a classificação (sigiloBaseLegal)' }]);
  });
  it('sigilo with the legislation passes', async () => {
    expect((await validarBase(baseValida({ sigilo: true, sigiloBaseLegal: 'Lei Federal nº 12.527/2011, art. 23, classificação pela CMAI' }))).sigilo).toBe(true);
  });
  it('a legal basis without sigilo → refused; sigilo must be a boolean', async () => {
    expect((await erros(baseValida({ sigiloBaseLegal: 'Lei X' })))[0].path).toBe('sigiloBaseLegal');
    expect((await erros(baseValida({ sigilo: 'não' })))[0]).toEqual({ path: 'sigilo', message: 'Sigilo (existe informação classificada em algum grau de sigilo?) deve ser verdadeiro ou falso (true/false)' });
  });
});

describe('enumerations and formats from the manual', () => {
  it.each<[string, unknown, string]>([
    ['tipoArmazenamento', 'Nuvem', 'Tipo de armazenamento inválido: use um destes valores: Banco de Dados, Arquivos de Dados'],
    ['formato', 'Vídeo', 'Formato do arquivo inválido: use um destes valores: Tabela, Planilha, Texto, Mapa, Conjunto de arquivos, Imagens, Outro'],
    ['tiposRepresentacao', ['Tridimensional'], 'Tipo de representação inválido: use Alfanumérica, Matricial, Vetorial, Outro'],
    ['tiposRepresentacao', [], 'Informe ao menos um tipo de representação (Alfanumérica, Matricial, Vetorial, Outro)'],
    ['formasDisponibilizacao', [], 'Informe ao menos uma forma de disponibilização (ex.: download pela internet, e-mail, CD / DVD / pendrive)'],
    ['serieHistorica', '2016', 'Série histórica deve ser o intervalo entre o registro mais antigo e o mais novo, ex.: 2001-2007 ou 2016-atual'],
    ['extensaoArquivo', 'planilha excel', 'Extensão do arquivo inválida: informe as extensões separadas por vírgula (ex.: .xlsx, .csv) ou “Não se aplica”'],
  ])('%s = %p → %s', async (campo, valor, mensagem) => {
    expect(await erros(baseValida({ [campo]: valor }))).toEqual([{ path: campo, message: mensagem }]);
  });
  it('periodicidade outside the list → refused listing the values', async () => {
    expect((await erros(baseValida({ periodicidade: 'De vez em quando' })))[0].message).toMatch(/^Periodicidade inválido: use um destes valores: Diária, Semanal/);
  });
  it('série histórica: start after end, or in the future → refused; “2001 - 2007” normalised', async () => {
    expect((await erros(baseValida({ serieHistorica: '2010-2001' })))[0].message).toContain('ano inicial deve ser anterior ou igual ao final');
    expect((await erros(baseValida({ serieHistorica: '2001-2999' })))[0].path).toBe('serieHistorica');
    expect((await validarBase(baseValida({ serieHistorica: '2001 - 2007' }))).serieHistorica).toBe('2001-2007');
  });
  it('extensions normalised: “XLSX, csv” → “.xlsx, .csv”', async () => {
    expect((await validarBase(baseValida({ extensaoArquivo: 'XLSX, csv' }))).extensaoArquivo).toBe('.xlsx, .csv');
  });
  it('sigla format', async () => {
    expect((await erros(baseValida({ sigla: 'Secretaria da Fazenda' })))[0].message).toContain('Sigla inválida');
  });
});

describe('link to the central record', () => {
  it('personal data → migration status required; planned → the schedule date required', async () => {
    expect((await erros(baseValida({ possuiDadosPessoais: true })))[0].path).toBe('situacaoMigracao');
    expect(await erros(baseValida({ possuiDadosPessoais: true, situacaoMigracao: 'planejada' }))).toEqual([{ path: 'cronogramaMigracao', message: 'Migração planejada ou em andamento: informe a data prevista no cronograma de atualização (cronogramaMigracao)' }]);
    expect(await validarBase(baseValida({ possuiDadosPessoais: true, situacaoMigracao: 'planejada', cronogramaMigracao: '2027-06-30', fonteCarga: 'smads-bdc' }))).toMatchObject({ fonteCarga: 'smads-bdc', cronogramaMigracao: '2027-06-30' });
  });
  it('no personal data → no load source or schedule', async () => {
    expect((await erros(baseValida({ fonteCarga: 'smads-bdc' })))[0]).toEqual({ path: 'fonteCarga', message: 'fonteCarga só se aplica a bases com dados pessoais (possuiDadosPessoais = true)' });
  });
});

describe('odd input: a 400 naming the field, never another error', () => {
  const CAMPOS = ['sigla', 'orgao', 'secaoResponsavel', 'codigoProdam', 'titulo', 'categoriaTematica', 'palavrasChave', 'resumo', 'historico',
    'serieHistorica', 'periodicidade', 'procedencia', 'extensaoGeografica', 'nivelDesagregacao', 'situacao', 'inativaDesde', 'sigilo',
    'sigiloBaseLegal', 'formasDisponibilizacao', 'enderecoAcesso', 'tipoArmazenamento', 'sgbd', 'formato', 'extensaoArquivo', 'ambienteProducao',
    'tiposRepresentacao', 'escala', 'sistemaReferencia', 'baseCartografica', 'possuiDadosPessoais', 'fonteCarga', 'situacaoMigracao', 'cronogramaMigracao'];
  it.each([{ a: { b: 1 } }, [[1], { c: 'x' }], 42, ['x', 7]])('every field set to %p → refused at that field', async (estranho) => {
    for (const campo of CAMPOS) {
      expect((await erros(baseValida({ [campo]: estranho }))).map((d) => d.path)).toContain(campo);
    }
  });
  it('a value nested 5,000 levels deep → refused before any transformation', async () => {
    let fundo: unknown = 'x';
    for (let i = 0; i < 5000; i++) fundo = { a: fundo };
    expect(await erros(baseValida({ titulo: fundo }))).toEqual([{ path: `titulo${'.a'.repeat(31)}`, message: 'O corpo JSON passa de 32 níveis de objetos ou listas aninhados' }]);
  });
  it('a key named after a member of Object.prototype is an unknown field', async () => {
    expect(await erros({ ...baseValida(), ...(JSON.parse('{"__proto__": {"sigilo": false}}') as object) })).toEqual([{ path: '__proto__', message: 'Campo não permitido: __proto__' }]);
  });
  it('not an object → refused as a whole', async () => {
    expect(await erros(['sigla'])).toEqual([{ path: '', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  });
});

describe('CSV import: every path names the line', () => {
  it('a field error', async () => {
    await expect(validarBase(baseValida({ palavrasChave: ['CRAS'], sigla: 'Secretaria da Fazenda' }), 'linha 3.')).rejects.toMatchObject({
      details: [
        { path: 'linha 3.sigla', message: 'Sigla inválida: use letras, dígitos, “/” ou “-” (ex.: SMADS, SMIT/CTI)' },
        { path: 'linha 3.palavrasChave', message: 'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base' },
      ],
    });
  });
  it('an unknown column, a NUL character, a row that is not an object', async () => {
    await expect(validarBase(baseValida({ cor: 'azul' }), 'linha 4.')).rejects.toMatchObject({ details: [{ path: 'linha 4.cor', message: 'Campo não permitido: cor' }] });
    await expect(validarBase(baseValida({ titulo: 'a\u0000b' }), 'linha 5.')).rejects.toMatchObject({
      details: [{ path: 'linha 5.titulo', message: 'O campo titulo contém o caractere nulo (U+0000), que não é aceito em texto' }],
    });
    await expect(validarBase(null, 'linha 6.')).rejects.toMatchObject({
      details: [{ path: 'linha 6', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }],
    });
  });
});
