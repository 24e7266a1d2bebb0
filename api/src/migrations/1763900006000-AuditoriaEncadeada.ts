import type { MigrationInterface, QueryRunner } from 'typeorm';
import { calcularHash, GENESE, SQL_EM_CANONICO } from '../auditoria/cadeia.js';

/**
 * Tamper evidence for the audit trail: `hash_anterior` and `hash` on every row (a SHA-256 chain in id order,
 * see `auditoria/cadeia.ts`). Rows already present are chained here, oldest first, with the append-only trigger
 * switched off for this transaction only; then both columns become NOT NULL.
 */
export class AuditoriaEncadeada1763900006000 implements MigrationInterface {
  name = 'AuditoriaEncadeada1763900006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auditoria ADD COLUMN hash_anterior char(64) NULL, ADD COLUMN hash char(64) NULL`);
    await q.query(`LOCK TABLE auditoria IN EXCLUSIVE MODE`);
    await q.query(`ALTER TABLE auditoria DISABLE TRIGGER auditoria_somente_insercao_linha`);
    let anterior = GENESE;
    let cursor = '0';
    for (;;) {
      const linhas = (await q.query(
        `SELECT id::text AS id, ${SQL_EM_CANONICO} AS em, ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe
           FROM auditoria WHERE auditoria.id > $1::bigint ORDER BY auditoria.id LIMIT 5000`,
        [cursor],
      )) as Record<string, unknown>[];
      if (linhas.length === 0) break;
      for (const l of linhas) {
        const hash = calcularHash(anterior, {
          id: l.id as string, em: l.em as string, ator: l.ator as string, acao: l.acao as string,
          pessoaCpf: (l.pessoa_cpf as string | null) ?? null, campos: (l.campos as string[]) ?? [],
          cliente: (l.cliente as string | null) ?? null, finalidade: (l.finalidade as string | null) ?? null, detalhe: l.detalhe,
        });
        await q.query(`UPDATE auditoria SET hash_anterior = $2, hash = $3 WHERE id = $1::bigint`, [l.id, anterior, hash]);
        anterior = hash;
        cursor = l.id as string;
      }
    }
    await q.query(`ALTER TABLE auditoria ENABLE TRIGGER auditoria_somente_insercao_linha`);
    await q.query(`ALTER TABLE auditoria ALTER COLUMN hash_anterior SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX auditoria_hash_anterior_uq ON auditoria (hash_anterior)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auditoria_hash_anterior_uq`);
    await q.query(`ALTER TABLE auditoria DROP COLUMN hash, DROP COLUMN hash_anterior`);
  }
}
