import { describe, expect, it } from '@jest/globals';
import { NIVEIS, type LinhaComparavel } from './comparar.js';
import { criarContexto, INDICE_CAMPO, M_PADRAO, montarModelo } from './modelo.js';
import { Acumulador, avaliarIdentidades, avaliarPar, corroborada, decidir, limiarDoPar, limiares } from './pontuar.js';

// A fixed model written here (not estimated): m is the documented prior, u the share of random pairs at each level.
const U = {
  prenome: [0.02, 0.01, 0.01, 0.01, 0.95, 0],
  sobrenomes: [0.002, 0.001, 0.001, 0.005, 0.04, 0.951, 0],
  nascimento: [0.00004, 0.00001, 0.003, 0.99695, 0],
  mae: [0.0005, 0.0005, 0.005, 0.05, 0.04, 0.904, 0],
  pai: [0.0005, 0.0005, 0.005, 0.05, 0.04, 0.904, 0],
  sexo: [0.5, 0.5, 0],
  municipio: [0.5, 0.5, 0],
  cpfMae: [0.00001, 0.99999, 0],
  telefone: [0.00001, 0.99999, 0],
  email: [0.00001, 0.99999, 0],
  cpf: [0.0001, 0.9999, 0],
  fonte: [0.3, 0.7],
};
const modelo = montarModelo({ m: M_PADRAO, u: U, tfPrenome: new Map(), tfMunicipio: new Map(), tfMinimo: 1e-3, origemM: { fonte: 'rotulos', pares: 10_000 }, paresU: 10_000 });
const ctx = criarContexto(new Map());

function linha(p: Omit<Partial<LinhaComparavel>, 'nome'> & { nome: string }): LinhaComparavel {
  const { nome, ...resto } = p;
  return {
    fonte: 'siga', mae: null, pai: null, nascimento: '1980-04-19', sexo: 'M', municipio: 'SAO PAULO', cpfMae: null, telefone: null, email: null, cpf: null,
    ...resto,
    nome: nome.split(' '),
  };
}

describe('the mother-name guard (homonyms)', () => {
  const semCpf = linha({ nome: 'JOSE SILVA RODRIGUES', mae: 'MARIA CARVALHO SILVA'.split(' '), fonte: 'bdc' });

  it('a mother that differs from the candidate\'s never links, however well the rest agrees', () => {
    const outro = linha({ nome: 'JOSE SILVA RODRIGUES', mae: 'PATRICIA MARIA SILVA SILVA'.split(' ') });
    const av = avaliarPar(modelo, ctx, semCpf, outro);
    expect(av.impedimento).toBe('mae');
    // Name + birth date + sex + municipality outweigh the mother here; the guard, not the score, keeps them apart.
    const lim = limiares(1000, true);
    expect(av.pontuacao).toBeGreaterThan(lim.vinculo);
    const d = decidir(new Map([['42', av]]), lim);
    expect(d).toMatchObject({ tipo: 'revisao', identidade: '42', motivo: 'mae' });
  });

  it('the same mother\'s CPF lifts the guard (a name written two ways for one mother)', () => {
    const outro = linha({ nome: 'JOSE SILVA RODRIGUES', mae: 'PATRICIA MARIA SILVA SILVA'.split(' '), cpfMae: '52998224725' });
    const av = avaliarPar(modelo, ctx, { ...semCpf, cpfMae: '52998224725' }, outro);
    expect(av.impedimento).toBeNull();
  });

  it('a mother missing on one side is no conflict, and no corroboration either', () => {
    const outro = linha({ nome: 'JOSE SILVA RODRIGUES' });
    const av = avaliarPar(modelo, ctx, semCpf, outro);
    expect(av.impedimento).toBeNull();
    expect(corroborada(av)).toBe(false);
  });
});

