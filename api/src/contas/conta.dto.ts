import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Aparar, IsCpf, NormalizarCpf } from '../validation/decorators.js';
import type { Conta } from './conta.entity.js';
import type { Evidencia } from './evidencia.entity.js';

const TIPOS_DOCUMENTO = ['RG', 'CNH', 'CTPS', 'PASSAPORTE'] as const;
export type TipoDocumento = (typeof TIPOS_DOCUMENTO)[number];

export class DocumentoDto {
  @IsDefined({ message: 'documento.tipo é obrigatório' })
  @IsIn(TIPOS_DOCUMENTO, { message: 'documento.tipo deve ser RG, CNH, CTPS ou PASSAPORTE' })
  tipo: TipoDocumento;

  @IsDefined({ message: 'documento.numero é obrigatório' })
  @Aparar()
  @IsString({ message: 'documento.numero deve ser texto' })
  @Length(1, 30, { message: 'documento.numero deve ter entre 1 e 30 caracteres' })
  @Matches(/^[A-Za-z0-9./\- ]+$/, { message: 'documento.numero contém caracteres inválidos' })
  numero: string;
}

/**
 * `POST /contas/:keycloakUserId/vinculo`: the steward saw the documents in person and confirms that the account
 * belongs to the master record with this CPF.
 */
export class VinculoDto {
  @IsDefined({ message: 'cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf()
  cpf: string;

  @IsDefined({ message: 'documento é obrigatório' })
  @IsObject({ message: 'documento deve ser um objeto { tipo, numero }' })
  @ValidateNested({ message: 'documento deve ser um objeto { tipo, numero }' })
  @Type(() => DocumentoDto)
  documento: DocumentoDto;

  @IsOptional()
  @Aparar()
  @IsString({ message: 'observacao deve ser texto' })
  @MaxLength(1000, { message: 'observacao deve ter no máximo 1000 caracteres' })
  observacao?: string;
}

export function evidenciaParaJson(e: Evidencia) {
  return {
    id: e.id,
    tipo: e.tipo,
    pessoaCpf: e.pessoaCpf,
    detalhe: e.detalhe,
    registradoPor: e.registradoPor,
    registradoEm: e.registradoEm.toISOString(),
  };
}

export function contaParaJson(c: Conta, evidencias: Evidencia[]) {
  return {
    keycloakUserId: c.keycloakUserId,
    username: c.username,
    cpfDeclarado: c.cpfDeclarado,
    pessoaCpf: c.pessoaCpf,
    nivelConfianca: Number(c.nivelConfianca),
    nivelVersao: c.nivelVersao,
    nivelSincronizadoVersao: c.nivelSincronizadoVersao,
    situacao: c.situacao,
    criadoEm: c.criadoEm.toISOString(),
    atualizadoEm: c.atualizadoEm.toISOString(),
    evidencias: evidencias.map(evidenciaParaJson),
  };
}
