import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { contextoGestor } from '../http/contexto.js';
import { cpfDoParametro } from '../http/parametros.js';
import { validarCorpo } from '../validation/validar.js';
import { CriarPessoaDto, pessoaParaJson } from './pessoa.dto.js';
import { criarPessoa, lerPessoa } from './pessoas.service.js';

/** Steward routes for master records (mounted behind `autenticar` + `exigirPapel('gestor-cadastro')`). */
export function rotasPessoas({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router();

  router.post('/pessoas', async (req, res) => {
    const dados = await validarCorpo(CriarPessoaDto, req.body);
    const pessoa = await criarPessoa(dataSource, dados, contextoGestor(req));
    res.status(201).location(`/pessoas/${pessoa.cpf}`).json(pessoaParaJson(pessoa));
  });

  router.get('/pessoas/:cpf', async (req, res) => {
    const cpf = cpfDoParametro(req.params.cpf);
    const pessoa = await lerPessoa(dataSource, cpf, contextoGestor(req));
    if (!pessoa) throw new NaoEncontrado('Pessoa não encontrada no cadastro base');
    res.json(pessoaParaJson(pessoa));
  });

  return router;
}
