import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

/** Every accepted Keycloak event, by its id: the primary key is the replay protection. */
@Entity({ name: 'evento_keycloak' })
export class EventoKeycloak {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  tipo: string;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId: string | null;

  @Column({ name: 'recebido_em', type: 'timestamptz', default: () => 'now()' })
  recebidoEm: Date;

  @Column({ type: 'jsonb' })
  payload: ObjetoJson;
}
