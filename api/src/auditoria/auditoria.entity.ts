import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

/** Append-only audit trail: one row per read or write of personal data (a trigger refuses UPDATE/DELETE), hash-chained
 * for tamper evidence. Append only through `registrarAuditoria` or the read-audit group commit
 * (`gravador-leituras.ts`). */
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

  /** Hash of the previous row in id order (64 zeros for the first): see `cadeia.ts`. */
  @Column({ name: 'hash_anterior', type: 'char', length: 64 })
  hashAnterior: string;

  /** SHA-256 (hex) of `hashAnterior` followed by this row's canonical content. */
  @Column({ type: 'char', length: 64 })
  hash: string;
}
