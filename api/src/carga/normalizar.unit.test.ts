import { describe, expect, it } from '@jest/globals';
import { chaveCodigo, chaveNome, converterData, ehFormatoData, normalizarEmail, normalizarEspacos, normalizarNome, normalizarTelefone, somenteDigitos } from './normalizar.js';

describe('text', () => {
  it('collapses spacing (incl. NBSP and tabs)', () => {
    expect(normalizarEspacos('  MARIA\u00a0 \tDA   SILVA ')).toBe('MARIA DA SILVA');
  });
  it('codes compare upper-case without accents', () => {
    expect(chaveCodigo(' não  consta ')).toBe('NAO CONSTA');
    expect(chaveCodigo('Feminino')).toBe('FEMININO');
  });
  it('name display form: upper case, accents kept, empty → null', () => {
    expect(normalizarNome('  José   da Conceição ')).toBe('JOSÉ DA CONCEIÇÃO');
    expect(normalizarNome('   ')).toBeNull();
  });
  it.each([
    ['Maria José d\'Ávila dos Santos', 'MARIA JOSE AVILA SANTOS'],
    ['JOÃO DA SILVA E SOUZA', 'JOAO SILVA SOUZA'],
    ['ANA-LÚCIA  DE  OLIVEIRA', 'ANA LUCIA OLIVEIRA'],
    ['Francisco A. Pereira', 'FRANCISCO A PEREIRA'],
    ['Conceição', 'CONCEICAO'],
    ['Dr. João Silva', 'JOAO SILVA'],
    ['SRA. MARIA DE SOUZA LIMA', 'MARIA SOUZA LIMA'],
    ['Profa Ana Costa', 'ANA COSTA'],
    ['DR SILVA', 'DR SILVA'],
    ['João Souza Jr.', 'JOAO SOUZA JUNIOR'],
    ['JOSÉ CARLOS DA SILVA JÚNIOR', 'JOSE CARLOS SILVA JUNIOR'],
    ['JR SILVA', 'JR SILVA'],
    ['de da dos', null],
    ['', null],
  ])('chaveNome(%j) = %j', (nome, chave) => {
    expect(chaveNome(nome)).toBe(chave);
  });
  it('digits, e-mail, phone', () => {
    expect(somenteDigitos('(11) 98765-4321')).toBe('11987654321');
    expect(normalizarEmail(' Maria.Silva@Exemplo.COM.br ')).toBe('maria.silva@exemplo.com.br');
    expect(normalizarEmail('maria@')).toBeNull();
    expect(normalizarEmail('maria silva@x.com')).toBeNull();
    expect(normalizarTelefone('(11) 98765-4321')).toBe('11987654321');
    expect(normalizarTelefone('+55 11 3333-4444')).toBe('1133334444');
    expect(normalizarTelefone('3333-4444')).toBeNull();
  });
});

describe('dates', () => {
  it.each([
    ['DD/MM/YYYY', true],
    ['YYYY-MM-DD', true],
    ['DDMMYYYY', true],
    ['YYYYMMDD', true],
    ['DD.MM.YYYY', true],
    ['DD/MM/YY', false],
    ['DD/MM', false],
    ['DD/DD/YYYY', false],
    ['DD_MM_YYYY', false],
  ])('ehFormatoData(%j) = %s', (f, ok) => {
    expect(ehFormatoData(f)).toBe(ok);
  });

  it.each<[string, string[], string | null]>([
    ['12/03/1985', ['DD/MM/YYYY'], '1985-03-12'],
    ['1985-03-12', ['YYYY-MM-DD'], '1985-03-12'],
    ['1985-03-12 00:00:00', ['YYYY-MM-DD'], '1985-03-12'],
    ['1985-03-12T00:00:00.000', ['YYYY-MM-DD'], '1985-03-12'],
    ['1985-03-12T03:00:00Z', ['YYYY-MM-DD'], '1985-03-12'],
    ['1985-03-12T00:00:00.000-03:00', ['YYYY-MM-DD'], '1985-03-12'],
    ['12/03/1985 00:00:00 -0300', ['DD/MM/YYYY'], '1985-03-12'],
    ['12031985', ['DDMMYYYY'], '1985-03-12'],
    ['29/02/2000', ['DD/MM/YYYY'], '2000-02-29'], // divisible by 400: leap
    ['29/02/1900', ['DD/MM/YYYY'], null], // divisible by 100, not by 400: not leap
    ['29/02/2023', ['DD/MM/YYYY'], null],
    ['29/02/2024', ['DD/MM/YYYY'], '2024-02-29'],
    ['31/04/1990', ['DD/MM/YYYY'], null], // April has 30 days
    ['30/04/1990', ['DD/MM/YYYY'], '1990-04-30'],
    ['12/13/1990', ['DD/MM/YYYY'], null],
    ['00/01/1990', ['DD/MM/YYYY'], null],
    ['1/3/1985', ['DD/MM/YYYY'], null], // the format demands two digits
    ['12/03/1985', ['YYYY-MM-DD'], null],
    ['12/03/1985', ['YYYY-MM-DD', 'DD/MM/YYYY'], '1985-03-12'], // first format that fits
    ['20010203', ['DDMMYYYY', 'YYYYMMDD'], '2001-02-03'], // as DDMMYYYY the year is 0203 < anoMinimo
    ['03022001', ['DDMMYYYY', 'YYYYMMDD'], '2001-02-03'],
    ['19900102', ['DDMMYYYY', 'YYYYMMDD'], '1990-01-02'], // month 90 impossible as DDMMYYYY
    ['abc', ['DD/MM/YYYY'], null],
  ])('converterData(%j, %j) = %j', (valor, formatos, iso) => {
    expect(converterData(valor, formatos, 1880)).toBe(iso);
  });
});
