import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, items 3–5 (level 4, the in-person step, the citizen told):
 *
 * - `agendamento_descomplica`: a citizen's booking of an in-person step (biometric capture, photo) at a Descomplica
 *   point, from the Sala de Espera; at most one booked (`agendado`) per account; `realizado` once the point records
 *   the capture (api/src/biometria/), `cancelado` by the citizen.
 * - `decisao_sala`: each answer of an organ to a Sala de Espera request (approved, rejected, asked for more), so the
 *   citizen's notifications list every answer, not only the request's current state.
 */
export class AgendamentoDescomplica1765700000000 implements MigrationInterface {
  name = 'AgendamentoDescomplica1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agendamento_descomplica (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        conta_id      uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        pedido_id     uuid        REFERENCES pedido_sala (id),
        ponto         text        NOT NULL,
        inicio        timestamptz NOT NULL,
        situacao      text        NOT NULL DEFAULT 'agendado' CHECK (situacao IN ('agendado', 'cancelado', 'realizado')),
        evidencia_id  uuid        REFERENCES evidencia (id),
        criado_em     timestamptz NOT NULL DEFAULT now(),
        atualizado_em timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agendamento_descomplica_um_por_conta ON agendamento_descomplica (conta_id) WHERE situacao = 'agendado'`);
    await q.query(`CREATE INDEX agendamento_descomplica_horario ON agendamento_descomplica (ponto, inicio) WHERE situacao = 'agendado'`);
    await q.query(`
      CREATE TABLE decisao_sala (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        pedido_id   uuid        NOT NULL REFERENCES pedido_sala (id),
        conta_id    uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        decisao     text        NOT NULL CHECK (decisao IN ('aprovado', 'recusado', 'complementacao-solicitada')),
        motivo      text,
        decidido_em timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX decisao_sala_conta ON decisao_sala (conta_id, decidido_em)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE decisao_sala`);
    await q.query(`DROP TABLE agendamento_descomplica`);
  }
}
