/**
 * resumoDoLastro against the vector shared with the Java mapper's tests (test/vetores/lastro.json): the attribute
 * value is exactly the hand-written string, byte for byte.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { TipoEvidencia } from '../contas/evidencia.entity.js';
import { resumoDoLastro } from './lastro.js';

interface Caso {
  nome: string;
  entrada: {
    conta: { pessoaCpf: string | null };
    pessoa: { cpf: string; nome: string } | null;
    evidencias: { tipo: TipoEvidencia; pessoaCpf: string | null; registradoEm: string; detalhe: unknown }[];
  };
  lastro: string | null;
}
const VETOR = JSON.parse(readFileSync(new URL('../../../test/vetores/lastro.json', import.meta.url), 'utf8')) as { casos: Caso[] };

describe('resumoDoLastro (test/vetores/lastro.json)', () => {
  it.each(VETOR.casos.map((c) => [c.nome, c] as const))('%s', (_nome, caso) => {
    const evidencias = caso.entrada.evidencias.map((e) => ({ ...e, registradoEm: new Date(e.registradoEm) }));
    expect(resumoDoLastro({ ...caso.entrada, evidencias })).toBe(caso.lastro);
  });

  it('does not depend on the order the evidence was read in', () => {
    const caso = VETOR.casos[0];
    const evidencias = caso.entrada.evidencias.map((e) => ({ ...e, registradoEm: new Date(e.registradoEm) })).reverse();
    expect(resumoDoLastro({ ...caso.entrada, evidencias })).toBe(caso.lastro);
  });

  it('no summary when the tied record is not the one given, or no evidence points to it', () => {
    const agora = new Date('2026-11-16T15:30:00.000Z');
    expect(resumoDoLastro({ conta: { pessoaCpf: '52998224725' }, pessoa: { cpf: '11144477735', nome: 'X' }, evidencias: [{ tipo: 'conhecimento', pessoaCpf: '52998224725', registradoEm: agora, detalhe: {} }] })).toBeNull();
    expect(resumoDoLastro({ conta: { pessoaCpf: '52998224725' }, pessoa: { cpf: '52998224725', nome: 'X' }, evidencias: [{ tipo: 'conhecimento', pessoaCpf: '11144477735', registradoEm: agora, detalhe: {} }] })).toBeNull();
  });
});
