import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsString, Length, ValidateBy, type ValidationOptions } from 'class-validator';
import { ORGAOS } from '../auth/papeis.js';
import { TextoLegivel } from '../validation/decorators-cadastro.js';
import { motivoTextoInvalido, normalizarTexto } from '../validation/texto.js';

/** Size limits of a thread (also CHECK constraints of migration 1765800000000). */
export const LIMITES_CONVERSA = { assunto: { min: 3, max: 120 }, texto: { min: 1, max: 4000 } } as const;

/** A message's text: NFC, CRLF → LF, trimmed; lines kept (a message may have paragraphs). */
function normalizarTextoDeMensagem(valor: string): string {
  return valor.normalize('NFC').replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t]+$/u, '')).join('\n').trim();
}

/** Why a message's text is refused (pt-BR), or null: each line as readable as any free text (texto.ts), at most 3 blank lines in a row. */
function motivoMensagemInvalida(valor: string): string | null {
  if (valor === '') return 'não pode ser vazio';
  if (/\n{5,}/.test(valor)) return 'tem linhas em branco demais seguidas';
  for (const linha of valor.split('\n')) {
    if (linha === '') continue;
    const m = motivoTextoInvalido(linha.replace(/\t/g, ' '));
    if (m !== null && m !== 'não pode ser vazio') return m;
  }
  return null;
}

function TextoDeMensagem(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'textoDeMensagem',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && motivoMensagemInvalida(v) === null,
      defaultMessage: (args) => `texto ${typeof args?.value === 'string' ? (motivoMensagemInvalida(args.value) ?? '') : 'deve ser texto'}`,
    },
  }, options);
}

const normalizarMensagem = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarTextoDeMensagem(value) : value));
const normalizarAssunto = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarTexto(value) : value));

const { assunto: A, texto: T } = LIMITES_CONVERSA;

/** A message: POST /me/conversas/:id/mensagens, POST /conversas/:id/mensagens, the portal's reply form. */
export class NovaMensagemDto {
  // class-validator runs these bottom-up (stopAtFirstError).
  @TextoDeMensagem()
  @Length(T.min, T.max, { message: `texto deve ter de ${T.min} a ${T.max} caracteres` })
  @IsString({ message: 'texto deve ser texto' })
  @IsDefined({ message: 'texto é obrigatório' })
  @normalizarMensagem()
  texto: string;
}

/** A new thread: POST /me/conversas and the portal's "Nova mensagem" form. */
export class NovaConversaDto extends NovaMensagemDto {
  @IsIn(ORGAOS, { message: `orgao deve ser um de: ${ORGAOS.join(', ')}` })
  @IsString({ message: 'orgao deve ser texto' })
  @IsDefined({ message: 'orgao é obrigatório' })
  orgao: (typeof ORGAOS)[number];

  @TextoLegivel()
  @Length(A.min, A.max, { message: `assunto deve ter de ${A.min} a ${A.max} caracteres` })
  @IsString({ message: 'assunto deve ser texto' })
  @IsDefined({ message: 'assunto é obrigatório' })
  @normalizarAssunto()
  assunto: string;
}

/** The citizen's e-mail notice choice: PUT /me/aviso-email and the portal's form. */
export class AvisoEmailDto {
  @IsIn([true, false], { message: 'ativo deve ser true ou false' })
  @IsDefined({ message: 'ativo é obrigatório' })
  ativo: boolean;
}
