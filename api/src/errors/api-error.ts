import { randomUUID } from 'node:crypto';

/**
 * The closed list of error names a client may see. Stable: clients branch on `error`, never on `message`.
 */
export const NOMES_DE_ERRO = [
  'DadosInvalidos',
  'JsonMalformado',
  'NaoAutenticado',
  'Proibido',
  'NaoEncontrado',
  'Conflito',
  'PayloadGrande',
  'TipoDeConteudoNaoSuportado',
  'RegraDeNegocioViolada',
  'MuitasTentativas',
  'Indisponivel',
  'ErroInterno',
] as const;
export type NomeDeErro = (typeof NOMES_DE_ERRO)[number];

export interface DetalheDeErro {
  /** Field path, e.g. `documento.tipo`; empty for the whole body. */
  readonly path: string;
  /** pt-BR, safe to show to the user. */
  readonly message: string;
}

export interface ApiErrorJson {
  error: NomeDeErro;
  message: string;
  id: string;
  details: DetalheDeErro[];
}

/**
 * Base of every error the API answers with. The message is pt-BR and shown to users; `id` is logged with the
 * error so a support request quoting it finds the log line.
 */
export class ApiError extends Error {
  readonly id: string = randomUUID();

  constructor(
    readonly status: number,
    readonly nome: NomeDeErro,
    message: string,
    readonly details: readonly DetalheDeErro[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = nome;
  }

  toJSON(): ApiErrorJson {
    return { error: this.nome, message: this.message, id: this.id, details: [...this.details] };
  }
}
