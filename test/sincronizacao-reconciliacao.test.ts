/**
 * The reconciliation against the slot's real Keycloak: drift in a user's level is repaired through the outbox, a
 * user deleted in Keycloak marks its account `excluida`, an account already right or with a change in flight is left
 * alone; the run is reported (its row) and audited (one row per repair).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KeycloakAdminUsers } from '../api/src/keycloak-sync/keycloak-users.port.js';
import { reconciliar } from '../api/src/keycloak-sync/reconciliar.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST } from './support/keycloak.js';
import { AdminRenovavel, adminServico, criarUsuarios, prepararContas, type UsuarioDeTeste } from './support/sincronia.js';

let db: TestDatabase;
let u: UsuarioDeTeste[];
const admin = new AdminRenovavel(adminServico);
// the realm holds every user the suite created (thousands): pages of full users take a while on a busy machine
const keycloak = new KeycloakAdminUsers({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret, timeoutMs: 60_000 });

beforeAll(async () => {
  db = await createTestDatabase();
  u = await criarUsuarios(admin, 4);
  await prepararContas(db.dataSource, u);
  // u[0]: right (level 1 in both); u[1]: drift (Keycloak says 3, the record 1); u[2]: user deleted in Keycloak;
  // u[3]: drift, but a change is in flight (pending outbox row): not drift yet
  await keycloak.gravarAtributos(u[0].id, { atributos: { nivel_confianca: '1' } });
  await keycloak.gravarAtributos(u[1].id, { atributos: { nivel_confianca: '3' } });
  await (await admin.get()).users.del({ id: u[2].id });
  await db.dataSource.query(`INSERT INTO sincronizacao_saida (conta_id, versao, motivo) VALUES ($1, 0, 'nivel')`, [u[3].id]);
});

afterAll(async () => {
  await db?.drop();
});

describe('reconciliation Keycloak × master record', () => {
  it('repairs drift through the outbox, marks accounts whose user is gone, reports and audits each repair', async () => {
    const r = await reconciliar({ dataSource: db.dataSource, keycloak, origem: 'teste' });
    expect(r).toEqual({
      id: expect.any(String),
      contasVerificadas: 4,
      emAndamento: 1,
      reparos: [
        { contaId: u[1].id, tipo: 'atributos', keycloak: { nivel_confianca: '3', lastro: null }, cadastro: { nivel_confianca: '1', lastro: null }, saidaId: expect.any(String) },
        { contaId: u[2].id, tipo: 'usuario-ausente', keycloak: { existe: false }, cadastro: { situacao: 'ativa' }, saidaId: null },
      ].sort((a, b) => (a.contaId < b.contaId ? -1 : 1)),
    });
    expect(await db.dataSource.query(`SELECT conta_id::text AS conta, motivo FROM sincronizacao_saida WHERE motivo = 'reconciliacao'`)).toEqual([{ conta: u[1].id, motivo: 'reconciliacao' }]);
    expect(await db.dataSource.query(`SELECT situacao FROM conta WHERE keycloak_user_id = $1`, [u[2].id])).toEqual([{ situacao: 'excluida' }]);
    const auditoria = await db.dataSource.query<Array<{ acao: string; conta: string }>>(
      `SELECT acao, detalhe->>'contaId' AS conta FROM auditoria WHERE ator = 'lum-api-reconciliacao' ORDER BY detalhe->>'contaId' COLLATE "C"`);
    expect(auditoria).toEqual(
      [{ acao: 'keycloak.reparo-reconciliacao', conta: u[1].id }, { acao: 'conta.excluida-reconciliacao', conta: u[2].id }].sort((a, b) => (a.conta < b.conta ? -1 : 1)),
    );
    expect(await db.dataSource.query(`SELECT origem, contas_verificadas, jsonb_array_length(reparos) AS n FROM reconciliacao`)).toEqual([{ origem: 'teste', contas_verificadas: 4, n: 2 }]);

    // a second run finds the repaired level in flight (its outbox row is pending) and repairs nothing again
    const segunda = await reconciliar({ dataSource: db.dataSource, keycloak, origem: 'teste' });
    expect({ verificadas: segunda.contasVerificadas, emAndamento: segunda.emAndamento, reparos: segunda.reparos }).toEqual({ verificadas: 3, emAndamento: 2, reparos: [] });
  });
});
