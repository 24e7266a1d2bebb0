/**
 * The portal's two languages without a server: every catalogue has the same keys in pt-BR and English and no empty
 * text (the compiler already refuses a missing key; this guards the values), the PMCC refusal worded from its code,
 * the dates of each language, and the date the form posts in either shape.
 */
import { describe, expect, it } from '@jest/globals';
import { TEXTOS_ACESSOS } from './acessos-pagina.js';
import { ACOES_LEGIVEIS, FINALIDADES_LEGIVEIS, NAO_REGISTRADO, NOMES_DO_ORGAO, NOMES_DO_PAPEL } from './acessos.service.js';
import { TEXTOS_APLICACOES } from './aplicacoes.js';
import { TEXTOS_CONVERSAS } from './conversas.js';
import { TEXTOS } from './html.js';
import { linhaHtml, marcarGlosas, ptBR, type Idioma } from './idioma.js';
import { ROTULOS_ESTADO_CIVIL, ROTULOS_GENERO, TEXTOS_MEUS_DADOS, linhasRecusaPmcc, mudancaDoFormulario, valoresDoRegistro } from './meus-dados.js';
import { TEXTOS_NOTIFICACOES } from './notificacoes.js';
import { TEXTOS_PORTAL } from './portal.js';
import { NOMES_DA_APLICACAO, ROTULOS_CAMPO, data, dataHora, dataIsoDoFormulario } from './rotulos.js';
import { NOMES_EVIDENCIA, TEXTOS_SEGURANCA } from './seguranca.js';

type CatalogoQualquer = Readonly<Record<Idioma, Readonly<Record<string, unknown>>>>;

const CATALOGOS: Readonly<Record<string, CatalogoQualquer>> = {
  TEXTOS, TEXTOS_PORTAL, TEXTOS_MEUS_DADOS, ROTULOS_GENERO, ROTULOS_ESTADO_CIVIL, TEXTOS_SEGURANCA, NOMES_EVIDENCIA, TEXTOS_APLICACOES,
  TEXTOS_CONVERSAS, TEXTOS_NOTIFICACOES, TEXTOS_ACESSOS, ACOES_LEGIVEIS, FINALIDADES_LEGIVEIS, NAO_REGISTRADO, NOMES_DO_ORGAO, NOMES_DO_PAPEL,
  ROTULOS_CAMPO, NOMES_DA_APLICACAO,
};

describe('the catalogues', () => {
  it.each(Object.entries(CATALOGOS))('%s: the same keys in both languages, the same kind of value, no empty text', (_nome, c) => {
    expect(Object.keys(c.en).sort()).toEqual(Object.keys(c['pt-BR']).sort());
    for (const [chave, pt] of Object.entries(c['pt-BR'])) {
      const en = c.en[chave];
      expect([chave, typeof en]).toEqual([chave, typeof pt]);
      // A function is called with sample values of its arity: its text, too, must not be empty.
      const texto = (v: unknown) => (typeof v === 'function' ? String((v as (...a: unknown[]) => unknown)(...Array.from({ length: v.length }, () => 2))) : String(v));
      expect([chave, texto(pt).trim().length > 0, texto(en).trim().length > 0]).toEqual([chave, true, true]);
      if (typeof pt === 'function') expect([chave, (en as () => string).length]).toEqual([chave, pt.length]);
    }
  });

  it('the English layout differs from pt-BR where the words are the product\'s own', () => {
    expect([TEXTOS.en.meusDados, TEXTOS.en.acessos, TEXTOS.en.sair]).toEqual(['My data', 'Who accessed my data', 'Sign out']);
  });
});

describe('PMCC refusals', () => {
  const recusa = { campo: 'cpf', operacao: 'modificacao', codigo: 'CAMPO_IMUTAVEL' as const, mensagem: 'O campo cpf não pode ser alterado por ninguém (PMCC)', regra: 'cpf.modificacao.cidadao=nunca' };

  it('pt-BR keeps the API\'s own sentence', () => {
    expect(linhasRecusaPmcc([recusa], 'pt-BR')).toEqual([
      'Alteração recusada pela PMCC (Políticas de Manutenção dos Cadastros Centralizados); nada foi gravado:',
      'CPF: O campo cpf não pode ser alterado por ninguém (PMCC)',
    ]);
  });

  it('English words it from the code and the operation, never from the pt-BR sentence', () => {
    expect(linhasRecusaPmcc([recusa, { ...recusa, campo: 'genero', codigo: 'PRECEDENCIA_INFERIOR', mensagem: 'A fonte autodeclarado tem precedência menor que a do valor vigente de genero (gestor)' }], 'en')).toEqual([
      'Change refused under the PMCC (the City\'s rules for maintaining the central registers); nothing was saved:',
      'CPF: No one can change this field (PMCC rule).',
      'Sex / gender: The current value came from a source that takes precedence over your own statement (an official source or a register manager), so it was kept (PMCC rule).',
    ]);
  });
});

