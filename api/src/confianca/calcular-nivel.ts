/**
 * The confidence level as a pure function of the evidence (lastro).
 *
 * `REGRAS_NIVEL` is ordered from the highest level down; the first rule whose predicate holds gives the level.
 * Levels 2 (gov.br), 4 (biometria) and 5 (certificado ICP-Brasil) slot in as new rows with their own predicates.
 * A CPF the user typed is never evidence on its own.
 */
import type { SituacaoConta } from '../contas/conta.entity.js';
import type { TipoEvidencia } from '../contas/evidencia.entity.js';
import type { SituacaoPessoa } from '../pessoas/pessoa.entity.js';
import type { NivelConfianca } from './nivel.js';

export interface EvidenciaParaNivel {
  readonly tipo: TipoEvidencia;
  readonly pessoaCpf: string | null;
}

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

/** Highest level first. The last row always holds. */
export const REGRAS_NIVEL: readonly RegraNivel[] = [
  {
    nivel: 3,
    lastro:
      'Existe no cadastro base (ativa, sem óbito) e a conta foi vinculada ao registro por evidência verificada (conferência presencial de documentos por gestor, ou verificação por perguntas sobre o registro)',
    atende: (e) => contaAtiva(e) && temVinculoVerificado(e, ['vinculo-confirmado-gestor', 'conhecimento']),
  },
  {
    nivel: 1,
    lastro: 'Conta criada; nada verificado',
    atende: () => true,
  },
];

/** The rule that gives the level (for explanations). */
export function regraAplicada(entrada: EntradaNivel, regras: readonly RegraNivel[] = REGRAS_NIVEL): RegraNivel {
  const regra = regras.find((r) => r.atende(entrada));
  if (!regra) throw new Error('tabela de níveis sem regra final');
  return regra;
}

export function calcularNivel(entrada: EntradaNivel, regras: readonly RegraNivel[] = REGRAS_NIVEL): NivelConfianca {
  return regraAplicada(entrada, regras).nivel;
}
