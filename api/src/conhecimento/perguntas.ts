/**
 * Knowledge check (verificação por conhecimento): the questions, their options and the grading — pure functions.
 *
 * Choices made here (docs/conhecimento.md explains them):
 *
 * - **Multiple choice, five options, every question must be right.** Free text would need a normaliser for names,
 *   abbreviations and street names that is either lax (a near miss passes) or strict (the citizen's own spelling
 *   fails); a fixed set of options is graded exactly. With 3 to 4 questions of 5 options a blind guess passes with
 *   probability 1/125 to 1/625 per check.
 * - **Distractors are generated, never drawn from other records**: drawing them from the base would show other
 *   citizens' mothers' names and streets to whoever opens a check (an impostor included), and would change as the
 *   base changes — and options that change between checks reveal the answer (the one option that is always there).
 * - **Options are stable per account**: everything random comes from `semente` (a per-account secret kept by the
 *   API) and the correct value, so starting the same check again shows exactly the same options, in the same order.
 * - All options of a question are written the same way (upper case, no accents, single spaces), so the correct one
 *   does not stand out by its spelling.
 */
import { createHash } from 'node:crypto';

/** Facts of the master record a question can be asked about. */
export const CAMPOS_PERGUNTA = ['dataNascimento', 'nomeMae', 'enderecoAnterior', 'localNascimento', 'nomePai'] as const;
export type CampoPergunta = (typeof CAMPOS_PERGUNTA)[number];

/** One fact: the field and its correct answer as the record holds it. */
export interface Fato {
  readonly campo: CampoPergunta;
  /** dataNascimento `YYYY-MM-DD`; names as written; enderecoAnterior the street (`logradouro`); localNascimento `municipio/UF`. */
  readonly valor: string;
}

interface OpcaoPergunta {
  readonly id: string;
  readonly texto: string;
}

export interface Pergunta {
  readonly id: string;
  readonly campo: CampoPergunta;
  readonly enunciado: string;
  readonly opcoes: readonly OpcaoPergunta[];
}

/** The questions and, kept apart (never sent to the citizen, never logged), the id of the right option of each. */
export interface Questionario {
  readonly perguntas: readonly Pergunta[];
  readonly gabarito: Readonly<Record<string, string>>;
}

const OPCOES_POR_PERGUNTA = 5;
export const MINIMO_PERGUNTAS = 3;
const MAXIMO_PERGUNTAS = 4;

const ENUNCIADOS: Record<CampoPergunta, string> = {
  dataNascimento: 'Qual é a sua data de nascimento?',
  nomeMae: 'Qual é o nome da sua mãe?',
  enderecoAnterior: 'Em qual destes logradouros você já teve endereço registrado na Prefeitura?',
  localNascimento: 'Em qual município você nasceu?',
  nomePai: 'Qual é o nome do seu pai?',
};

/** Upper case, no accents, single spaces: every option of a question is written this way. */
export function normalizarTexto(valor: string): string {
  return valor.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/\s+/g, ' ').trim();
}

/** Deterministic stream of integers from a seed (SHA-256 in counter mode). */
class Sorteio {
  private contador = 0;
  private bloco: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(private readonly semente: string) {}

  /** Uniform integer in [0, n). */
  inteiro(n: number): number {
    if (n <= 0) throw new Error('sorteio sem opções');
    const limite = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      if (this.pos + 4 > this.bloco.length) {
        this.bloco = createHash('sha256').update(`${this.semente}#${this.contador++}`).digest();
        this.pos = 0;
      }
      const x = this.bloco.readUInt32BE(this.pos);
      this.pos += 4;
      if (x < limite) return x % n;
    }
  }

  escolher<T>(lista: readonly T[]): T {
    return lista[this.inteiro(lista.length)];
  }

  embaralhar<T>(lista: readonly T[]): T[] {
    const copia = [...lista];
    for (let i = copia.length - 1; i > 0; i--) {
      const j = this.inteiro(i + 1);
      [copia[i], copia[j]] = [copia[j], copia[i]];
    }
    return copia;
  }
}

