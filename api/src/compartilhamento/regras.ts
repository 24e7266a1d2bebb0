/**
 * Data-sharing rules (regras de compartilhamento) of the Cadastro Base de Pessoas — DATA, reviewed by the
 * stewards like PMCC. Which person fields each reader may RECEIVE:
 *
 * - `orgaos`: per organ (from the steward's realm role, see auth/papeis.ts);
 * - `clientes`: per OAuth client (`azp` of the token) — the application the data leaves through;
 * - `cidadao`: what a citizen sees of their OWN record under /me.
 *
 * A steward receives (union of their organs' fields) ∩ (their client's fields). DEFAULT DENY on both axes: an
 * organ or a client not listed here receives nothing, and a field not listed for it is never returned.
 * Field names are the API's (`pessoaParaJson`). Change = new `VERSAO_REGRAS` (recorded in every read's audit row).
 */
import type { Orgao } from '../auth/papeis.js';

export const VERSAO_REGRAS = '2026-12-05.1';

/** Every field of the person JSON (the record's fields plus its metadata). */
export const CAMPOS_PESSOA_JSON = [
  'cpf', 'nome', 'nomeSocial', 'genero', 'dataNascimento', 'localNascimento', 'rg', 'tituloEleitor', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai',
  'estadoCivil', 'obito', 'obitoRegistro', 'emails', 'telefones', 'enderecos', 'relacoesFamiliares', 'biometria', 'certificadoIcp', 'vinculoGovbr',
  'situacao', 'versao', 'criadoEm', 'atualizadoEm',
] as const;
type CampoPessoaJson = (typeof CAMPOS_PESSOA_JSON)[number];

/** Who the person is and whether the record is usable: every reader that reads anything gets these. */
const IDENTIFICACAO: readonly CampoPessoaJson[] = ['cpf', 'nome', 'nomeSocial', 'dataNascimento', 'situacao', 'obito', 'versao', 'criadoEm', 'atualizadoEm'];
const CONTATO: readonly CampoPessoaJson[] = ['emails', 'telefones', 'enderecos'];
const FILIACAO: readonly CampoPessoaJson[] = ['cpfMae', 'nomeMae', 'cpfPai', 'nomePai'];

interface RegraCompartilhamento {
  /** Fields this reader may receive. */
  readonly campos: readonly CampoPessoaJson[];
  /** Why (legal basis / purpose), for the steward reading this file. */
  readonly finalidade: string;
}

export interface RegrasCompartilhamento {
  readonly versao: string;
  readonly orgaos: Readonly<Partial<Record<Orgao, RegraCompartilhamento>>>;
  readonly clientes: Readonly<Record<string, RegraCompartilhamento>>;
  readonly cidadao: RegraCompartilhamento;
}

