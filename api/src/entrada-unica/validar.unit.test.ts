import { describe, expect, it } from '@jest/globals';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { CADASTRO_PESSOA, CADASTRO_PJ } from './cadastros.js';
import { validarCorpoDoPedido } from './validar.js';

const detalhes = async (corpo: unknown, tipo: 'criar' | 'alterar' = 'alterar', cad = CADASTRO_PESSOA) => {
  const e = await validarCorpoDoPedido(cad, tipo, corpo).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DadosInvalidos);
  return (e as DadosInvalidos).details;
};

describe('validar (every write path validates the same way)', () => {
  it.each([
    [{ emails: ['a@b.com'] }],
    [{ emails: [null] }],
    [{ rg: 'MG-12.345.678' }],
    [{ localNascimento: [] }],
    [{ nome: 123 }],
    [{ nome: ['Ana'] }],
    [{ obitoRegistro: true }],
    [{ emails: [{ endereco: 'a@b.com', verificado: true, senha: 'x' }] }],
    [{ enderecos: [{ cep: '01001-000', logradouro: 'Rua', numero: '1', bairro: 'Sé', municipio: 'SP', uf: 'SP' }] }],
  ])('%j → pt-BR details', async (corpo) => {
    const d = await detalhes(corpo);
    expect(d.length).toBeGreaterThan(0);
    for (const { message } of d) expect(message).not.toMatch(/must|should|nested property/);
  });

  it('names nested unknown fields and wrong nested types precisely', async () => {
    expect(await detalhes({ emails: [{ endereco: 'a@b.com', verificado: true, senha: 'x' }] })).toEqual([{ path: 'emails.0.senha', message: 'Campo não permitido: emails.0.senha' }]);
    expect(await detalhes({ nome: 123 })).toEqual([{ path: 'nome', message: 'nome deve ser texto' }]);
    expect(await detalhes({ rg: { numero: '12.345', uf: 'SP' } })).toEqual([{ path: 'rg.numero', message: 'rg.numero deve ter de 5 a 12 dígitos, sem pontuação' }]);
  });

  it('creation lists the missing required fields in field order', async () => {
    expect(await detalhes({}, 'criar')).toEqual([
      { path: 'cpf', message: 'cpf é obrigatório' },
      { path: 'nome', message: 'nome é obrigatório' },
      { path: 'dataNascimento', message: 'dataNascimento é obrigatória' },
    ]);
    expect(await detalhes({ razaoSocial: 'X' }, 'criar', CADASTRO_PJ)).toEqual([{ path: 'cnpj', message: 'cnpj é obrigatório' }]);
  });

  it('normalises: punctuated CPF/CNPJ/título, NFC text; keeps explicit nulls as deletions', async () => {
    const r = await validarCorpoDoPedido(CADASTRO_PESSOA, 'alterar', { cpfMae: '529.982.247-25', nome: '  Jose\u0301  Silva ', nomeSocial: null, tituloEleitor: '0043 5687 0906' });
    expect(r.campos).toEqual({ cpfMae: '52998224725', nome: 'José Silva', nomeSocial: null, tituloEleitor: '004356870906' });
    expect(r.evidencia).toBeNull();
  });

  it('a non-object body is refused', async () => {
    expect(await detalhes([1, 2])).toEqual([{ path: '', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  });
});
