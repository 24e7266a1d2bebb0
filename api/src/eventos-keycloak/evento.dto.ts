import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';

/** Event types with effects in the API; any other type is recorded and ignored. */
export const TIPOS_EVENTO_TRATADOS = ['REGISTER', 'IDENTITY_PROVIDER_FIRST_LOGIN', 'UPDATE_PROFILE', 'UPDATE_EMAIL', 'VERIFY_EMAIL', 'DELETE_ACCOUNT'] as const;
export type TipoEventoTratado = (typeof TIPOS_EVENTO_TRATADOS)[number];

export function ehTipoTratado(tipo: string): tipo is TipoEventoTratado {
  return (TIPOS_EVENTO_TRATADOS as readonly string[]).includes(tipo);
}

export class UsuarioEventoDto {
  @IsOptional()
  @IsString({ message: 'user.username deve ser texto' })
  username?: string;

  @IsOptional()
  @IsString({ message: 'user.email deve ser texto' })
  email?: string;

  /** Whether Keycloak verified the e-mail (sent by our listener since the profile events reach the master record). */
  @IsOptional()
  @IsBoolean({ message: 'user.emailVerified deve ser verdadeiro ou falso' })
  emailVerified?: boolean;

  @IsOptional()
  @IsString({ message: 'user.firstName deve ser texto' })
  firstName?: string;

  @IsOptional()
  @IsString({ message: 'user.lastName deve ser texto' })
  lastName?: string;

  /** Keycloak attributes: name → list of strings. */
  @IsOptional()
  @IsObject({ message: 'user.attributes deve ser um objeto' })
  attributes?: Record<string, unknown>;
}

/** Sign-ins through the govbr identity provider: what the listener read from the brokered session. */
export class GovbrEventoDto {
  @IsOptional()
  @IsString({ message: 'govbr.idToken deve ser texto' })
  @Length(1, 20000, { message: 'govbr.idToken deve ter entre 1 e 20000 caracteres' })
  idToken?: string;
}

/**
 * A sign-in with an ICP-Brasil certificate: the facts our authenticator `lum-certificado-icp` read from the
 * certificate it validated (chain to a trusted root, validity, CRL) — docs/certificado-icp.md. The API trusts them as
 * it trusts the rest of the signed event; the CPF is the one of the certificate's ICP-Brasil data (otherName
 * 2.16.76.1.3.1).
 */
export class CertificadoIcpEventoDto {
  @IsDefined({ message: 'certificadoIcp.cpf é obrigatório' })
  @Matches(/^\d{11}$/, { message: 'certificadoIcp.cpf deve ter 11 dígitos' })
  cpf: string;

  @IsDefined({ message: 'certificadoIcp.emissor é obrigatório' })
  @IsString({ message: 'certificadoIcp.emissor deve ser texto' })
  @Length(1, 2000, { message: 'certificadoIcp.emissor deve ter entre 1 e 2000 caracteres' })
  emissor: string;

  @IsOptional()
  @IsString({ message: 'certificadoIcp.titular deve ser texto' })
  @Length(0, 2000, { message: 'certificadoIcp.titular deve ter até 2000 caracteres' })
  titular?: string;

  @IsDefined({ message: 'certificadoIcp.serial é obrigatório' })
  @Matches(/^-?[0-9a-f]{1,100}$/, { message: 'certificadoIcp.serial deve ser hexadecimal' })
  serial: string;

  @IsDefined({ message: 'certificadoIcp.validoDe é obrigatório' })
  @IsISO8601({ strict: true }, { message: 'certificadoIcp.validoDe deve ser uma data ISO 8601' })
  validoDe: string;

  @IsDefined({ message: 'certificadoIcp.validoAte é obrigatório' })
  @IsISO8601({ strict: true }, { message: 'certificadoIcp.validoAte deve ser uma data ISO 8601' })
  validoAte: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'certificadoIcp.sha256 deve ter 64 dígitos hexadecimais' })
  sha256?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'certificadoIcp.verificadoEm deve ser uma data ISO 8601' })
  verificadoEm?: string;
}