export const REGRAS: RegrasCompartilhamento = {
  versao: VERSAO_REGRAS,
  orgaos: {
    /** Central stewards of the master record: every field. */
    cadastro: { campos: [...CAMPOS_PESSOA_JSON], finalidade: 'Gestão do Cadastro Base (PMCC): manutenção, correção, revisão de conflitos (LGPD art. 7º, III, e art. 23)' },
    /** SMS — SIGA: care and contact, mother's name for newborns, death for the care record. No voter/RG/fiscal data. */
    saude: {
      campos: [...IDENTIFICACAO, 'genero', 'localNascimento', 'nomeMae', 'cpfMae', 'obitoRegistro', ...CONTATO],
      finalidade: 'Atenção à saúde (SIGA): identificar o paciente, contatá-lo, registrar óbito (LGPD art. 7º, III e VIII, e art. 23)',
    },
    /** SF — tax: identification, addresses and contacts for notices, death (tax succession). */
    fazenda: {
      campos: [...IDENTIFICACAO, 'obitoRegistro', ...CONTATO],
      finalidade: 'Tributos municipais: identificar o contribuinte e notificá-lo (LGPD art. 7º, II e III, e art. 23)',
    },
    /** SME — EOL: the student, their parents and family links, addresses. */
    educacao: {
      campos: [...IDENTIFICACAO, 'genero', ...FILIACAO, 'relacoesFamiliares', ...CONTATO],
      finalidade: 'Matrícula e vida escolar (EOL): aluno, responsáveis e endereço (LGPD art. 7º, III, art. 14 e art. 23)',
    },
    /** SMADS — BDC: the household (family links, civil status) for social benefits. */
    smads: {
      campos: [...IDENTIFICACAO, 'genero', 'estadoCivil', ...FILIACAO, 'relacoesFamiliares', 'obitoRegistro', ...CONTATO],
      finalidade: 'Assistência social (BDC): composição familiar e concessão de benefícios (LGPD art. 7º, III, e art. 23)',
    },
  },
  /**
   * One rule per realm client whose tokens carry the API audience (client scope `lum-api` in realm-export/), and
   * none for any other: `regras-realm.unit.test.ts` fails when the two diverge. Each client may read, at most, what
   * the secretariat that runs it needs for its legal purpose (LGPD art. 6º, III: necessidade), whatever the organ
   * roles of the person signed in through it.
   */
  clientes: {
    /** The only front end of the stewards (central team and organs) and of citizens: capped by the organ rules. */
    'portal-cidadao': {
      campos: [...CAMPOS_PESSOA_JSON],
      finalidade: 'Portal do Cidadão, pelo qual também os gestores do cadastro entram com o Login Único: cada gestor recebe só o que a regra do seu órgão permite (LGPD art. 7º, III, e art. 23: execução de políticas públicas pela administração)',
    },
    /** SF: tax systems — as the Fazenda organ rule. */
    'sf-fazenda': {
      campos: [...IDENTIFICACAO, 'obitoRegistro', ...CONTATO],
      finalidade: 'Sistemas da Secretaria da Fazenda: identificar o contribuinte, notificá-lo e tratar a sucessão por óbito (LGPD art. 7º, II e III, e art. 23; CTN e legislação tributária municipal)',
    },
    /** SMS: SIGA — as the Saúde organ rule (no voter, RG, civil-status or family data). */
    'sms-saude': {
      campos: [...IDENTIFICACAO, 'genero', 'localNascimento', 'nomeMae', 'cpfMae', 'obitoRegistro', ...CONTATO],
      finalidade: 'Sistemas da Secretaria Municipal da Saúde (SIGA): identificar o paciente (nome da mãe para recém-nascidos), contatá-lo e registrar óbito (LGPD art. 7º, III e VIII, e art. 23: políticas públicas e tutela da saúde)',
    },
    /** SME: EOL — as the Educação organ rule (student, parents, family links, address). */
    'sme-educacao': {
      campos: [...IDENTIFICACAO, 'genero', ...FILIACAO, 'relacoesFamiliares', ...CONTATO],
      finalidade: 'Sistemas da Secretaria Municipal de Educação (EOL): matrícula e vida escolar — aluno, responsáveis e endereço (LGPD art. 7º, III, art. 14, melhor interesse da criança e do adolescente, e art. 23)',
    },
    /** SMADS: BDC — as the SMADS organ rule (household composition for benefits). */
    'smads-assistencia': {
      campos: [...IDENTIFICACAO, 'genero', 'estadoCivil', ...FILIACAO, 'relacoesFamiliares', 'obitoRegistro', ...CONTATO],
      finalidade: 'Sistemas da SMADS (BDC): composição familiar e concessão de benefícios socioassistenciais (LGPD art. 7º, III, e art. 23; Lei 8.742/1993, LOAS)',
    },
    /** SGM: administrative proceedings — who the person is, nothing else. */
    'sgm-governo': {
      campos: [...IDENTIFICACAO],
      finalidade: 'Sistemas da Secretaria de Governo Municipal: identificar o munícipe em processos e atos administrativos (LGPD art. 7º, III, e art. 23)',
    },
    /** SMIT: digital services and Login Único support — who the person is and how to reach them online. */
    'smit-inovacao': {
      campos: [...IDENTIFICACAO, 'emails', 'telefones'],
      finalidade: 'Sistemas da SMIT: serviços digitais e suporte ao Login Único — identificar o munícipe e contatá-lo por e-mail ou telefone (LGPD art. 7º, III, e art. 23)',
    },
    /** Descomplica SP: in-person service — check the ID document, update contacts, record the biometric capture. */
    'descomplica': {
      campos: [...IDENTIFICACAO, 'rg', 'nomeMae', ...CONTATO, 'biometria'],
      finalidade: 'Atendimento presencial Descomplica SP: conferir a identidade do munícipe com o documento apresentado, atualizar contatos e endereço e registrar a captura biométrica (LGPD art. 7º, III, e art. 23)',
    },
    /** Descomplica SP points' service account (level 4): records that a capture was made; reads no field of the record. */
    'descomplica-biometria': {
      campos: [],
      finalidade: 'Pontos Descomplica SP: registrar que uma captura biométrica foi feita (ponto, operador, horário e referência da captura) — só escrita; nenhum campo do cadastro é lido e o dado biométrico não é tratado por este sistema (LGPD art. 7º, III, e art. 23)',
    },
  },
  /** The citizen's own record (LGPD art. 18, access): everything about them except raw capture references. */
  cidadao: {
    campos: CAMPOS_PESSOA_JSON.filter((c) => c !== 'biometria' && c !== 'certificadoIcp'),
    finalidade: 'Acesso do titular aos próprios dados (LGPD art. 18)',
  },
};
