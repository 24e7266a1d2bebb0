import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

/**
 * Kinds of evidence (lastro). Only the steward's in-person confirmation exists today; the others are reserved
 * names for the levels that come later (2 gov.br, 3 conhecimento, 4 biometria, 5 certificado ICP-Brasil).
 * `documento-conferido-orgao`: an organ's steward approved a Sala de Espera request after checking the citizen's
 * documents and complementary data (api/src/sala-espera/).
 */
export const TIPOS_EVIDENCIA = ['vinculo-confirmado-gestor', 'govbr', 'conhecimento', 'biometria', 'certificado-icp', 'documento-conferido-orgao'] as const;
export type TipoEvidencia = (typeof TIPOS_EVIDENCIA)[number];

/** One piece of verified evidence about an account. Append-only. */
@Entity({ name: 'evidencia' })
export class Evidencia {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'conta_id', type: 'uuid' })
  contaId: string;

  @Column({ type: 'text' })
  tipo: TipoEvidencia;

  /**
   * The CPF the evidence vouches for: the master record it ties the account to, or (Gov.br) the CPF Gov.br asserted,
   * which may have no master record yet.
   */
  @Column({ name: 'pessoa_cpf', type: 'char', length: 11, nullable: true })
  pessoaCpf: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  detalhe: ObjetoJson;

  @Column({ name: 'registrado_por', type: 'text' })
  registradoPor: string;

  @Column({ name: 'registrado_em', type: 'timestamptz', default: () => 'now()' })
  registradoEm: Date;
}
