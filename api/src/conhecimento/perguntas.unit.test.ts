/**
 * The knowledge check's questions (pure): stable options per account, the right option always present exactly once,
 * distractors in the same spelling and never another true value, grading without partial credit; and the level rule:
 * a passed check counts like the steward's in-person link (level 3), under the same conditions.
 */
import { describe, expect, it } from '@jest/globals';
import { calcularNivel, type EntradaNivel, type PessoaParaNivel } from '../confianca/calcular-nivel.js';
import { corrigir, montarQuestionario, normalizarTexto, type Fato } from './perguntas.js';

const FATOS: Fato[] = [
  { campo: 'dataNascimento', valor: '1987-03-29' },
  { campo: 'nomeMae', valor: 'Conceição Aparecida de Souza' },
  { campo: 'enderecoAnterior', valor: 'Rua das Acácias' },
  { campo: 'localNascimento', valor: 'Caruaru/PE' },
  { campo: 'nomePai', valor: 'José Raimundo dos Santos' },
];
const SEMENTE = 'a'.repeat(64);

describe('montarQuestionario', () => {
  it('asks up to four facts in a fixed order, five options each, the right text exactly once and spelt like the others', () => {
    const q = montarQuestionario(FATOS, SEMENTE);
    expect(q.perguntas.map((p) => [p.id, p.campo])).toEqual([['p1', 'dataNascimento'], ['p2', 'nomeMae'], ['p3', 'enderecoAnterior'], ['p4', 'localNascimento']]);
    const certos = ['29/03/1987', 'CONCEICAO APARECIDA DE SOUZA', 'RUA DAS ACACIAS', 'CARUARU/PE'];
    q.perguntas.forEach((p, i) => {
      expect(p.opcoes.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(new Set(p.opcoes.map((o) => o.texto)).size).toBe(5);
      expect(p.opcoes.filter((o) => o.texto === certos[i])).toHaveLength(1);
      expect(p.opcoes.find((o) => o.id === q.gabarito[p.id])?.texto).toBe(certos[i]);
      for (const o of p.opcoes) expect(o.texto).toBe(normalizarTexto(o.texto));
    });
  });

  it('gives the same questions, options and order for the same seed and record (starting again reveals nothing)', () => {
    expect(montarQuestionario(FATOS, SEMENTE)).toEqual(montarQuestionario(FATOS, SEMENTE));
    expect(montarQuestionario(FATOS, 'b'.repeat(64))).not.toEqual(montarQuestionario(FATOS, SEMENTE));
  });

  it('name distractors keep the shape of the right name (word count, connectors)', () => {
    const q = montarQuestionario(FATOS, SEMENTE);
    const mae = q.perguntas[1];
    for (const o of mae.opcoes) {
      const palavras = o.texto.split(' ');
      expect(palavras).toHaveLength(4);
      expect(palavras[2]).toBe('DE');
    }
  });

  it('date distractors are real calendar dates within five years of each other, the right year anywhere in the window', () => {
    const posicoes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const q = montarQuestionario(FATOS, `semente-${i}`);
      const datas = q.perguntas[0].opcoes.map((o) => o.texto);
      const anos = datas.map((d) => Number(d.slice(6)));
      expect(Math.max(...anos) - Math.min(...anos)).toBeLessThanOrEqual(4);
      for (const d of datas) {
        const [dia, mes, ano] = d.split('/').map(Number) as [number, number, number];
        const data = new Date(Date.UTC(ano, mes - 1, dia));
        expect([data.getUTCFullYear(), data.getUTCMonth() + 1, data.getUTCDate()]).toEqual([ano, mes, dia]);
      }
      posicoes.add([...new Set(anos)].sort().indexOf(1987));
    }
    // the right year is not always the middle (or the lowest) of the years shown
    expect(posicoes.size).toBeGreaterThan(1);
  });

  it('never offers another true value as a distractor (the person\'s other streets)', () => {
    const proibidos = { enderecoAnterior: ['Rua Augusta', 'Avenida Paulista'] };
    for (let i = 0; i < 50; i++) {
      const q = montarQuestionario(FATOS, `s${i}`, proibidos);
      const textos = q.perguntas[2].opcoes.map((o) => o.texto);
      expect(textos).not.toContain('RUA AUGUSTA');
      expect(textos).not.toContain('AVENIDA PAULISTA');
    }
  });

  it('refuses fewer than three facts', () => {
    expect(() => montarQuestionario(FATOS.slice(0, 2), SEMENTE)).toThrow('fatos insuficientes');
  });
});

describe('corrigir', () => {
  const gabarito = { p1: 'c', p2: 'a', p3: 'e' };
  it.each<[string, Record<string, string>, boolean]>([
    ['all right', { p1: 'c', p2: 'a', p3: 'e' }, true],
    ['first wrong', { p1: 'a', p2: 'a', p3: 'e' }, false],
    ['last wrong', { p1: 'c', p2: 'a', p3: 'a' }, false],
    ['all wrong', { p1: 'a', p2: 'b', p3: 'c' }, false],
    ['one missing', { p1: 'c', p2: 'a' }, false],
    ['an extra answer', { p1: 'c', p2: 'a', p3: 'e', p4: 'a' }, false],
  ])('%s', (_caso, respostas, esperado) => {
    expect(corrigir(gabarito, respostas)).toBe(esperado);
  });
});

describe('level rule: evidence conhecimento', () => {
  const CPF = '52998224725';
  const ativa: PessoaParaNivel = { cpf: CPF, situacao: 'ativa', obito: false };
  const entrada = (o: { cpfDeclarado?: string; pessoa?: PessoaParaNivel; situacao?: 'ativa' | 'excluida' }): EntradaNivel => ({
    conta: { cpfDeclarado: o.cpfDeclarado ?? CPF, situacao: o.situacao ?? 'ativa' },
    evidencias: [{ tipo: 'conhecimento', pessoaCpf: CPF }],
    pessoas: new Map(o.pessoa ? [[o.pessoa.cpf, o.pessoa]] : []),
  });
  it.each<[string, EntradaNivel, number]>([
    ['a passed check on an active, living record with the declared CPF', entrada({ pessoa: ativa }), 3],
    ['the record is gone', entrada({}), 1],
    ['the person is deceased', entrada({ pessoa: { ...ativa, obito: true } }), 1],
    ['the record is inactive', entrada({ pessoa: { ...ativa, situacao: 'inativa' } }), 1],
    ['the account now declares another CPF', entrada({ cpfDeclarado: '11144477735', pessoa: ativa }), 1],
    ['the account was deleted', entrada({ pessoa: ativa, situacao: 'excluida' }), 1],
  ])('%s', (_caso, e, nivel) => {
    expect(calcularNivel(e)).toBe(nivel);
  });
});