const NOMES_FEMININOS = [
  'MARIA', 'ANA', 'FRANCISCA', 'ANTONIA', 'ADRIANA', 'JULIANA', 'MARCIA', 'FERNANDA', 'PATRICIA', 'ALINE', 'SANDRA', 'CAMILA',
  'AMANDA', 'BRUNA', 'JESSICA', 'LETICIA', 'JULIA', 'LUCIANA', 'VANESSA', 'MARIANA', 'GABRIELA', 'VERA', 'VITORIA', 'LARISSA',
  'CLAUDIA', 'BEATRIZ', 'RITA', 'LUANA', 'SONIA', 'RENATA', 'ELIANE', 'JOSEFA', 'SIMONE', 'NATALIA', 'CRISTIANE', 'CARLA',
  'RAIMUNDA', 'ROSANGELA', 'TEREZINHA', 'LUCIA', 'APARECIDA', 'IRACEMA', 'CONCEICAO', 'REGINA', 'HELENA', 'ROSA', 'EDNA', 'MARLENE',
];
const NOMES_MASCULINOS = [
  'JOSE', 'JOAO', 'ANTONIO', 'FRANCISCO', 'CARLOS', 'PAULO', 'PEDRO', 'LUCAS', 'LUIZ', 'MARCOS', 'LUIS', 'GABRIEL', 'RAFAEL',
  'DANIEL', 'MARCELO', 'BRUNO', 'EDUARDO', 'FELIPE', 'RAIMUNDO', 'RODRIGO', 'MANOEL', 'MATEUS', 'ANDRE', 'FERNANDO', 'FABIO',
  'LEONARDO', 'GUSTAVO', 'GUILHERME', 'LEANDRO', 'TIAGO', 'ANDERSON', 'RICARDO', 'MARCIO', 'JORGE', 'SEBASTIAO', 'ALEXANDRE',
  'ROBERTO', 'EDSON', 'DIEGO', 'VITOR', 'SERGIO', 'CLAUDIO', 'MATHEUS', 'THIAGO', 'GERALDO', 'ADRIANO', 'LUCIANO', 'JULIO',
];
const SOBRENOMES = [
  'SILVA', 'SANTOS', 'OLIVEIRA', 'SOUZA', 'RODRIGUES', 'FERREIRA', 'ALVES', 'PEREIRA', 'LIMA', 'GOMES', 'COSTA', 'RIBEIRO',
  'MARTINS', 'CARVALHO', 'ALMEIDA', 'LOPES', 'SOARES', 'FERNANDES', 'VIEIRA', 'BARBOSA', 'ROCHA', 'DIAS', 'NASCIMENTO', 'ANDRADE',
  'MOREIRA', 'NUNES', 'MARQUES', 'MACHADO', 'MENDES', 'FREITAS', 'CARDOSO', 'RAMOS', 'GONCALVES', 'SANTANA', 'TEIXEIRA', 'ARAUJO',
  'PINTO', 'CAVALCANTI', 'MONTEIRO', 'MOURA', 'BATISTA', 'CAMPOS', 'CORREIA', 'MIRANDA', 'BEZERRA', 'REIS', 'MELO', 'FONSECA',
];
const CONECTIVOS = new Set(['DA', 'DE', 'DO', 'DAS', 'DOS', 'E']);
const TIPOS_LOGRADOURO = ['RUA', 'AVENIDA', 'TRAVESSA', 'ALAMEDA', 'PRACA', 'ESTRADA', 'VIELA', 'LARGO'];
const NOMES_LOGRADOURO = [
  'AUGUSTA', 'DA CONSOLACAO', 'VERGUEIRO', 'DOS PINHEIROS', 'TEODORO SAMPAIO', 'CARDEAL ARCOVERDE', 'DOMINGOS DE MORAIS', 'DO ORATORIO',
  'SAPOPEMBA', 'ARICANDUVA', 'INAJAR DE SOUZA', 'DEPUTADO EMILIO CARLOS', 'ITABERABA', 'CELSO GARCIA', 'TIRADENTES', 'SAO JOAO',
  'IPIRANGA', 'JABAQUARA', 'CUPECE', 'YERVANT KISSAJIKIAN', 'SENADOR TEOTONIO VILELA', 'MARIA CURSI', 'MATEO BEI', 'AMADOR BUENO DA VEIGA',
  'DAS FLORES', 'DOS BANDEIRANTES', 'PARAISO', 'GUAIANASES', 'DO ESTADO', 'CORONEL SEZEFREDO FAGUNDES', 'ELISIO TEIXEIRA LEITE', 'RAGUEB CHOHFI',
  'JOSE PINHEIRO BORGES', 'NORDESTINA', 'SAO MIGUEL', 'MARECHAL TITO', 'CAMPANELLA', 'DOUTOR ASSIS RIBEIRO', 'CONSELHEIRO CARRAO', 'REGENTE FEIJO',
  'DOS AUTONOMISTAS', 'GIOVANNI GRONCHI', 'JOAO DIAS', 'CARLOS CALDEIRA FILHO', 'ESTRADA DO M BOI MIRIM', 'ROBERTO KENNEDY', 'TEOTONIO VILELA', 'DO CURSINO',
];
const MUNICIPIOS = [
  'SAO PAULO/SP', 'GUARULHOS/SP', 'CAMPINAS/SP', 'SANTO ANDRE/SP', 'OSASCO/SP', 'SAO BERNARDO DO CAMPO/SP', 'SANTOS/SP', 'MAUA/SP',
  'DIADEMA/SP', 'MOGI DAS CRUZES/SP', 'SOROCABA/SP', 'RIBEIRAO PRETO/SP', 'RIO DE JANEIRO/RJ', 'BELO HORIZONTE/MG', 'SALVADOR/BA',
  'RECIFE/PE', 'FORTALEZA/CE', 'TERESINA/PI', 'SAO LUIS/MA', 'NATAL/RN', 'JOAO PESSOA/PB', 'MACEIO/AL', 'ARACAJU/SE', 'CURITIBA/PR',
  'LONDRINA/PR', 'PORTO ALEGRE/RS', 'GOIANIA/GO', 'BRASILIA/DF', 'BELEM/PA', 'MANAUS/AM', 'CAMPINA GRANDE/PB', 'FEIRA DE SANTANA/BA',
  'VITORIA DA CONQUISTA/BA', 'CARUARU/PE', 'JUAZEIRO DO NORTE/CE', 'MONTES CLAROS/MG', 'UBERLANDIA/MG', 'JUIZ DE FORA/MG', 'ILHEUS/BA', 'PETROLINA/PE',
];

