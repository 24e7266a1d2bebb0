import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

/** Append-only audit trail: one row per read or write of personal data (a trigger refuses UPDATE/DELETE). */
@Entity({ name: 'auditoria' })
export class Auditoria {
  /** bigserial: a string in JS. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  em: Date;

  /** Who: a steward's username, `keycloak`, `lum-api-worker`… */
  @Column({ type: 'text' })
  ator: string;

  /** What, as `<recurso>.<verbo>`: `pessoa.criada`, `pessoa.lida`, `conta.vinculo-confirmado`… */
  @Column({ type: 'text' })
  acao: string;

  @Column({ name: 'pessoa_cpf', type: 'char', length: 11, nullable: true })
  pessoaCpf: string | null;

  /** Which fields were read or written. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  campos: string[];

  /** OAuth client (azp) through which the request came. */
  @Column({ type: 'text', nullable: true })
  cliente: string | null;

  /** Purpose of the processing (LGPD). */
  @Column({ type: 'text', nullable: true })
  finalidade: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  detalhe: ObjetoJson;
}
