import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { consulta, paginacao } from '../http/cadastro-http.js';
import { acessosEmCsv, listarAcessos } from './acessos.service.js';

/**
 * "Quem acessou meus dados", mounted under `/me` (role `cidadao`): the reads of the caller's own record by organs and
 * applications. No path parameter and no CPF in the request: the record is the caller's, from the token's `sub`.
 */
export function rotasAcessos({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router();
  router.get('/acessos', async (req, res) => {
    const q = consulta(req, ['limit', 'offset']);
    res.json(await listarAcessos(dataSource, principalDe(req), paginacao(q)));
  });
  router.get('/acessos.csv', async (req, res) => {
    consulta(req, []);
    const csv = await acessosEmCsv(dataSource, principalDe(req));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="quem-acessou-meus-dados.csv"');
    res.send(csv);
  });
  return router;
}
