/**
 * The confidence level as a pure function of the evidence (lastro).
 *
 * `REGRAS_NIVEL` is ordered from the highest level down; the first rule whose predicate holds gives the level.
 * A CPF the user typed is never evidence on its own. Default rules (../shared/design/domain.md):
 *   5 — ICP-Brasil certificate sign-in with the account's CPF, for a valid master record;
 *   4 — a biometric capture by an authorised capture point, for a valid master record with the account's CPF;
 *   3 — a valid master record with the account's CPF, tied to the account by evidence (steward's in-person check,
 *       Gov.br-asserted CPF, knowledge check on the record — see `EVIDENCIAS_QUE_VINCULAM`);
 *   2 — a Gov.br link whose asserted CPF is the account's (and no death record for it);
 *   1 — an account.
 * Gov.br seals are recorded and shown; whether a Gov.br biometric seal counts toward 4 or seal 801 toward 5 is a
 * switch of `PoliticaNivel`, off by default (`regrasNivel(politica)` builds the table for another policy).
 */
import type { SituacaoConta } from '../contas/conta.entity.js';
import type { TipoEvidencia } from '../contas/evidencia.entity.js';
import type { SituacaoPessoa } from '../pessoas/pessoa.entity.js';
import { SELO_CERTIFICADO_ICP, SELOS } from '../govbr/selos.js';
import type { NivelConfianca } from './nivel.js';

export interface EvidenciaParaNivel {
  readonly tipo: TipoEvidencia;
  readonly pessoaCpf: string | null;
  /** Gov.br evidence: the ids of the reliability seals read with it (none for other types). */
  readonly selos?: readonly string[];
}

/** Policy switches of the level rules (domain notes: off by default). */
export interface PoliticaNivel {
  /** A Gov.br biometric seal (401, 701, 702, 901) counts as the biometric capture of level 4. */
  readonly seloBiometricoGovbrContaPara4: boolean;
  /** Gov.br seal 801 (ICP-Brasil certificate) counts as the certificate sign-in of level 5. */
  readonly selo801ContaPara5: boolean;
}

export const POLITICA_NIVEL_PADRAO: PoliticaNivel = { seloBiometricoGovbrContaPara4: false, selo801ContaPara5: false };

/**
 * The evidence types that tie an account to the master record with its CPF (level 3). One list, so that a new kind
 * of tie (e.g. the knowledge check) is one more entry.
 */
const EVIDENCIAS_QUE_VINCULAM: readonly TipoEvidencia[] = ['vinculo-confirmado-gestor', 'govbr', 'conhecimento', 'documento-conferido-orgao'];

export interface PessoaParaNivel {
  readonly cpf: string;
  readonly situacao: SituacaoPessoa;
  readonly obito: boolean;
}

export interface EntradaNivel {
  readonly conta: { readonly cpfDeclarado: string | null; readonly situacao: SituacaoConta };
  readonly evidencias: readonly EvidenciaParaNivel[];
  /** The master records the evidence points to, by CPF (missing = no such record). */
  readonly pessoas: ReadonlyMap<string, PessoaParaNivel>;
}

export interface RegraNivel {
  readonly nivel: NivelConfianca;
  /** pt-BR, for the citizen's Segurança page and the stewards' docs. */
  readonly lastro: string;
  readonly atende: (entrada: EntradaNivel) => boolean;
}

/** A master record that can back a level: exists, is active and has no death record. */
function pessoaValida(entrada: EntradaNivel, cpf: string | null): boolean {
  if (cpf === null) return false;
  const pessoa = entrada.pessoas.get(cpf);
  return pessoa !== undefined && pessoa.situacao === 'ativa' && !pessoa.obito;
}

/**
 * Evidence of a given type that ties this account to a valid master record whose CPF is the one the account
 * declares (if the user later changes the declared CPF, the old evidence no longer backs the level).
 */
function temVinculoVerificado(entrada: EntradaNivel, tipos: readonly TipoEvidencia[]): boolean {
  return entrada.evidencias.some(
    (e) => tipos.includes(e.tipo) && e.pessoaCpf !== null && e.pessoaCpf === entrada.conta.cpfDeclarado && pessoaValida(entrada, e.pessoaCpf),
  );
}