describe('pt-BR fragments inside English text', () => {
  it('free pt-BR text gets its own lang on the English page and none on the pt-BR page', () => {
    expect(ptBR('A certidão não confere', 'en')).toBe('<span lang="pt-BR">A certidão não confere</span>');
    expect(ptBR('A certidão não confere', 'pt-BR')).toBe('A certidão não confere');
    expect(ptBR('<b>', 'en', 'p')).toBe('<p lang="pt-BR">&lt;b&gt;</p>');
    expect(linhaHtml([{ texto: 'assunto deve ter de 3 a 120 caracteres', lang: 'pt-BR' }], 'en')).toBe('<span lang="pt-BR">assunto deve ter de 3 a 120 caracteres</span>');
  });
});

describe('Portuguese glosses in English text', () => {
  it('are marked lang="pt-BR" in element content, not in attributes, text-only elements or what is already pt-BR', () => {
    expect(marcarGlosas([
      '<p>Social name (nome social)</p>', '<option>Stable union (união estável)</option>', '<p lang="pt-BR">O nome social <span>nome social</span> bairro</p>',
      '<p title="nome social">bairro</p>', '<textarea>nome social</textarea>', '<p>bairros; the Citizen Register (Cadastro Base de Pessoas)</p>',
    ].join(''))).toBe([
      '<p>Social name (<span lang="pt-BR">nome social</span>)</p>', '<option>Stable union (união estável)</option>', '<p lang="pt-BR">O nome social <span>nome social</span> bairro</p>',
      '<p title="nome social"><span lang="pt-BR">bairro</span></p>', '<textarea>nome social</textarea>',
      '<p>bairros; the Citizen Register (<span lang="pt-BR">Cadastro Base de Pessoas</span>)</p>',
    ].join(''));
  });
});

describe('dates', () => {
  it('pt-BR dd/mm/aaaa; English with the month in letters, in São Paulo time', () => {
    const quando = new Date('2026-12-05T17:30:00Z');
    expect(dataHora(quando, 'pt-BR')).toBe('05/12/2026 14:30');
    expect(dataHora(quando, 'en')).toBe('5 Dec 2026 14:30');
    expect(dataHora(new Date('2027-01-01T02:05:00Z'), 'en')).toBe('31 Dec 2026 23:05');
    expect(data('1979-03-08', 'pt-BR')).toBe('08/03/1979');
    expect(data('1979-03-08', 'en')).toBe('8 Mar 1979');
  });

  it('the form takes dd/mm/aaaa and aaaa-mm-dd in either language; the English form shows aaaa-mm-dd', () => {
    expect(dataIsoDoFormulario('08/03/1979')).toBe('1979-03-08');
    expect(dataIsoDoFormulario(' 1979-03-08 ')).toBe('1979-03-08');
    expect(dataIsoDoFormulario('8 Mar 1979')).toBeNull();
    const pessoa = { cpf: '52998224725', nome: 'Helena Prado', dataNascimento: '1979-03-08' };
    expect(valoresDoRegistro(pessoa, 'en').dataNascimento).toBe('1979-03-08');
    expect(valoresDoRegistro(pessoa, 'pt-BR').dataNascimento).toBe('08/03/1979');
    expect(mudancaDoFormulario(pessoa, { dataNascimento: '1979-03-08' })).toEqual({});
    expect(mudancaDoFormulario(pessoa, { dataNascimento: '08/03/1979' })).toEqual({});
    expect(mudancaDoFormulario(pessoa, { dataNascimento: '1979-03-09' })).toEqual({ dataNascimento: '1979-03-09' });
    expect(mudancaDoFormulario(pessoa, { dataNascimento: '09/03/1979' })).toEqual({ dataNascimento: '1979-03-09' });
    // Neither shape: sent as typed, for Entrada Única's validation to name it.
    expect(mudancaDoFormulario(pessoa, { dataNascimento: '9 Mar 1979' })).toEqual({ dataNascimento: '9 Mar 1979' });
  });
});