/** A name with the correct one's shape: same number of words, connectors where it has them. */
function nomeParecido(sorteio: Sorteio, correto: string, primeiros: readonly string[]): string {
  const palavras = correto.split(' ');
  return palavras
    .map((p, i) => (i === 0 ? sorteio.escolher(primeiros) : CONECTIVOS.has(p) ? p : sorteio.escolher(SOBRENOMES)))
    .join(' ');
}

function diasNoMes(ano: number, mes: number): number {
  return new Date(Date.UTC(ano, mes, 0)).getUTCDate();
}

const doisDigitos = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` → `DD/MM/AAAA`. */
function dataBr(iso: string): string {
  const [a, m, d] = iso.split('-');
  return `${d}/${m}/${a}`;
}

/**
 * A date in a five-year window that contains the correct year at a random place (so the correct year is not the
 * middle one), any month, any valid day.
 */
function dataParecida(sorteio: Sorteio, anoInicio: number): string {
  const ano = anoInicio + sorteio.inteiro(5);
  const mes = 1 + sorteio.inteiro(12);
  const dia = 1 + sorteio.inteiro(diasNoMes(ano, mes));
  return `${doisDigitos(dia)}/${doisDigitos(mes)}/${ano}`;
}

function logradouroParecido(sorteio: Sorteio): string {
  return `${sorteio.escolher(TIPOS_LOGRADOURO)} ${sorteio.escolher(NOMES_LOGRADOURO)}`;
}

/** The displayed text of the correct answer. */
function textoCorreto(fato: Fato): string {
  return fato.campo === 'dataNascimento' ? dataBr(fato.valor) : normalizarTexto(fato.valor);
}

/**
 * Four distractors for one fact, none equal to the correct text nor to any text in `proibidos` (e.g. the person's
 * other addresses), none repeated. Deterministic in (semente, field, correct value).
 */
function distratores(fato: Fato, semente: string, proibidos: ReadonlySet<string>): string[] {
  const correto = textoCorreto(fato);
  const sorteio = new Sorteio(`${semente}|${fato.campo}|${correto}`);
  const anoInicio = fato.campo === 'dataNascimento' ? Number(fato.valor.slice(0, 4)) - sorteio.inteiro(5) : 0;
  const gerar = (): string => {
    switch (fato.campo) {
      case 'dataNascimento':
        return dataParecida(sorteio, anoInicio);
      case 'nomeMae':
        return nomeParecido(sorteio, correto, NOMES_FEMININOS);
      case 'nomePai':
        return nomeParecido(sorteio, correto, NOMES_MASCULINOS);
      case 'enderecoAnterior':
        return logradouroParecido(sorteio);
      case 'localNascimento':
        return sorteio.escolher(MUNICIPIOS);
    }
  };
  const saida: string[] = [];
  for (let tentativas = 0; saida.length < OPCOES_POR_PERGUNTA - 1; tentativas++) {
    if (tentativas > 10_000) throw new Error(`não foi possível gerar opções para ${fato.campo}`);
    const t = gerar();
    if (t !== correto && !proibidos.has(t) && !saida.includes(t)) saida.push(t);
  }
  return saida;
}

const LETRAS = ['a', 'b', 'c', 'd', 'e'] as const;

/**
 * The check for one account: up to MAXIMO_PERGUNTAS facts in the order of CAMPOS_PERGUNTA, each with the correct
 * option and four distractors in a seeded order. `proibidos` lists, per field, texts that must not appear as a
 * distractor (any other true value of that field, e.g. the person's current addresses). Throws when there are fewer
 * than MINIMO_PERGUNTAS facts (the caller checks first).
 */
export function montarQuestionario(fatos: readonly Fato[], semente: string, proibidos: Partial<Record<CampoPergunta, readonly string[]>> = {}): Questionario {
  const escolhidos = CAMPOS_PERGUNTA.map((c) => fatos.find((f) => f.campo === c)).filter((f): f is Fato => f !== undefined).slice(0, MAXIMO_PERGUNTAS);
  if (escolhidos.length < MINIMO_PERGUNTAS) throw new Error('fatos insuficientes para a verificação');
  const perguntas: Pergunta[] = [];
  const gabarito: Record<string, string> = {};
  escolhidos.forEach((fato, i) => {
    const id = `p${i + 1}`;
    const correto = textoCorreto(fato);
    const outros = distratores(fato, semente, new Set((proibidos[fato.campo] ?? []).map(normalizarTexto)));
    const ordem = new Sorteio(`${semente}|ordem|${fato.campo}|${correto}`).embaralhar([correto, ...outros]);
    const opcoes = ordem.map((texto, j) => ({ id: LETRAS[j], texto }));
    gabarito[id] = (opcoes.find((o) => o.texto === correto) as OpcaoPergunta).id;
    perguntas.push({ id, campo: fato.campo, enunciado: ENUNCIADOS[fato.campo], opcoes });
  });
  return { perguntas, gabarito };
}

/**
 * Grades a complete set of answers: true only when every question has its right option. Visits every question
 * whatever the earlier ones gave (no early exit), so the work does not depend on which answer was wrong.
 */
export function corrigir(gabarito: Readonly<Record<string, string>>, respostas: Readonly<Record<string, string>>): boolean {
  let erros = 0;
  for (const [pergunta, certa] of Object.entries(gabarito)) erros += respostas[pergunta] === certa ? 0 : 1;
  return erros === 0 && Object.keys(respostas).length === Object.keys(gabarito).length;
}
