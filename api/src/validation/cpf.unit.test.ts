import { describe, expect, it } from '@jest/globals';
import { IsDefined } from 'class-validator';
import { completarCpf, cpfValidoOuNulo, ehCpfValido, mascararCpf, normalizarCpf } from './cpf.js';
import { IsCpf, NormalizarCpf } from './decorators.js';
import { validarCorpo } from './validar.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';

describe('cpf', () => {
  it.each([
    ['52998224725', true],
    ['11144477735', true],
    ['39053344705', true],
    ['52998224724', false], // wrong second check digit
    ['52998224715', false], // wrong first check digit
    ['5299822472', false], // 10 digits
    ['529982247250', false], // 12 digits
    ['5299822472a', false],
    ['', false],
  ])('ehCpfValido(%s) = %s', (cpf, esperado) => {
    expect(ehCpfValido(cpf)).toBe(esperado);
  });

  it.each(Array.from({ length: 10 }, (_, d) => String(d).repeat(11)))('rejects the repeated-digit fake %s', (cpf) => {
    expect(ehCpfValido(cpf)).toBe(false);
  });

  it('normalises punctuation only', () => {
    expect(normalizarCpf('529.982.247-25')).toBe('52998224725');
    expect(normalizarCpf(' 529 982 247/25 ')).toBe('52998224725');
    expect(cpfValidoOuNulo('529.982.247-25')).toBe('52998224725');
    expect(cpfValidoOuNulo('529,982,247,25')).toBeNull();
    expect(cpfValidoOuNulo(52998224725)).toBeNull();
  });

  // Expected CPFs written by hand (check digits worked out on paper), not computed by the function under test.
  it.each([
    ['529982247', '52998224725'],
    ['111444777', '11144477735'],
    ['390533447', '39053344705'],
    ['100000007', '10000000795'], // (1·10 + 7·2)·10 = 240 ≡ 9; (1·11 + 7·3 + 9·2)·10 = 500 ≡ 5 (mod 11)
    ['100000001', '10000000108'], // (1·10 + 1·2)·10 = 120 ≡ 10, which becomes 0; (1·11 + 1·3)·10 = 140 ≡ 8
  ])('completarCpf(%s) = %s', (nove, esperado) => {
    expect(completarCpf(nove)).toBe(esperado);
  });

  it.each(['', '12345678', '1234567890', '12345678a'])('completarCpf refuses %p (not 9 digits)', (nove) => {
    expect(() => completarCpf(nove)).toThrow(RangeError);
  });

  it('masks for logs', () => {
    expect(mascararCpf('52998224725')).toBe('529.***.***-25');
  });
});

class ComCpf {
  @IsDefined({ message: 'cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf()
  cpf: string;
}

describe('@IsCpf', () => {
  it('accepts a punctuated valid CPF and normalises it', async () => {
    await expect(validarCorpo(ComCpf, { cpf: '529.982.247-25' })).resolves.toMatchObject({ cpf: '52998224725' });
  });

  it.each(['11111111111', '52998224724', 52998224725, '529.982.247-2X'])('rejects %p with "CPF inválido"', async (cpf) => {
    const erro = await validarCorpo(ComCpf, { cpf }).catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(DadosInvalidos);
    expect((erro as DadosInvalidos).toJSON()).toMatchObject({ message: 'CPF inválido', details: [{ path: 'cpf', message: 'CPF inválido' }] });
  });

  it('says a missing CPF is required (one message per field)', async () => {
    const erro = (await validarCorpo(ComCpf, { cpf: null }).catch((e: unknown) => e)) as DadosInvalidos;
    expect(erro.toJSON().details).toEqual([{ path: 'cpf', message: 'cpf é obrigatório' }]);
  });

  it('names unknown fields', async () => {
    const erro = (await validarCorpo(ComCpf, { cpf: '52998224725', senha: 'x' }).catch((e: unknown) => e)) as DadosInvalidos;
    expect(erro.status).toBe(400);
    expect(erro.toJSON().details).toEqual([{ path: 'senha', message: 'Campo não permitido: senha' }]);
  });
});
