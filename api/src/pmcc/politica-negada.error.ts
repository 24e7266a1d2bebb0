import { ApiError, type ApiErrorJson } from '../errors/api-error.js';
import type { CodigoPmcc } from './decidir.js';

export interface RecusaPmcc {
  campo: string;
  operacao: string;
  codigo: CodigoPmcc;
  mensagem: string;
  regra: string;
}

/** 422: the PMCC refused at least one field of the write; nothing was written. `recusas` names each rule. */
export class PoliticaNegada extends ApiError {
  constructor(readonly recusas: readonly RecusaPmcc[]) {
    super(
      422,
      'RegraDeNegocioViolada',
      `Recusado pela PMCC: ${recusas.map((r) => r.mensagem).join('; ')}`,
      recusas.map((r) => ({ path: r.campo, message: `${r.codigo}: ${r.mensagem}` })),
    );
  }

  override toJSON(): ApiErrorJson & { recusas: RecusaPmcc[] } {
    return { ...super.toJSON(), recusas: [...this.recusas] };
  }
}