describe('corroborada: evidence beyond the name and the birth date', () => {
  const base = linha({ nome: 'ANA SOUZA LIMA', nascimento: '1990-01-30', sexo: 'F' });
  it.each<[string, boolean, Partial<LinhaComparavel>, Partial<LinhaComparavel>]>([
    ['the same mother', true, { mae: ['MARIA', 'SOUZA'] }, { mae: ['MARIA', 'SOUZA'] }],
    ['the mother with a typo', true, { mae: ['MARIA', 'APARECIDA', 'SOUZA'] }, { mae: ['MARIA', 'APARECIDA', 'SOUSA'] }],
    ['the same father', true, { pai: ['JOAO', 'LIMA'] }, { pai: ['JOAO', 'LIMA'] }],
    ['the same mother\'s CPF', true, { cpfMae: '52998224725' }, { cpfMae: '52998224725' }],
    ['the same phone', true, { telefone: '11987654321' }, { telefone: '11987654321' }],
    ['the same e-mail', true, { email: 'ana@example.com' }, { email: 'ana@example.com' }],
    ['CPF digits one edit apart', true, { cpf: '52998224725' }, { cpf: '52998224726' }],
    ['only the name, birth date, sex and municipality', false, {}, {}],
    ['different phones', false, { telefone: '11987654321' }, { telefone: '11912345678' }],
  ])('%s → %s', (_caso, esperado, a, b) => {
    expect(corroborada(avaliarPar(modelo, ctx, { ...base, ...a }, { ...base, ...b }))).toBe(esperado);
  });
});

describe('limiares', () => {
  it('asks for about 1,000 : 1 posterior odds over a prior of one in N persons', () => {
    // log2(1,048,576) = 20; 20 + 10 bits to link, 20 + 17 on the name and birth date alone, 20 + 0 to review.
    expect(limiares(1_048_576, true)).toEqual({ vinculo: 30, vinculoSoNome: 37, revisao: 20, margem: 10 });
    // While m is the prior (no CPF-labelled pairs yet), 10 bits more on all.
    expect(limiares(1_048_576, false)).toEqual({ vinculo: 40, vinculoSoNome: 47, revisao: 30, margem: 10 });
  });
});

