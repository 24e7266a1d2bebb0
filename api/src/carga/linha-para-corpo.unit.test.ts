/**
 * linhaParaCorpo: hand-written rows with the body expected for each, and a property over arbitrary staged rows: the
 * body always passes the person DTO unchanged (what lets the set-based merge skip class-validator per row).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CamposPessoaDto } from '../pessoas/pessoa.dto.js';
import { completarCpf, ehCpfValido } from '../validation/cpf.js';
import { validarCorpo } from '../validation/validar.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { linhaParaCorpo, type LinhaStaging } from './linha-para-corpo.js';

// "Today" is 2026-11-16 (test/support/relogio.ts): birth dates after it are future, before 1896-11-16 too old.
usarRelogioDosTestes();

const CPF = completarCpf('123456780');
const MAE = completarCpf('234567801');
const PAI = completarCpf('345678012');

const vazia: LinhaStaging = {
  chaveFonte: 'IM000000001', cpf: CPF, nome: null, nomeMae: null, nomePai: null, cpfMae: null, cpfPai: null, dataNascimento: null,
  dataObito: null, sexo: null, obito: null, email: null, telefone: null,
};

describe('linhaParaCorpo', () => {
  it('maps every usable column to its field', () => {
    const corpo = linhaParaCorpo(
      { ...vazia, nome: '  MARIA   DA SILVA ', nomeMae: 'ANA DA SILVA', nomePai: 'JOSE DA SILVA', cpfMae: MAE, cpfPai: PAI, dataNascimento: '1980-02-29', sexo: 'F', email: 'maria@exemplo.com.br', telefone: '11987654321' },
      'fazenda',
    );
    expect(corpo).toEqual({
      cpf: CPF, nome: 'MARIA DA SILVA', genero: 'feminino', dataNascimento: '1980-02-29', cpfMae: MAE, nomeMae: 'ANA DA SILVA', cpfPai: PAI, nomePai: 'JOSE DA SILVA',
      emails: [{ endereco: 'maria@exemplo.com.br', verificado: false }], telefones: [{ numero: '11987654321', tipo: 'celular', verificado: false }],
    });
  });

  it('a 10-digit phone is a landline; sexo M is genero masculino', () => {
    expect(linhaParaCorpo({ ...vazia, sexo: 'M', telefone: '1133334444' }, 'saude-siga')).toEqual({
      cpf: CPF, genero: 'masculino', telefones: [{ numero: '1133334444', tipo: 'fixo', verificado: false }],
    });
  });

  it("drops a parent's CPF equal to the person's own, and both parents' CPFs when they are equal", () => {
    expect(linhaParaCorpo({ ...vazia, cpfMae: CPF, cpfPai: PAI }, 'fazenda')).toEqual({ cpf: CPF, cpfPai: PAI });
    expect(linhaParaCorpo({ ...vazia, cpfMae: MAE, cpfPai: CPF }, 'fazenda')).toEqual({ cpf: CPF, cpfMae: MAE });
    expect(linhaParaCorpo({ ...vazia, cpfMae: MAE, cpfPai: MAE }, 'fazenda')).toEqual({ cpf: CPF });
  });

  it('drops values the record can never take: future or too old birth date, unreadable name, invalid e-mail', () => {
    expect(linhaParaCorpo({ ...vazia, dataNascimento: '2026-11-17' }, 'fazenda')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...vazia, dataNascimento: '1896-11-15' }, 'fazenda')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...vazia, dataNascimento: '1896-11-16' }, 'fazenda')).toEqual({ cpf: CPF, dataNascimento: '1896-11-16' });
    expect(linhaParaCorpo({ ...vazia, nome: 'JOAO\u200bSILVA', nomeMae: '   ', nomePai: 'X'.repeat(301) }, 'fazenda')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...vazia, email: 'a@b' }, 'fazenda')).toEqual({ cpf: CPF });
  });

  it('sends names without a form of address before them (two words or more after it); other names as written', () => {
    expect(linhaParaCorpo({ ...vazia, nome: 'DRA. ROBERTA MENDES CASTRO', nomeMae: 'SRA HELENA DUARTE', nomePai: 'Prof. Carlos Castro' }, 'fazenda'))
      .toEqual({ cpf: CPF, nome: 'ROBERTA MENDES CASTRO', nomeMae: 'HELENA DUARTE', nomePai: 'Carlos Castro' });
    expect(linhaParaCorpo({ ...vazia, nome: 'DR SILVA', nomeMae: 'DRAUZIO VARELLA', nomePai: 'JOSE SILVA JR' }, 'fazenda'))
      .toEqual({ cpf: CPF, nome: 'DR SILVA', nomeMae: 'DRAUZIO VARELLA', nomePai: 'JOSE SILVA JR' });
  });

  it('sends a death only from SIRC, with a valid date and the certificate number as the key', () => {
    const matricula = '1'.repeat(32);
    const morto = { ...vazia, chaveFonte: matricula, obito: true, dataObito: '2026-10-01' };
    expect(linhaParaCorpo(morto, 'sirc')).toEqual({ cpf: CPF, obitoRegistro: { data: '2026-10-01', fonte: 'sirc', certidao: matricula } });
    expect(linhaParaCorpo(morto, 'saude-siga')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...morto, chaveFonte: 'OB-1' }, 'sirc')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...morto, dataObito: '2026-11-17' }, 'sirc')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...morto, dataObito: null }, 'sirc')).toEqual({ cpf: CPF });
    expect(linhaParaCorpo({ ...morto, obito: false }, 'sirc')).toEqual({ cpf: CPF });
  });

  it('property: every body passes the person DTO and comes out of it unchanged', async () => {
    // Staged CPFs passed the triage: valid check digits, not repeated digits.
    const cpf = fc.stringMatching(/^[0-9]{9}$/).map(completarCpf).filter(ehCpfValido);
    const talvez = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    // Names: letters, accents, spaces, control/invisible characters and combining marks, up to 320 characters.
    const nome = fc.string({ unit: fc.constantFrom(...'AÁÃÇEÉIOÕUabc \t\u00a0\u200b\u0301\u0000-\'.'.split('')), maxLength: 320 });
    const data = fc.date({ min: new Date('1850-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const email = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 }), fc.constant('x@y.z'), fc.constant(`${'a'.repeat(250)}@b.com`));
    const linha: fc.Arbitrary<LinhaStaging> = fc.record({
      chaveFonte: fc.oneof(fc.stringMatching(/^[0-9]{32}$/), fc.string({ minLength: 1, maxLength: 20 })),
      cpf,
      nome: talvez(nome),
      nomeMae: talvez(nome),
      nomePai: talvez(nome),
      cpfMae: talvez(fc.oneof(cpf, fc.constant(CPF))),
      cpfPai: talvez(fc.oneof(cpf, fc.constant(MAE))),
      dataNascimento: talvez(data),
      dataObito: talvez(data),
      sexo: talvez(fc.constantFrom('M', 'F')),
      obito: talvez(fc.boolean()),
      email: talvez(email),
      telefone: talvez(fc.stringMatching(/^[0-9]{10,11}$/)),
    });
    await fc.assert(
      fc.asyncProperty(linha, fc.constantFrom<'sirc' | 'fazenda' | 'saude-siga'>('sirc', 'fazenda', 'saude-siga'), async (l, fonte) => {
        const corpo = linhaParaCorpo(l, fonte);
        const validado = await validarCorpo(CamposPessoaDto, corpo);
        expect(JSON.parse(JSON.stringify(validado))).toEqual(corpo);
      }),
      { numRuns: 2000 },
    );
  });
});
