import 'reflect-metadata';
import { IsDefined, IsIn, IsString, Matches } from 'class-validator';
import { Aparar, IsCpf, NormalizarCpf } from '../validation/decorators.js';
import { PONTOS_DESCOMPLICA } from './pontos.js';

/**
 * The reference of a capture in the Descomplica point's own system: 8 to 64 characters of letters, digits and
 * `. _ : -`. It identifies the capture there; it is never the biometric template or image — anything longer, or with
 * other characters (base64's `+ / =`, JSON, whitespace), is refused, and the route's body limit (4 KB) refuses a
 * template-sized body before it is parsed.
 */
const REFERENCIA_CAPTURA = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/**
 * `POST /biometria/capturas` (client `descomplica-biometria`, role `registro-biometria`): a Descomplica point
 * records that it made a biometric capture of the person with this CPF. Only the fact is stored (point, operator,
 * time, the capture's reference in the point's system) — never a template: unknown fields are refused.
 */
export class CapturaBiometricaDto {
  @IsDefined({ message: 'cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf()
  cpf: string;

  @IsDefined({ message: 'ponto é obrigatório' })
  @IsIn(PONTOS_DESCOMPLICA.map((p) => p.id), { message: `ponto deve ser um dos postos Descomplica: ${PONTOS_DESCOMPLICA.map((p) => p.id).join(', ')}` })
  ponto: string;

  @IsDefined({ message: 'operador é obrigatório' })
  @Aparar()
  @IsString({ message: 'operador deve ser texto' })
  @Matches(/^[A-Za-z0-9.-]{3,20}$/, { message: 'operador: o registro funcional do atendente, 3 a 20 letras, dígitos, ponto ou hífen' })
  operador: string;

  @IsDefined({ message: 'capturadaEm é obrigatório' })
  @IsString({ message: 'capturadaEm deve ser texto (data e hora ISO 8601 com fuso, ex.: 2026-12-07T09:30:00-03:00)' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'capturadaEm: data e hora ISO 8601 com fuso, ex.: 2026-12-07T09:30:00-03:00' })
  capturadaEm: string;

  @IsDefined({ message: 'referenciaCaptura é obrigatório' })
  @IsString({ message: 'referenciaCaptura deve ser texto' })
  @Matches(REFERENCIA_CAPTURA, {
    message: 'referenciaCaptura: a referência da captura no sistema do posto, 8 a 64 letras, dígitos ou . _ : - (nunca o template nem a imagem biométrica)',
  })
  referenciaCaptura: string;
}
