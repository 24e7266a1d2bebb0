// INTERIM — replaced by the owner's version at merge
/**
 * Phase `fundindo` (interim): one golden id per valid CPF and nothing else — no `pessoa`, `valor_campo` or `revisao`
 * writes. Base-unica rows whose CPF is theirs get the identidade of their CPF (`vinculo = 'cpf'`); a pendente identity
 * adopted by `particionando` receives the CPF and becomes `ativa`. The merge owner's version replaces this file.
 */
import type { ExecutarFase } from './fases.js';

export const fundir: ExecutarFase = async (cliente, carga) => {
  const adotadas = await cliente.query(
    `UPDATE identidade i SET cpf = a.cpf, situacao = 'ativa'
       FROM (SELECT DISTINCT ON (identidade_id) identidade_id, cpf FROM carga_staging
              WHERE carga_id = $1 AND triagem = 'base-unica' AND NOT cpf_de_outra_pessoa AND identidade_id IS NOT NULL
              ORDER BY identidade_id, linha) a
      WHERE i.id = a.identidade_id AND i.situacao = 'pendente' AND i.cpf IS NULL
        AND NOT EXISTS (SELECT 1 FROM identidade o WHERE o.cpf = a.cpf)`,
    [carga.id],
  );
  const novas = await cliente.query(
    `INSERT INTO identidade (cpf, situacao, carga_id)
     SELECT DISTINCT cpf, 'ativa', $1::bigint FROM carga_staging
      WHERE carga_id = $1 AND triagem = 'base-unica' AND NOT cpf_de_outra_pessoa
     ORDER BY cpf
     ON CONFLICT (cpf) DO NOTHING`,
    [carga.id],
  );
  const linhas = await cliente.query(
    `UPDATE carga_staging s SET identidade_id = i.id, vinculo = 'cpf'
       FROM identidade i
      WHERE s.carga_id = $1 AND s.triagem = 'base-unica' AND NOT s.cpf_de_outra_pessoa AND i.cpf = s.cpf`,
    [carga.id],
  );
  return { identidadesAdotadas: adotadas.rowCount ?? 0, identidadesNovas: novas.rowCount ?? 0, linhas: linhas.rowCount ?? 0 };
};
