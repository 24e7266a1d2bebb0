import type { EntityManager } from 'typeorm';
import type { DadoComplementar } from './requisitos.js';

/** The complementary data of an account's approved requests (what the `dados_complementares` attribute carries). */
export async function dadosVerificadosDaConta(manager: EntityManager, contaId: string): Promise<DadoComplementar[]> {
  const linhas = await manager.query<Array<{ d: DadoComplementar }>>(
    `SELECT DISTINCT d FROM pedido_sala, unnest(dados_exigidos) AS d WHERE conta_id = $1 AND situacao = 'aprovado' ORDER BY d`,
    [contaId],
  );
  return linhas.map((l) => l.d);
}
