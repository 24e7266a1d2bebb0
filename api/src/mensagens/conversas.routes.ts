/**
 * Mensagens (issue 14): the threads between citizens and organs.
 *
 * Citizen (`rotasConversasCidadao`, mounted under `/me`, role `cidadao`):
 *   GET  /me/conversas                    the caller's threads
 *   POST /me/conversas                    { orgao, assunto, texto } — a new thread
 *   GET  /me/conversas/:id                one of the caller's threads (404 for any other id)
 *   POST /me/conversas/:id/mensagens      { texto }
 *   GET|PUT /me/aviso-email               { ativo } — the optional e-mail notice (default off)
 *
 * Staff (`rotasConversasOrgao`, behind the stewards' gate; scoped to the organs of the caller's steward roles):
 *   GET  /conversas[?situacao=nao-lidas]  threads addressed to the steward's organs
 *   GET  /conversas/:id                   one of them (a read of the citizen's data: audited, listed to the citizen)
 *   POST /conversas/:id/mensagens         { texto } — the answer; the citizen's optional e-mail notice is queued after the commit
 */
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { Proibido } from '../errors/proibido.error.js';
import { consulta } from '../http/cadastro-http.js';
import { contextoGestor } from '../http/contexto.js';
import { uuidDoParametro } from '../http/parametros.js';
import { validarCorpo } from '../validation/validar.js';
import { AvisoEmailDto, NovaConversaDto, NovaMensagemDto } from './conversa.dto.js';
import {
  abrirConversa, lerConversaDoCidadao, lerConversaDoOrgao, listarConversasDoCidadao, listarConversasDoOrgao, responderComoCidadao, responderComoOrgao,
} from './conversas.service.js';
import { definirAvisoEmail, lerAvisoEmail, type Avisos } from './avisos.js';

export function rotasConversasCidadao({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router();

  router.get('/conversas', async (req, res) => {
    consulta(req, []);
    res.json({ conversas: await listarConversasDoCidadao(dataSource, principalDe(req)) });
  });

  router.post('/conversas', async (req, res) => {
    consulta(req, []);
    const dto = await validarCorpo(NovaConversaDto, req.body);
    res.status(201).json(await abrirConversa(dataSource, principalDe(req), dto));
  });

  router.get('/conversas/:id', async (req, res) => {
    consulta(req, []);
    res.json(await lerConversaDoCidadao(dataSource, principalDe(req), uuidDoParametro(req.params.id, 'id')));
  });

  router.post('/conversas/:id/mensagens', async (req, res) => {
    consulta(req, []);
    const id = uuidDoParametro(req.params.id, 'id');
    const dto = await validarCorpo(NovaMensagemDto, req.body);
    res.status(201).json(await responderComoCidadao(dataSource, principalDe(req), id, dto.texto));
  });

  router.get('/aviso-email', async (req, res) => {
    consulta(req, []);
    res.json(await lerAvisoEmail(dataSource, principalDe(req)));
  });

  router.put('/aviso-email', async (req, res) => {
    consulta(req, []);
    const dto = await validarCorpo(AvisoEmailDto, req.body);
    res.json(await definirAvisoEmail(dataSource, principalDe(req), dto.ativo));
  });

  return router;
}

export function rotasConversasOrgao({ dataSource, avisos, logger }: { dataSource: DataSource; avisos: Avisos; logger: Logger }): Router {
  const router = Router();
  /** The organs whose threads the steward works (gestor-<órgão>, admin-cadastro → cadastro). */
  const orgaos = (req: Request) => {
    const o = principalDe(req).orgaos;
    if (o.length === 0) throw new Proibido('As mensagens dos cidadãos são dos gestores de um órgão (papéis gestor-<órgão>)');
    return o;
  };

  router.get('/conversas', async (req, res) => {
    const q = consulta(req, ['situacao']);
    if (q['situacao'] !== undefined && q['situacao'] !== 'nao-lidas' && q['situacao'] !== 'todas') {
      throw DadosInvalidos.campo('situacao', 'situacao deve ser nao-lidas ou todas');
    }
    res.json({ conversas: await listarConversasDoOrgao(dataSource, orgaos(req), contextoGestor(req), q['situacao'] === 'nao-lidas') });
  });

  router.get('/conversas/:id', async (req, res) => {
    consulta(req, []);
    res.json(await lerConversaDoOrgao(dataSource, uuidDoParametro(req.params.id, 'id'), orgaos(req), contextoGestor(req)));
  });

  router.post('/conversas/:id/mensagens', async (req, res) => {
    consulta(req, []);
    const id = uuidDoParametro(req.params.id, 'id');
    orgaos(req);
    const dto = await validarCorpo(NovaMensagemDto, req.body);
    const r = await responderComoOrgao(dataSource, id, principalDe(req), contextoGestor(req), dto.texto);
    // Best effort, after the commit: the answer stands whatever happens to the notice.
    await avisos.avisar(r.contaId, 'mensagem', `${id}-${r.conversa.mensagens}`, req.log ?? logger);
    res.status(201).json(r.conversa);
  });

  return router;
}
