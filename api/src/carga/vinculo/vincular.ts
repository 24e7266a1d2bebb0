// INTERIM — replaced by the owner's version at merge
/**
 * Phase `vinculando` (interim, no matching at all): every staged row the merge did not assign gets a new `pendente`
 * identity (`vinculo = 'novo'`), except rows whose own CPF is invalid, which are quarantined (`identidade_id` NULL,
 * `vinculo = 'quarentena'`). Set-based. The linkage owner's version (Fellegi–Sunter) replaces this file.
 */
import type { ExecutarFase } from '../fases.js';

export const vincular: ExecutarFase = async (cliente, carga) => {
  const quarentena = await cliente.query(
    `UPDATE carga_staging SET vinculo = 'quarentena', identidade_id = NULL
      WHERE carga_id = $1 AND vinculo IS NULL AND triagem = 'cpf-invalido'`,
    [carga.id],
  );
  const novos = await cliente.query(
    `UPDATE carga_staging SET vinculo = 'novo', identidade_id = nextval(pg_get_serial_sequence('identidade', 'id'))
      WHERE carga_id = $1 AND vinculo IS NULL`,
    [carga.id],
  );
  await cliente.query(
    `INSERT INTO identidade (id, situacao, carga_id)
     SELECT identidade_id, 'pendente', $1 FROM carga_staging WHERE carga_id = $1 AND vinculo = 'novo'
     ON CONFLICT (id) DO NOTHING`,
    [carga.id],
  );
  return { quarentena: quarentena.rowCount ?? 0, novos: novos.rowCount ?? 0 };
};
