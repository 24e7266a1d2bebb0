/**
 * Every PMCC default row × operation × actor kind, allowed and refused, with the reason code.
 * The expectations are written here by hand from the domain notes' table — not derived from `politicas.ts` — so a
 * change in the policy file that this table does not repeat fails the test.
 */
import { describe, expect, it } from '@jest/globals';
import { decidir, type Ator, type Decisao } from './decidir.js';
import { OPERACOES, POLITICAS, politicaDe, type Entidade, type Operacao, type PoliticaCampo } from './politicas.js';

const ANTES = '2026-01-01T00:00:00.000Z';
const AGORA = '2026-11-23T12:00:00.000Z';

const ATORES: Record<string, Ator> = {
  cidadao: { tipo: 'cidadao', cpf: '52998224725' },
  gestor: { tipo: 'gestor', username: 'gestora.maria', orgao: 'smit' },
  carga: { tipo: 'carga', fonte: 'saude-siga', lote: 'lote-1' },
  evento: { tipo: 'evento-keycloak', fonte: 'keycloak' },
};
const ORDEM = ['cidadao', 'gestor', 'carga', 'evento'] as const;

/**
 * Scenario: the steward brings evidence; the batch source is Saúde (70) over a current value from Fazenda (60)
 * observed earlier; the Keycloak event is newer. Codes: A = ACEITO, S = SOLICITACAO_DO_CIDADAO (review, not
 * applied), W = SOBRESCRITA_DE_CAMPO_CRITICO (applied + review), I = CAMPO_IMUTAVEL, N = ATOR_NAO_AUTORIZADO,
 * F = FONTE_NAO_AUTORIZADA, P = PRECEDENCIA_INFERIOR. One letter per actor: cidadão, gestor, carga, evento.
 */
type Linha = Record<Operacao, string>;
const ESPERADO: Record<Entidade, Record<string, Linha>> = {
  pessoa: {
    cpf: { insercao: 'NAAN', modificacao: 'IIII', exclusao: 'IIII' },
    nome: { insercao: 'NAAN', modificacao: 'SAWN', exclusao: 'IIII' },
    nomeSocial: { insercao: 'AANN', modificacao: 'AANN', exclusao: 'AANN' },
    genero: { insercao: 'AAAN', modificacao: 'PAAN', exclusao: 'NANN' },
    estadoCivil: { insercao: 'AAAN', modificacao: 'PAAN', exclusao: 'NANN' },
    localNascimento: { insercao: 'AAAN', modificacao: 'PAAN', exclusao: 'NANN' },
    dataNascimento: { insercao: 'NAAN', modificacao: 'SAWN', exclusao: 'IIII' },
    rg: { insercao: 'AAAN', modificacao: 'PAAN', exclusao: 'NANN' },
    tituloEleitor: { insercao: 'AAAN', modificacao: 'PAAN', exclusao: 'NANN' },
    cpfMae: { insercao: 'SAAN', modificacao: 'SAWN', exclusao: 'NANN' },
    nomeMae: { insercao: 'SAAN', modificacao: 'SAWN', exclusao: 'NANN' },
    cpfPai: { insercao: 'SAAN', modificacao: 'SAWN', exclusao: 'NANN' },
    nomePai: { insercao: 'SAAN', modificacao: 'SAWN', exclusao: 'NANN' },
    relacoesFamiliares: { insercao: 'SAAN', modificacao: 'SAAN', exclusao: 'NANN' },
    emails: { insercao: 'AAAA', modificacao: 'AAAA', exclusao: 'AANN' },
    telefones: { insercao: 'AAAA', modificacao: 'AAAA', exclusao: 'AANN' },
    enderecos: { insercao: 'AAAA', modificacao: 'AAAA', exclusao: 'AANN' },
    obito: { insercao: 'NAFN', modificacao: 'NANN', exclusao: 'NANN' },
    biometria: { insercao: 'NNFN', modificacao: 'NNFN', exclusao: 'NANN' },
    certificadoIcp: { insercao: 'NNNA', modificacao: 'NNNA', exclusao: 'NANN' },
    vinculoGovbr: { insercao: 'NNNA', modificacao: 'NNNA', exclusao: 'NANN' },
    situacao: { insercao: 'IIII', modificacao: 'NANN', exclusao: 'IIII' },
  },
  pessoa_juridica: {
    cnpj: { insercao: 'NAAN', modificacao: 'IIII', exclusao: 'IIII' },
    razaoSocial: { insercao: 'NAAN', modificacao: 'NAWN', exclusao: 'IIII' },
    nomeFantasia: { insercao: 'NAAN', modificacao: 'NAAN', exclusao: 'NANN' },
    situacao: { insercao: 'NAAN', modificacao: 'NAAN', exclusao: 'IIII' },
    endereco: { insercao: 'NAAN', modificacao: 'NAAN', exclusao: 'NANN' },
    responsaveis: { insercao: 'NAAN', modificacao: 'NAAN', exclusao: 'NANN' },
  },
};

