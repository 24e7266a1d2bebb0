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

export const VERSAO_REGRAS = '2026-11-23.1';

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
    cadastro: { campos: [...CAMPOS_PESSOA_JSON], finalidade: 'Gestão do Cadastro Base (PMCC): manutenção, correção, revisão de conflitos' },
    /** SMS — SIGA: care and contact, mother's name for newborns, death for the care record. No voter/RG/fiscal data. */
    saude: {
      campos: [...IDENTIFICACAO, 'genero', 'localNascimento', 'nomeMae', 'cpfMae', 'obitoRegistro', ...CONTATO],
      finalidade: 'Atenção à saúde (SIGA): identificar o paciente, contatá-lo, registrar óbito',
    },
    /** SF — tax: identification, addresses and contacts for notices, death (tax succession). */
    fazenda: {
      campos: [...IDENTIFICACAO, 'obitoRegistro', ...CONTATO],
      finalidade: 'Tributos municipais: identificar o contribuinte e notificá-lo',
    },
    /** SME — EOL: the student, their parents and family links, addresses. */
    educacao: {
      campos: [...IDENTIFICACAO, 'genero', ...FILIACAO, 'relacoesFamiliares', ...CONTATO],
      finalidade: 'Matrícula e vida escolar (EOL): aluno, responsáveis e endereço',
    },
    /** SMADS — BDC: the household (family links, civil status) for social benefits. */
    smads: {
      campos: [...IDENTIFICACAO, 'genero', 'estadoCivil', ...FILIACAO, 'relacoesFamiliares', 'obitoRegistro', ...CONTATO],
      finalidade: 'Assistência social (BDC): composição familiar e concessão de benefícios',
    },
  },
  clientes: {
    /** The stewards' front-end (and the local development portal, through which staff also sign in). */
    'portal-gestor': { campos: [...CAMPOS_PESSOA_JSON], finalidade: 'Portal dos gestores do cadastro' },
    'portal-cidadao': { campos: [...CAMPOS_PESSOA_JSON], finalidade: 'Portal do cidadão e acesso de servidores pelo Login Único' },
    /** The tax secretariat's system (service account holding gestor-fazenda). */
    'sf-fazenda': { campos: [...IDENTIFICACAO, 'obitoRegistro', ...CONTATO], finalidade: 'Sistema da Secretaria da Fazenda' },
  },
  /** The citizen's own record (LGPD art. 18, access): everything about them except raw capture references. */
  cidadao: {
    campos: CAMPOS_PESSOA_JSON.filter((c) => c !== 'biometria' && c !== 'certificadoIcp'),
    finalidade: 'Acesso do titular aos próprios dados (LGPD art. 18)',
  },
};
