/**
 * Hand-written sources for the linkage's integration tests: one mapping (`;`-separated, the columns below), and filler
 * persons with their own CPF that make the base large enough for the model — a name seen once is no established first
 * name (MARTA, KAUE: a typo's level, `parecido`), as in a real base.
 */

/** The mapping of a hand-written source named `fonte`. */
export const mapeamentoDeTeste = (fonte: string, descricao: string) => `
fonte: ${fonte}
descricao: ${descricao}
pmcc: smads-bdc
cmbd: { sigla: SMADS, fonteCarga: teste-carga }
arquivo: { codificacao: utf-8, delimitador: ";", aspas: '"' }
chave: ID
campos:
  cpf: { coluna: CPF }
  nome: { coluna: NOME }
  dataNascimento: { coluna: NASC, formatos: [DD/MM/YYYY] }
  sexo: { coluna: SEXO, valores: { M: M, F: F } }
  nomeMae: { coluna: MAE }
  cpfMae: { coluna: CPF_MAE }
  telefone: { coluna: TELEFONE }
  municipio: { coluna: MUNICIPIO }
`;
export const CABECALHO = 'ID;CPF;NOME;NASC;SEXO;MAE;CPF_MAE;TELEFONE;MUNICIPIO';

const PRENOMES = ['ANA', 'JOSE', 'JOAO', 'ANTONIO', 'FRANCISCO', 'CARLOS', 'PAULO', 'PEDRO', 'LUCAS', 'MARCOS', 'LUIZ', 'GABRIEL', 'RAFAEL', 'DANIEL',
  'FERNANDA', 'JULIANA', 'PATRICIA', 'ALINE', 'SANDRA', 'CAMILA', 'AMANDA', 'BRUNA', 'JESSICA', 'LETICIA', 'JULIA', 'MARIA', 'LUCIANA', 'VANESSA'];
const SOBRENOMES = ['SILVA', 'SANTOS', 'OLIVEIRA', 'SOUZA', 'RODRIGUES', 'FERREIRA', 'ALVES', 'PEREIRA', 'LIMA', 'GOMES', 'COSTA', 'RIBEIRO', 'MARTINS',
  'CARVALHO', 'ALMEIDA', 'LOPES', 'SOARES', 'FERNANDES', 'VIEIRA', 'BARBOSA'];
/** How many filler persons a test loads. */
export const FILLERS = 2400;

/** Filler person i: a name, a birth date and a mother from the lists, its own CPF. */
export function filler(i: number, cpf: string): string {
  const p = PRENOMES[i % PRENOMES.length];
  const s1 = SOBRENOMES[Math.floor(i / PRENOMES.length) % SOBRENOMES.length];
  const s2 = SOBRENOMES[(i * 7 + 3) % SOBRENOMES.length];
  const nasc = `${String((i % 28) + 1).padStart(2, '0')}/${String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')}/${1940 + (i % 70)}`;
  const mae = `${PRENOMES[(i * 5 + 14) % PRENOMES.length]} ${SOBRENOMES[(i * 3 + 1) % SOBRENOMES.length]} ${s1}`;
  return `F${i};${cpf};${p} ${s1} ${s2};${nasc};${i % PRENOMES.length < 14 ? 'M' : 'F'};${mae};;;SAO PAULO`;
}