describe('decidir: a link on the name and birth date alone needs more', () => {
  // A base of 2^28 persons: link at 38 bits, 45 on the name and birth date alone, review from 28.
  const lim = limiares(2 ** 28, true);
  // From another source than the candidate's: one source's two rows of one mother and birthday never link (twins).
  const q = linha({ nome: 'MARCELO FREITAS CARVALHO', nascimento: '1969-06-19', mae: ['MARCIA', 'ANDRADE', 'FREITAS'], fonte: 'bdc' });
  const soNome = avaliarPar(modelo, ctx, q, linha({ nome: 'MARCELO FREITAS CARVALHO', nascimento: '1969-06-19' }));
  const comMae = avaliarPar(modelo, ctx, q, linha({ nome: 'MARCELO FREITAS CARVALHO', nascimento: '1969-06-19', mae: ['MARCIA', 'ANDRADE', 'FREITAS'] }));

  it('the same score band: above the plain threshold, below the name-only one', () => {
    expect(soNome.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(soNome.pontuacao).toBeLessThan(lim.vinculoSoNome);
  });
  it('uncorroborated → review (grey band); with the mother → link', () => {
    expect(decidir(new Map([['7', soNome]]), lim)).toMatchObject({ tipo: 'revisao', motivo: 'faixa-cinza' });
    expect(decidir(new Map([['7', comMae]]), lim)).toMatchObject({ tipo: 'vinculo', identidade: '7' });
  });
});

const nivelDe = <C extends keyof typeof NIVEIS>(av: { niveis: Uint8Array }, campo: C) => NIVEIS[campo][av.niveis[INDICE_CAMPO[campo]]];

describe('the mother\'s name without the surnames the child carries (homonyms)', () => {
  // Two LUIZ SANTOS MOREIRA born the same day (a load of 300,000 persons merged them): their mothers share only MARIA
  // once SANTOS, which the child carries, is set aside — before, one side left with MARIA alone was taken as
  // "contained" in the other (quase), which corroborated the link and let a new CPF adopt the other one's identity.
  const lim = limiares(300_000, true);
  const luiz = (mae: string, extra: Omit<Partial<LinhaComparavel>, 'nome'> = {}) => linha({ nome: 'LUIZ SANTOS MOREIRA', nascimento: '2022-03-16', mae: mae.split(' '), ...extra });

  it('MARIA SANTOS SANTOS / MARIA ANDRADE SANTOS: the given name alone (prenome), no corroboration: the name-only threshold', () => {
    const av = avaliarPar(modelo, ctx, luiz('MARIA ANDRADE SANTOS', { fonte: 'bdc', telefone: '1129117265' }), luiz('MARIA SANTOS SANTOS'));
    expect(nivelDe(av, 'mae')).toBe('prenome');
    expect(corroborada(av)).toBe(false);
    expect(limiarDoPar(av, lim)).toBe(lim.vinculoSoNome);
  });

  it.each<[string, string, string, string]>([
    ['the same name as written', 'MARIA SANTOS', 'MARIA SANTOS', 'igual'],
    ['a typo in the surname the child carries', 'MARIA SANTOS', 'MARIA SANTSO', 'quase'],
    ['both reduced to MARIA, written differently', 'MARIA SANTOS', 'MARIA MOREIRA', 'prenome'],
    ['the given name alone on one side', 'MARIA', 'MARIA ANDRADE SANTOS', 'prenome'],
    ['a surname the child does not carry, on both sides', 'MARIA ANDRADE SANTOS', 'MARIA ANDRADE', 'igual'],
    ['that surname with a typo', 'MARIA ANDRADE SANTOS', 'MARIA ANDARDE', 'quase'],
    ['another given name', 'ANA SANTOS', 'MARIA ANDRADE SANTOS', 'diferente'],
  ])('%s: %s / %s → %s', (_caso, a, b, esperado) => {
    expect(nivelDe(avaliarPar(modelo, ctx, luiz(a), luiz(b)), 'mae')).toBe(esperado);
  });
});

describe('a parent\'s given name a letter apart from another name of the base is another parent (homonyms)', () => {
  // Two JULIA CARLA OLIVEIRA BARBOSA born the same day (1,000,000 generated persons, seed 83): one's mother MARIA ANA
  // SILVA OLIVEIRA, the other's MARCIA SILVA OLIVEIRA. MARIA/MARCIA read as a typo made the mothers' names agree
  // (quase), which corroborated the link of the first one's rows into the second one's record.
  const lim = limiares(1_000_000, true);
  const julia = (mae: string, extra: Omit<Partial<LinhaComparavel>, 'nome'> = {}) => linha({ nome: 'JULIA CARLA OLIVEIRA BARBOSA', nascimento: '2012-05-22', sexo: 'F', mae: mae.split(' '), ...extra });
  const frequencias = criarContexto(new Map([['MARIA', 0.05], ['MARCIA', 0.004], ['LUIZ', 0.003], ['LUIS', 0.003]]));

  it('MARIA ANA SILVA / MARCIA SILVA, both names of the base: no agreement on the mother, no corroboration', () => {
    const av = avaliarPar(modelo, frequencias, julia('MARIA ANA SILVA OLIVEIRA', { fonte: 'eol' }), julia('MARCIA SILVA OLIVEIRA', { cpf: '52212787669' }));
    expect(nivelDe(av, 'mae')).toBe('sobrenome');
    expect(corroborada(av)).toBe(false);
    expect(limiarDoPar(av, lim)).toBe(lim.vinculoSoNome);
  });

  it('the same names where MARCIA is not a name of the base: a typo of MARIA, the mothers agree (quase)', () => {
    const av = avaliarPar(modelo, ctx, julia('MARIA ANA SILVA OLIVEIRA', { fonte: 'eol' }), julia('MARCIA SILVA OLIVEIRA'));
    expect(nivelDe(av, 'mae')).toBe('quase');
    expect(corroborada(av)).toBe(true);
  });

  it.each<[string, string, string, string]>([
    ['two spellings of one sound stay one name', 'LUIZ PEREIRA', 'LUIS PEREIRA', 'quase'],
    ['a typo into no name of the base stays a typo', 'MARIA PEREIRA', 'MAIRA PEREIRA', 'quase'],
    ['two names of the base a letter apart', 'MARIA PEREIRA', 'MARCIA PEREIRA', 'sobrenome'],
  ])('%s: %s / %s → %s', (_caso, a, b, esperado) => {
    expect(nivelDe(avaliarPar(modelo, frequencias, julia(a), julia(b)), 'mae')).toBe(esperado);
  });
});

describe('twins: a given name one letter away is not a typo between rows of one mother and birthday', () => {
  // A load of 300,000 persons: MARIA DÉBORA ALMEIDA SOUZA's row read MARTA ALMEIDA SOUZA (a middle name dropped, a
  // typo); her twin MARIA ALMEIDA SOUZA's new CPF adopted the identity of that row. MARTA is no established name in a
  // base without frequencies (`ctx`), so MARIA/MARTA compare as a typo (parecido).
  const lim = limiares(300_000, true);
  const familia = { nascimento: '2022-10-12', sexo: 'F', mae: ['JULIA', 'MOREIRA', 'ALMEIDA'], pai: ['LUCAS', 'RAMOS', 'SOUZA'] };
  const marta = linha({ nome: 'MARTA ALMEIDA SOUZA', ...familia, cpfMae: '95776220386' });
  const maria = linha({ nome: 'MARIA ALMEIDA SOUZA', ...familia, fonte: 'outros', cpf: '34518269250' });

  it('same mother and birthday, given names a typo apart → the twins guard, whatever the score', () => {
    const av = avaliarPar(modelo, ctx, maria, marta);
    expect(nivelDe(av, 'prenome')).toBe('parecido');
    expect(av.impedimento).toBe('gemeos');
    expect(av.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(decidir(new Map([['278514', av]]), lim)).toMatchObject({ tipo: 'revisao', motivo: 'gemeos' });
  });

  it('the same row with its own CPF one digit off the candidate\'s (a typo of the same person) is no twin', () => {
    const av = avaliarPar(modelo, ctx, { ...marta, cpf: '34518269251' }, maria);
    expect(nivelDe(av, 'cpf')).toBe('quase');
    expect(av.impedimento).toBeNull();
  });

  it('names a vowel apart (KAUA / KAUE: one phonetic code) are twins\' names; another spelling of the same sounds (LUIS / LUIZ) is one name', () => {
    const luis = (nome: string, extra: Omit<Partial<LinhaComparavel>, 'nome'> = {}) => linha({ nome, nascimento: '2010-05-05', mae: ['ANA', 'PEREIRA', 'LIMA'], ...extra });
    const kaua = avaliarPar(modelo, ctx, luis('KAUA LIMA COSTA'), luis('KAUE LIMA COSTA'));
    expect(nivelDe(kaua, 'prenome')).toBe('fonetico');
    expect(kaua.impedimento).toBe('gemeos');
    expect(avaliarPar(modelo, ctx, luis('LUIS LIMA COSTA', { fonte: 'bdc' }), luis('LUIZ LIMA COSTA')).impedimento).toBeNull();
    expect(avaliarPar(modelo, ctx, luis('THIAGO LIMA COSTA', { fonte: 'bdc' }), luis('TIAGO LIMA COSTA')).impedimento).toBeNull();
    // No twins without one mother and one birthday: the typo stays a typo (another guard may still apply).
    expect(avaliarPar(modelo, ctx, luis('MARCIO LIMA COSTA'), luis('MARCOI LIMA COSTA', { mae: null })).impedimento).toBeNull();
  });
});

describe('twins: a twin\'s row that reads as the other\'s (a load of 300,000 persons, seed 31)', () => {
  // LUCAS JOSE COSTA FERNANDES and LUCAS COSTA FERNANDES, twins; the first one's SIGA row dropped JOSE, and his BDC row
  // then joined the identity through it: JOSE is also the father's second given name, and was taken for his surname.
  const ctxJose = criarContexto(new Map([['JOSE', 0.01], ['LUCAS', 0.01], ['PAULO', 0.01]]));
  const familia = { nascimento: '2022-05-29', sexo: 'M', mae: ['MARCIA', 'FERREIRA', 'COSTA'], pai: ['PAULO', 'JOSE', 'MIRANDA', 'FERNANDES'], cpfMae: '63620476993' };
  const irmao = linha({ nome: 'LUCAS COSTA FERNANDES', ...familia, fonte: 'siga', cpf: '79846623631' });

  it('a second given name that is the father\'s second given name is a given name (twins), not an inherited surname', () => {
    const av = avaliarPar(modelo, ctxJose, linha({ nome: 'LUCAS JOSE COSTA FERNANDES', ...familia, fonte: 'bdc' }), irmao);
    expect(av.impedimento).toBe('gemeos');
  });

  it('a row of the same source, one mother and birthday, is no link even with the same name; the CPF digits lift it', () => {
    const mesmoNome = linha({ nome: 'LUCAS COSTA FERNANDES', ...familia, fonte: 'siga' });
    expect(avaliarPar(modelo, ctxJose, mesmoNome, irmao).impedimento).toBe('gemeos');
    expect(avaliarPar(modelo, ctxJose, { ...mesmoNome, fonte: 'bdc' }, irmao).impedimento).toBeNull();
    expect(avaliarPar(modelo, ctxJose, { ...mesmoNome, cpf: '79846623632' }, irmao).impedimento).toBeNull();
  });
});

describe('twins: the identity\'s fullest name (a load of 1,000,000 persons, seed 29)', () => {
  const ctxNomes = criarContexto(new Map([['MARIA', 0.05], ['ALINE', 0.01], ['VERA', 0.01]]));

  it('a row lacking a given name a row of the identity has: the twin guard, though another row of the identity dropped it', () => {
    // MARIA ALINE RIBEIRO MACHADO's identity: her EOL row (mother's name, no mother's CPF) and her SIGA row, ALINE dropped
    // (the mother's CPF). Her twin MARIA RIBEIRO MACHADO's BDC row (the mother's CPF, no mother's name) linked through the
    // second: the first recorded no field of the mother's to compare.
    const acc = new Acumulador();
    const twin = linha({ nome: 'MARIA RIBEIRO MACHADO', nascimento: '2016-12-07', sexo: 'F', cpfMae: '08442872027', fonte: 'bdc' });
    acc.somar(modelo, ctxNomes, twin, linha({ nome: 'MARIA ALINE RIBEIRO MACHADO', nascimento: '2016-12-07', sexo: 'F', mae: ['ANA', 'SILVA', 'RIBEIRO'], fonte: 'eol' }));
    acc.somar(modelo, ctxNomes, twin, linha({ nome: 'MARIA RIBEIRO MACHADO', nascimento: '2016-12-07', sexo: 'F', cpfMae: '08442872027', fonte: 'siga' }));
    expect(acc.avaliar().impedimento).toBe('gemeos');
    // Her own row with both given names links.
    const propria = new Acumulador();
    const ela = { ...twin, nome: ['MARIA', 'ALINE', 'RIBEIRO', 'MACHADO'] };
    propria.somar(modelo, ctxNomes, ela, linha({ nome: 'MARIA ALINE RIBEIRO MACHADO', nascimento: '2016-12-07', sexo: 'F', mae: ['ANA', 'SILVA', 'RIBEIRO'], fonte: 'eol' }));
    propria.somar(modelo, ctxNomes, ela, linha({ nome: 'MARIA RIBEIRO MACHADO', nascimento: '2016-12-07', sexo: 'F', cpfMae: '08442872027', fonte: 'siga' }));
    expect(propria.avaliar().impedimento).toBeNull();
  });

  it('an initial right after the first name is a second given name\'s (MARIA V / MARIA), not a parent\'s surname\'s', () => {
    const familia = { nascimento: '2023-09-02', sexo: 'F', mae: ['ANA', 'GOMES', 'ALVES'], cpfMae: '70369406389' };
    const av = avaliarPar(modelo, ctxNomes, linha({ nome: 'MARIA V ALVES ALMEIDA', ...familia, fonte: 'bdc' }), linha({ nome: 'MARIA ALVES ALMEIDA', ...familia }));
    expect(av.impedimento).toBe('gemeos');
    // VERA abbreviated is VERA.
    expect(avaliarPar(modelo, ctxNomes, linha({ nome: 'MARIA V ALVES ALMEIDA', ...familia, fonte: 'bdc' }), linha({ nome: 'MARIA VERA ALVES ALMEIDA', ...familia })).impedimento).toBeNull();
  });
});

describe('twins the load cannot tell apart (a load of 1,000,000 persons with agnomes, seed 29)', () => {
  // Twins LUIZ LUIS LIMA MACHADO and LUIS LIMA MACHADO. The first one's BDC row, LUIS dropped and his mother's CPF on it,
  // reads LUIZ LIMA MACHADO: kept from his own identity by the twins guard (it lacks LUIS), it read as his twin's
  // (LUIZ/LUIS: another spelling of the same sounds) and linked there.
  const ctxNomes = criarContexto(new Map([['LUIZ', 0.01], ['LUIS', 0.01]]));
  const familia = { nascimento: '2020-01-08', sexo: 'M', mae: ['CAMILA', 'MONTEIRO', 'LIMA'], cpfMae: '44215282420' };
  const linhaBdc = linha({ nome: 'LUIZ LIMA MACHADO', ...familia, fonte: 'bdc' });
  const lim = limiares(1_000_000, true);
  const propria = avaliarPar(modelo, ctxNomes, linhaBdc, linha({ nome: 'LUIZ LUIS LIMA MACHADO', ...familia, fonte: 'siga', cpf: '21699380287' }));
  const doGemeo = avaliarPar(modelo, ctxNomes, linhaBdc, linha({ nome: 'LUIS LIMA MACHADO', ...familia, fonte: 'siga', cpf: '60441429149' }));

  it('the row\'s given name reads better on the identity the guard keeps it from: a review item naming both, not a link', () => {
    expect([propria.impedimento, nivelDe(propria, 'prenome')]).toEqual(['gemeos', 'igual']);
    expect([doGemeo.impedimento, nivelDe(doGemeo, 'prenome')]).toEqual([null, 'fonetico']);
    expect(doGemeo.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(decidir(new Map([['101', propria], ['102', doGemeo]]), lim)).toMatchObject({
      tipo: 'revisao', identidade: '102', motivo: 'gemeos', segunda: { identidade: '101' },
    });
  });

  it('a twin\'s row as well written on its own identity as on the other\'s links to its own (KAUA, not KAUE)', () => {
    const kaua = linha({ nome: 'KAUA LIMA MACHADO', ...familia, fonte: 'bdc' });
    const propriaK = avaliarPar(modelo, ctxNomes, kaua, linha({ nome: 'KAUA LIMA MACHADO', ...familia, fonte: 'siga', cpf: '21699380287' }));
    const outroK = avaliarPar(modelo, ctxNomes, kaua, linha({ nome: 'KAUE LIMA MACHADO', ...familia, fonte: 'siga', cpf: '60441429149' }));
    expect([propriaK.impedimento, outroK.impedimento]).toEqual([null, 'gemeos']);
    expect(decidir(new Map([['201', propriaK], ['202', outroK]]), lim)).toMatchObject({ tipo: 'vinculo', identidade: '201' });
  });
});

describe('agnomes: an agnome ending one name only is left out of the surnames', () => {
  // JOSE CARLOS SILVA FILHO is often written without FILHO by systems that cut long names; the birth date, not the
  // surnames, tells him from his father. NETO on both sides, or as the only surname, is compared as written.
  const jose = (nome: string) => linha({ nome, nascimento: '1979-02-14' });
  it.each<[string, string, string]>([
    ['JOSE CARLOS SILVA FILHO', 'JOSE CARLOS SILVA', 'igual'],
    ['JOSE CARLOS SILVA', 'JOSE CARLOS SILVA JUNIOR', 'igual'],
    ['JOSE CARLOS SILVA NETO', 'JOSE CARLOS SILVA NETO', 'igual'],
    ['JOSE SILVA NETO', 'JOSE SILVA SOBRINHO', 'parcial'],
    ['JOSE NETO', 'JOSE SILVA NETO', 'contido'],
    ['JOSE NETO', 'JOSE SILVA', 'diferente'],
    ['JOSE CARLOS SILVA FILHO', 'JOSE SILVA', 'contido'],
  ])('%s / %s → %s', (a, b, esperado) => {
    expect(nivelDe(avaliarPar(modelo, ctx, jose(a), jose(b)), 'sobrenomes')).toBe(esperado);
  });
});

describe('two candidates an open linkage review already asks about are not each other\'s competitor', () => {
  // A row of a person whose earlier row without mother was held for review (grey band) against her first identity:
  // that row got an identity of its own (303), the review item names 301. A new row matching both — with her mother
  // and phone — was torn between them (a review item, and another identity) before this rule.
  const lim = limiares(1_000_000, true);
  const q = linha({ nome: 'ANA PAULA MOURA LIMA', nascimento: '1985-03-07', sexo: 'F', mae: ['JOANA', 'MOURA'], telefone: '11987654321', fonte: 'outros' });
  const primeira = avaliarPar(modelo, ctx, q, linha({ nome: 'ANA PAULA MOURA LIMA', nascimento: '1985-03-07', sexo: 'F', mae: ['JOANA', 'MOURA'], fonte: 'eol' }));
  const daRevisao = avaliarPar(modelo, ctx, q, linha({ nome: 'ANA PAULA MOURA LIMA', nascimento: '1985-03-07', sexo: 'F', telefone: '11987654321', fonte: 'bdc' }));
  const outra = avaliarPar(modelo, ctx, q, linha({ nome: 'ANA PAULA MOURA LIMA', nascimento: '1985-03-07', sexo: 'F', mae: ['JOANA', 'MOURA'], fonte: 'siga' }));
  const ligadas = (a: string, b: string) => [a, b].sort().join('|') === '301|303';

  it('both above the link threshold and within the margin of each other: torn without the review, linked with it', () => {
    expect(primeira.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(daRevisao.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(Math.abs(primeira.pontuacao - daRevisao.pontuacao)).toBeLessThan(lim.margem);
    const candidatas = new Map([['301', primeira], ['303', daRevisao]]);
    expect(decidir(candidatas, lim)).toMatchObject({ tipo: 'revisao', motivo: 'ambiguo' });
    // The phone agreeing weighs more than the mother's name: the identity of the review's row is the better one.
    expect(daRevisao.pontuacao).toBeGreaterThan(primeira.pontuacao);
    expect(decidir(candidatas, lim, new Set(), ligadas)).toEqual({
      tipo: 'vinculo', identidade: '303', av: daRevisao, segunda: null, emRevisao: { identidade: '301', pontuacao: primeira.pontuacao },
    });
  });

  it('a third identity the review does not link still makes the row torn', () => {
    const candidatas = new Map([['301', primeira], ['303', daRevisao], ['309', outra]]);
    expect(Math.abs(primeira.pontuacao - outra.pontuacao)).toBeLessThan(lim.margem);
    expect(decidir(candidatas, lim, new Set(), ligadas)).toMatchObject({ tipo: 'revisao', motivo: 'ambiguo' });
  });
});

describe('twins: a row that reads as a twin\'s name with a given name dropped (a load of 1,000,000 persons, seed 57)', () => {
  // Twins MARIA SILVA COSTA (her CPF, Fazenda) and MARIA ANA SILVA COSTA (her CPF, EOL and Fazenda). MARIA ANA's SIGA
  // row, written without ANA and with a fake CPF, reads exactly as her twin: it linked to MARIA SILVA COSTA.
  const familia = { nascimento: '2003-05-16', sexo: 'F', mae: ['JULIA', 'RENATA', 'SILVA', 'SILVA'] };
  const lim = limiares(1_000_000, true);
  // MARIA and ANA are given names of the base (`nomeEstabelecido`).
  const ctxNomes = criarContexto(new Map([['MARIA', 0.05], ['ANA', 0.02]]));
  const candidatas = [
    { linha: linha({ nome: 'MARIA SILVA COSTA', ...familia, fonte: 'fazenda', cpf: '54781094953', telefone: '11988416902' }), identidade: '301' },
    { linha: linha({ nome: 'MARIA ANA SILVA COSTA', ...familia, fonte: 'eol', cpf: '93523143870' }), identidade: '302' },
    { linha: linha({ nome: 'MARIA ANA SILVA COSTA', ...familia, fonte: 'fazenda', cpf: '93523143870' }), identidade: '302' },
  ];
  const siga = linha({ nome: 'MARIA SILVA COSTA', ...familia, pai: ['JOAO', 'RODRIGUES', 'COSTA'], fonte: 'siga' });

  it('a review item naming both twins, not a link to the one whose name it reads as', () => {
    const avs = avaliarIdentidades(modelo, ctxNomes, siga, candidatas);
    expect([avs.get('301')!.impedimento, avs.get('302')!.impedimento, avs.get('302')!.gemeoSemPrenome]).toEqual([null, 'gemeos', true]);
    expect(avs.get('301')!.pontuacao).toBeGreaterThan(lim.vinculo);
    expect(avs.get('302')!.pontuacao).toBeGreaterThan(lim.revisao);
    expect(decidir(avs, lim)).toMatchObject({ tipo: 'revisao', identidade: '301', motivo: 'gemeos', segunda: { identidade: '302' } });
  });

  it('the same row with CPF digits one edit from MARIA\'s CPF is hers: a link', () => {
    const avs = avaliarIdentidades(modelo, ctxNomes, { ...siga, cpf: '54781094954' }, candidatas);
    expect(decidir(avs, lim)).toMatchObject({ tipo: 'vinculo', identidade: '301' });
  });

  it('a row with the whole name MARIA ANA SILVA COSTA is not read as the twin without ANA: no such review', () => {
    const avs = avaliarIdentidades(modelo, ctxNomes, { ...siga, nome: ['MARIA', 'ANA', 'SILVA', 'COSTA'] }, candidatas);
    expect(avs.get('301')!.gemeoSemPrenome).toBeUndefined();
    expect(decidir(avs, lim)).toMatchObject({ tipo: 'vinculo', identidade: '302' });
  });
});

describe('a parent\'s name agreeing weighs by how common it is (term frequency)', () => {
  // Shares written here: among the parents' names of a sample, 20 % begin with MARIA, 0.5 % with FERNANDA; 10 % carry
  // SILVA after the first word, 0.2 % XAVIER.
  const tf = { prenome: new Map([['MARIA', 0.2], ['FERNANDA', 0.005]]), sobrenome: new Map([['SILVA', 0.1], ['XAVIER', 0.002]]), minimo: 1e-4 };
  const comTf = montarModelo({ ...modelo, tfGenitores: { mae: tf, pai: tf } });
  const m = M_PADRAO.mae[0];
  const pesoMae = (q: LinhaComparavel, c: LinhaComparavel) => avaliarPar(comTf, ctx, q, c).pesos[INDICE_CAMPO.mae];

  it('a rare mother\'s name weighs log2(m / (given-name share × surname share)); a common one less than the plain weight', () => {
    const rara = linha({ nome: 'MARIA FERREIRA NUNES', mae: ['FERNANDA', 'XAVIER'] });
    expect(pesoMae(rara, { ...rara, fonte: 'eol' })).toBeCloseTo(Math.log2(m / (0.005 * 0.002)), 6);
    const comum = linha({ nome: 'JOSE FERREIRA NUNES', mae: ['MARIA', 'SILVA'] });
    expect(pesoMae(comum, { ...comum, fonte: 'eol' })).toBeCloseTo(Math.log2(m / (0.2 * 0.1)), 6);
    expect(Math.log2(m / (0.2 * 0.1))).toBeLessThan(modelo.pesos.mae[0]);
  });

  it('a surname the child carries counts one half, not its share (a homonym\'s parent carries it that often); no level other than igual is adjusted', () => {
    const q = linha({ nome: 'JOSE SILVA NUNES', mae: ['FERNANDA', 'XAVIER', 'SILVA'] });
    expect(pesoMae(q, { ...q, fonte: 'eol' })).toBeCloseTo(Math.log2(m / (0.005 * 0.002 * 0.5)), 6);
    const quase = linha({ nome: 'JOSE SILVA NUNES', mae: ['FERNANDA', 'XAVIEER', 'SILVA'], fonte: 'eol' });
    expect(pesoMae(q, quase)).toBeCloseTo(modelo.pesos.mae[1], 6);
  });

  it('a surname written twice counts once, as the shares count the names carrying it: MARIA SILVA SILVA is as common as its words say', () => {
    const q = linha({ nome: 'JOSE FERREIRA NUNES', mae: ['MARIA', 'SILVA', 'SILVA'] });
    expect(pesoMae(q, { ...q, fonte: 'eol' })).toBeCloseTo(Math.log2(m / (0.2 * 0.1)), 6);
    const herdado = linha({ nome: 'JOSE SILVA NUNES', mae: ['MARIA', 'SILVA', 'SILVA'] });
    expect(pesoMae(herdado, { ...herdado, fonte: 'eol' })).toBeCloseTo(Math.log2(m / (0.2 * 0.5)), 6);
  });

  it('bounded: never above the plain weight + 10 bits; a model without the shares (stored before them) keeps the plain weight', () => {
    const q = linha({ nome: 'JOSE NUNES', mae: ['ZULEICA', 'QUIXABA', 'TREMEMBE'] });
    expect(pesoMae(q, { ...q, fonte: 'eol' })).toBeCloseTo(modelo.pesos.mae[0] + 10, 6);
    expect(avaliarPar(modelo, ctx, q, { ...q, fonte: 'eol' }).pesos[INDICE_CAMPO.mae]).toBeCloseTo(modelo.pesos.mae[0], 6);
  });
});