/** The identity provider alias of Gov.br in the realm. */
const ALIAS_GOVBR = 'govbr';

/**
 * The event body (docs/contracts.md). Validated with `whitelist` but without `forbidNonWhitelisted`: this is an
 * external contract and Keycloak may add fields; unknown ones are ignored (the raw payload is stored as received).
 */
export class EventoKeycloakDto {
  @IsDefined({ message: 'id é obrigatório' })
  @IsString({ message: 'id deve ser texto' })
  @Length(1, 200, { message: 'id deve ter entre 1 e 200 caracteres' })
  @Matches(/^[\w.:-]+$/, { message: 'id contém caracteres inválidos' })
  id: string;

  @IsDefined({ message: 'type é obrigatório' })
  @IsString({ message: 'type deve ser texto' })
  @Matches(/^[A-Z_]{1,100}$/, { message: 'type inválido' })
  type: string;

  @IsOptional()
  @IsString({ message: 'realm deve ser texto' })
  realm?: string;

  @IsOptional()
  @IsString({ message: 'realmId deve ser texto' })
  realmId?: string;

  @IsOptional()
  @IsString({ message: 'clientId deve ser texto' })
  clientId?: string;

  /** Required (and a UUID) for the event types the API acts on. */
  @ValidateIf((o: EventoKeycloakDto) => ehTipoTratado(o.type) || (o.userId !== undefined && o.userId !== null))
  @IsUUID('all', { message: 'userId deve ser o UUID do usuário no Keycloak' })
  userId?: string;

  @IsOptional()
  @IsInt({ message: 'time deve ser um inteiro (ms desde a época)' })
  time?: number;

  @IsOptional()
  @IsString({ message: 'ipAddress deve ser texto' })
  ipAddress?: string;

  @IsOptional()
  @IsObject({ message: 'details deve ser um objeto' })
  details?: Record<string, unknown>;

  @IsOptional()
  @IsObject({ message: 'user deve ser um objeto ou null' })
  @ValidateNested({ message: 'user deve ser um objeto ou null' })
  @Type(() => UsuarioEventoDto)
  user?: UsuarioEventoDto | null;

  @IsOptional()
  @IsObject({ message: 'govbr deve ser um objeto' })
  @ValidateNested({ message: 'govbr deve ser um objeto' })
  @Type(() => GovbrEventoDto)
  govbr?: GovbrEventoDto;

  @IsOptional()
  @IsObject({ message: 'certificadoIcp deve ser um objeto' })
  @ValidateNested({ message: 'certificadoIcp deve ser um objeto' })
  @Type(() => CertificadoIcpEventoDto)
  certificadoIcp?: CertificadoIcpEventoDto;
}

/** A sign-in with an ICP-Brasil certificate (the LOGIN event our listener sends with the certificate facts). */
export function ehEntradaCertificado(evento: EventoKeycloakDto): evento is EventoKeycloakDto & { certificadoIcp: CertificadoIcpEventoDto } {
  return evento.type === 'LOGIN' && evento.certificadoIcp !== undefined;
}

/**
 * A sign-in through Gov.br (LOGIN, IDENTITY_PROVIDER_FIRST_LOGIN, or the REGISTER of an account created by the broker,
 * with identity_provider=govbr). The listener sends Gov.br's id_token with LOGIN; the recovery of stored events adds
 * it, from the govbr link, to the REGISTER of a brokered account (recuperar-eventos.ts).
 */
export function ehEntradaGovbr(evento: EventoKeycloakDto): boolean {
  return (evento.type === 'LOGIN' || evento.type === 'IDENTITY_PROVIDER_FIRST_LOGIN' || evento.type === 'REGISTER') && evento.details?.['identity_provider'] === ALIAS_GOVBR;
}