const CODIGO: Record<string, { codigo: string; resultado: Decisao['resultado']; aplicar: boolean; revisao: boolean }> = {
  A: { codigo: 'ACEITO', resultado: 'aceitar', aplicar: true, revisao: false },
  S: { codigo: 'SOLICITACAO_DO_CIDADAO', resultado: 'aceitar-e-revisar', aplicar: false, revisao: true },
  W: { codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO', resultado: 'aceitar-e-revisar', aplicar: true, revisao: true },
  I: { codigo: 'CAMPO_IMUTAVEL', resultado: 'rejeitar', aplicar: false, revisao: false },
  N: { codigo: 'ATOR_NAO_AUTORIZADO', resultado: 'rejeitar', aplicar: false, revisao: false },
  F: { codigo: 'FONTE_NAO_AUTORIZADA', resultado: 'rejeitar', aplicar: false, revisao: false },
  P: { codigo: 'PRECEDENCIA_INFERIOR', resultado: 'rejeitar', aplicar: false, revisao: false },
};

function entrada(politica: PoliticaCampo, operacao: Operacao, ator: Ator, extra: Partial<Parameters<typeof decidir>[0]> = {}) {
  const vigente = operacao === 'insercao' ? null : { fonte: 'fazenda', observadoEm: ANTES };
  return decidir({ politica, operacao, ator, temEvidencia: true, observadoEm: AGORA, vigente, ...extra });
}

const casos = Object.entries(ESPERADO).flatMap(([entidade, campos]) =>
  Object.entries(campos).flatMap(([campo, linha]) =>
    OPERACOES.flatMap((operacao) => ORDEM.map((quem, i) => [entidade as Entidade, campo, operacao, quem, linha[operacao][i]] as const)),
  ),
);

describe('decidir — every PMCC default row × operation × actor', () => {
  it('the table covers every policy entry, and every policy row of the domain notes has an entry', () => {
    const daTabela = casos.map(([e, c]) => `${e}.${c}`);
    expect(new Set(daTabela)).toEqual(new Set(POLITICAS.map((p) => `${p.entidade}.${p.campo}`)));
    const linhas = new Set(POLITICAS.map((p) => p.linha));
    for (const linha of ['CPF', 'nome (civil)', 'nome social', 'gênero, estado civil', 'data de nascimento', 'RG (número, dígito, UF) / título de eleitor', 'CPF/nome da mãe, CPF do pai', 'e-mail, telefone, endereço', 'óbito', 'biometria, certificado, vínculo gov.br']) {
      expect(linhas).toContain(linha);
    }
  });

  it.each(casos)('%s.%s %s by %s → %s', (entidade, campo, operacao, quem, letra) => {
    const politica = politicaDe(entidade, campo)!;
    const d = entrada(politica, operacao, ATORES[quem]);
    const esperado = CODIGO[letra];
    expect({ codigo: d.codigo, resultado: d.resultado, aplicar: d.aplicar, revisao: d.abrirRevisao }).toEqual({
      codigo: esperado.codigo,
      resultado: esperado.resultado,
      aplicar: esperado.aplicar,
      revisao: esperado.revisao,
    });
    // Both branches assert; the branch is chosen by the hand-written expectation, not by the answer under test.
    if (esperado.resultado === 'aceitar') expect(d.mensagem).toBe('Aceito');
    else expect(d.mensagem).toContain(campo);
    expect(d.regra).toMatch(new RegExp(`^${campo}\\.${operacao}\\.`));
  });
});

describe('decidir — evidence, survivorship and sources', () => {
  const p = (campo: string) => politicaDe('pessoa', campo)!;
  const gestor = ATORES.gestor;

  it.each([
    ['nome', 'modificacao'],
    ['dataNascimento', 'modificacao'],
    ['obito', 'insercao'],
    ['obito', 'exclusao'],
  ] as const)('a steward without evidence may not %s.%s', (campo, operacao) => {
    const d = entrada(p(campo), operacao, gestor, { temEvidencia: false });
    expect(d).toMatchObject({ resultado: 'rejeitar', codigo: 'EVIDENCIA_OBRIGATORIA', aplicar: false });
    expect(d.mensagem).toContain('evidência documental');
  });

  it('a steward without evidence may still change fields that do not ask for it', () => {
    expect(entrada(p('genero'), 'modificacao', gestor, { temEvidencia: false }).resultado).toBe('aceitar');
  });

  it('a lower-precedence source on a critical field: kept as alternative + review, not applied', () => {
    const d = entrada(p('nome'), 'modificacao', { tipo: 'carga', fonte: 'smads-bdc' });
    expect(d).toMatchObject({ resultado: 'aceitar-e-revisar', codigo: 'PRECEDENCIA_INFERIOR', aplicar: false, guardarAlternativa: true, abrirRevisao: true });
    expect(d.mensagem).toBe('A fonte smads-bdc tem precedência menor que a do valor vigente de nome (fazenda); o valor foi guardado como alternativo e enviado à fila de revisão');
  });

  it('a lower-precedence source on a non-critical field: kept as alternative, no review', () => {
    expect(entrada(p('genero'), 'modificacao', { tipo: 'carga', fonte: 'smads-bdc' })).toMatchObject({ resultado: 'rejeitar', codigo: 'PRECEDENCIA_INFERIOR', guardarAlternativa: true, abrirRevisao: false });
  });

  it('equal precedence: "higher" rules keep the current value; "higher or equal" rules take the more recent', () => {
    const fazenda: Ator = { tipo: 'carga', fonte: 'fazenda' };
    expect(entrada(p('nome'), 'modificacao', fazenda)).toMatchObject({ codigo: 'PRECEDENCIA_INFERIOR', aplicar: false, abrirRevisao: true });
    expect(entrada(p('genero'), 'modificacao', fazenda)).toMatchObject({ resultado: 'aceitar' });
    expect(entrada(p('genero'), 'modificacao', fazenda, { observadoEm: '2025-01-01T00:00:00.000Z' })).toMatchObject({ resultado: 'rejeitar', codigo: 'VALOR_MAIS_ANTIGO', guardarAlternativa: true });
  });

  it('contacts: the most recent source wins, an older one is kept as alternative', () => {
    const velho = entrada(p('enderecos'), 'modificacao', { tipo: 'carga', fonte: 'receita-federal' }, { observadoEm: '2025-01-01T00:00:00.000Z' });
    expect(velho).toMatchObject({ resultado: 'rejeitar', codigo: 'VALOR_MAIS_ANTIGO', guardarAlternativa: true });
    expect(entrada(p('enderecos'), 'modificacao', { tipo: 'carga', fonte: 'smads-bdc' }).resultado).toBe('aceitar');
  });

  it('the citizen counts as a self-declared source: wins over self-declared, loses to any other', () => {
    const cidadao = ATORES.cidadao;
    expect(entrada(p('estadoCivil'), 'modificacao', cidadao, { vigente: { fonte: 'autodeclarado', observadoEm: ANTES } }).resultado).toBe('aceitar');
    expect(entrada(p('estadoCivil'), 'modificacao', cidadao, { vigente: { fonte: 'tse', observadoEm: ANTES } }).codigo).toBe('PRECEDENCIA_INFERIOR');
  });

  it('óbito only from SIRC among the batch sources; biometrics only from the capture point', () => {
    expect(entrada(p('obito'), 'insercao', { tipo: 'carga', fonte: 'sirc' }).resultado).toBe('aceitar');
    expect(entrada(p('obito'), 'insercao', { tipo: 'carga', fonte: 'receita-federal' }).mensagem).toBe('Pela PMCC, o campo obito só pode ser alterado pelas fontes sirc (recebido de receita-federal)');
    expect(entrada(p('biometria'), 'insercao', { tipo: 'carga', fonte: 'descomplica' }).resultado).toBe('aceitar');
  });

  it('organ restriction for stewards', () => {
    const politica: PoliticaCampo = { ...p('genero'), modificacao: { ...p('genero').modificacao, orgaos: ['saude'] } };
    expect(entrada(politica, 'modificacao', { tipo: 'gestor', username: 'x', orgao: 'fazenda' })).toMatchObject({ codigo: 'ORGAO_NAO_AUTORIZADO', mensagem: 'Pela PMCC, o campo genero só pode ser alterado por gestores de saude' });
    expect(entrada(politica, 'modificacao', { tipo: 'gestor', username: 'x', orgao: 'saude' }).resultado).toBe('aceitar');
  });

  it('refusal messages are pt-BR and name the actor', () => {
    expect(entrada(p('cpf'), 'modificacao', gestor).mensagem).toBe('O campo cpf não pode ser alterado por ninguém (PMCC)');
    expect(entrada(p('obito'), 'insercao', ATORES.cidadao).mensagem).toBe('Pela PMCC, o cidadão não pode incluir o campo obito');
    expect(entrada(p('nome'), 'modificacao', ATORES.cidadao).mensagem).toBe('O cidadão não altera o campo nome diretamente: a solicitação foi registrada e será analisada por um gestor');
  });
});
