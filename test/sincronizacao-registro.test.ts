/**
 * Keycloak → API, nothing lost (issue 12, fault (d)): the API and its worker stopped for 60 s while citizens register
 * through Keycloak's registration form, an operator deletes one user and disables another, and 1,000 level changes
 * wait in the outbox (the outage lasts 60 s, or longer when the 1,000 changes take longer on a busy machine). The listener cannot deliver (it gives up after ~7.5 s); Keycloak keeps its stored events;
 * after the restart the worker's recovery reads them. Every registered account is then in the API exactly once, the
 * operator's delete and disable are on the accounts, and the 1,000 levels are in Keycloak.
 *
 * A `stack` file: the API listens on the slot's fixed port (the listener posts there), and the recovery reads the
 * realm's events, which no other file may be producing meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Configuration } from 'openid-client';
import type { Config } from '../api/src/config.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { KeycloakAdminUsers } from '../api/src/keycloak-sync/keycloak-users.port.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST } from './support/keycloak.js';
import { eventually } from './support/eventually.js';
import { discover } from './support/oidc.js';
import { configDeTeste, pararPilha, registrarCidadao } from './support/pilha.js';
import { AdminRenovavel, adminServico, criarUsuarios, emParalelo, esperarConcluidas, mudarNiveis, prepararContas, type UsuarioDeTeste } from './support/sincronia.js';

const SENHA = 'Senha-de-teste-2026';
const N = 1000;
const admin = new AdminRenovavel(adminServico);

let db: TestDatabase;
let config: Config;
let api: ServidorIniciado | undefined;
let worker: WorkerIniciado | undefined;
let portal: Configuration;
let niveis: UsuarioDeTeste[] = [];

function registrar(): Promise<string> {
  const cpf = cpfAleatorio();
  return registrarCidadao(portal, { cpf, senha: SENHA, nome: 'Cidadã', sobrenome: 'Registro', dataNascimento: '1990-04-05' });
}

beforeAll(async () => {
  db = await createTestDatabase();
  config = configDeTeste(db.url, { EVENTOS_RECUPERACAO_INTERVALO_S: '2' });
  api = await iniciarServidor(config);
  worker = await iniciarWorker(config);
  portal = await discover('portal-cidadao');
  niveis = await criarUsuarios(admin, N);
  await prepararContas(db.dataSource, niveis);
}, 300_000);

afterAll(async () => {
  await pararPilha({ worker, api, db });
}, 300_000);

describe('(d) the API stopped for 60 s while citizens register', () => {
  it('every registered account reaches the API once, the operator\'s delete and disable too, and the 1,000 levels reach Keycloak', async () => {
    // before the outage: delivered by the listener
    const antes = await Promise.all([registrar(), registrar()]);
    await eventually(async () => expect((await db.dataSource.query(`SELECT 1 FROM conta WHERE keycloak_user_id = ANY($1::uuid[])`, [antes])).length).toBe(2), { timeoutMs: 30_000 });
    // …and their level 1 written to Keycloak before the outage: otherwise the worker may meet the user the operator
    // deletes below before the recovery has marked the account deleted (a dead letter; noted in the closing note)
    await eventually(async () => expect((await db.dataSource.query(
      `SELECT 1 FROM sincronizacao_saida WHERE conta_id = ANY($1::uuid[]) AND situacao = 'concluida'`, [antes])).length).toBe(2), { timeoutMs: 30_000 });

    await worker!.parar();
    await api!.parar();
    worker = api = undefined;
    const paradoEm = Date.now();

    // during the outage: 1,000 level changes (into the outbox), 20 registrations through the form, an operator's
    // delete and disable in the admin API
    const mudancas = mudarNiveis(db.dataSource, niveis);
    const durante: string[] = [];
    for (let i = 0; i < 20; i++) {
      durante.push(await registrar());
      await new Promise((r) => setTimeout(r, 1000));
    }
    const kc = await admin.get();
    await kc.users.del({ id: antes[0] });
    await kc.users.update({ id: antes[1] }, { enabled: false });
    await mudancas;
    const [semApi] = await db.dataSource.query<Array<{ contas: number; concluidas: number }>>(
      `SELECT (SELECT count(*) FROM conta WHERE keycloak_user_id = ANY($1::uuid[]))::int AS contas, (SELECT count(*) FROM sincronizacao_saida WHERE situacao = 'concluida' AND motivo = 'nivel')::int AS concluidas`,
      [durante],
    );
    expect(semApi).toEqual({ contas: 0, concluidas: 0 });
    await new Promise((r) => setTimeout(r, Math.max(0, paradoEm + 60_000 - Date.now())));

    api = await iniciarServidor(config);
    worker = await iniciarWorker(config);

    await eventually(async () => expect((await db.dataSource.query(`SELECT 1 FROM conta WHERE keycloak_user_id = ANY($1::uuid[])`, [durante])).length).toBe(20), { timeoutMs: 60_000 });
    await esperarConcluidas(db.dataSource, N + 2 + 20, 600_000);

    // every account once, each REGISTER applied once, the 20 of the outage by the recovery
    const registros = await db.dataSource.query<Array<{ user_id: string; recuperado: boolean }>>(
      `SELECT user_id::text, COALESCE((payload->>'recuperado')::boolean, false) AS recuperado FROM evento_keycloak WHERE tipo = 'REGISTER' AND user_id::text = ANY($1::text[])`,
      [[...antes, ...durante]],
    );
    expect(registros.length).toBe(22);
    expect(new Set(registros.map((r) => r.user_id)).size).toBe(22);
    expect(registros.filter((r) => durante.includes(r.user_id)).every((r) => r.recuperado)).toBe(true);
    // the operator's actions
    await eventually(async () => {
      const contas = await db.dataSource.query<Array<{ id: string; situacao: string; desativada_no_keycloak: boolean }>>(
        `SELECT keycloak_user_id::text AS id, situacao, desativada_no_keycloak FROM conta WHERE keycloak_user_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], keycloak_user_id)`,
        [antes],
      );
      expect(contas).toEqual([
        { id: antes[0], situacao: 'excluida', desativada_no_keycloak: false },
        { id: antes[1], situacao: 'ativa', desativada_no_keycloak: true },
      ]);
    }, { timeoutMs: 30_000 });
    // the levels: the 20 new accounts at 1, the 1,000 at 3
    const leitor = new KeycloakAdminUsers({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret });
    const nivel = async (id: string) => (await leitor.buscarUsuario(id))?.attributes?.['nivel_confianca']?.[0] as string | undefined;
    const nosNovos = await emParalelo(durante, 8, nivel);
    expect(nosNovos).toEqual(durante.map(() => '1'));
    const nosMil = await emParalelo(niveis, 8, (u) => nivel(u.id));
    expect(nosMil.filter((n) => n === '3').length).toBe(N);
    const [dlq] = await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM sincronizacao_falha`);
    expect(dlq.n).toBe(0);
  }, 1_200_000);
});