const contaAtiva = (entrada: EntradaNivel): boolean => entrada.conta.situacao === 'ativa';

/** Evidence whose CPF is the one the account declares. */
function daConta(entrada: EntradaNivel, tipos: readonly TipoEvidencia[], mais: (e: EvidenciaParaNivel) => boolean = () => true): boolean {
  return entrada.evidencias.some((e) => tipos.includes(e.tipo) && e.pessoaCpf !== null && e.pessoaCpf === entrada.conta.cpfDeclarado && mais(e));
}

/** No death record (nor inactive record) for the account's CPF, when a master record exists. */
function semObitoConhecido(entrada: EntradaNivel): boolean {
  const cpf = entrada.conta.cpfDeclarado;
  const pessoa = cpf === null ? undefined : entrada.pessoas.get(cpf);
  return pessoa === undefined || (pessoa.situacao === 'ativa' && !pessoa.obito);
}

const temSelo = (ids: (id: string) => boolean) => (e: EvidenciaParaNivel) => (e.selos ?? []).some(ids);
const seloBiometrico = temSelo((id) => SELOS.get(id)?.biometrico === true);
const selo801 = temSelo((id) => id === SELO_CERTIFICADO_ICP);

/** The rule table for a policy. Highest level first; the last row always holds. */
export function regrasNivel(politica: PoliticaNivel = POLITICA_NIVEL_PADRAO): readonly RegraNivel[] {
  const cadastroValido = (e: EntradaNivel) => contaAtiva(e) && pessoaValida(e, e.conta.cpfDeclarado);
  return [
    {
      nivel: 5,
      lastro: politica.selo801ContaPara5
        ? 'Certificado digital ICP-Brasil com o CPF da conta (entrada com certificado ou selo 801 do gov.br), e registro válido no cadastro base'
        : 'Entrada com certificado digital ICP-Brasil com o CPF da conta, e registro válido no cadastro base',
      atende: (e) => cadastroValido(e) && (daConta(e, ['certificado-icp']) || (politica.selo801ContaPara5 && daConta(e, ['govbr'], selo801))),
    },
    {
      nivel: 4,
      lastro: politica.seloBiometricoGovbrContaPara4
        ? 'Biometria registrada por ponto de captura autorizado ou selo biométrico do gov.br, com o CPF da conta e registro válido no cadastro base'
        : 'Biometria registrada por ponto de captura autorizado, com o CPF da conta e registro válido no cadastro base',
      atende: (e) => cadastroValido(e) && (daConta(e, ['biometria']) || (politica.seloBiometricoGovbrContaPara4 && daConta(e, ['govbr'], seloBiometrico))),
    },
    {
      nivel: 3,
      lastro: 'Existe no cadastro base (ativa, sem óbito) e a conta foi vinculada ao registro por evidência verificada (CPF confirmado pelo gov.br, conferência presencial de documentos por gestor, documentos conferidos pelo órgão na Sala de Espera, ou verificação por perguntas sobre o registro)',
      atende: (e) => contaAtiva(e) && temVinculoVerificado(e, EVIDENCIAS_QUE_VINCULAM),
    },
    {
      nivel: 2,
      lastro: 'Conta vinculada ao gov.br, que confirmou o CPF da conta',
      atende: (e) => contaAtiva(e) && daConta(e, ['govbr']) && semObitoConhecido(e),
    },
    {
      nivel: 1,
      lastro: 'Conta criada; nada verificado',
      atende: () => true,
    },
  ];
}

/** The default rules. */
export const REGRAS_NIVEL: readonly RegraNivel[] = regrasNivel();

/** The rule that gives the level (for explanations). */
export function regraAplicada(entrada: EntradaNivel, regras: readonly RegraNivel[] = REGRAS_NIVEL): RegraNivel {
  const regra = regras.find((r) => r.atende(entrada));
  if (!regra) throw new Error('tabela de níveis sem regra final');
  return regra;
}

export function calcularNivel(entrada: EntradaNivel, regras: readonly RegraNivel[] = REGRAS_NIVEL): NivelConfianca {
  return regraAplicada(entrada, regras).nivel;
}
