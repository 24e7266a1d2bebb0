/**
 * A profile edit racing with level writes is never undone (issue 12), against the slot's real Keycloak.
 *
 * The worker writes only the attributes the API owns through our provider's resource
 * (`/realms/{realm}/lum-sincronia/usuarios/{id}`); Keycloak's admin API has no narrower user write than a full PUT.
 * First the hazard, shown deterministically: a read-merge-PUT (what the worker did before) undoes an edit made
 * between its read and its write. Then 150 rounds where a level write and a profile edit hit the same user at the
 * same moment: after each round the user has the edit.
 */
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { KeycloakAdminUsers, UsuarioKeycloakNaoEncontrado } from '../api/src/keycloak-sync/keycloak-users.port.js';
import { KC_TEST } from './support/keycloak.js';
import { adminKeycloak } from './support/pilha.js';

let kc: KcAdminClient;
let worker: KeycloakAdminUsers;
let id: string;
const cpf = cpfAleatorio();

/** The citizen's edit as Keycloak's profile update makes it: name and e-mail, the attributes left as they are. */
async function editarPerfil(firstName: string): Promise<void> {
  await kc.users.update({ id }, { username: cpf, email: `${firstName.toLowerCase()}@perfil.test`, firstName, lastName: 'Perfil', enabled: true, emailVerified: false });
}

beforeAll(async () => {
  kc = await adminKeycloak();
  ({ id } = await kc.users.create({ username: cpf, email: `${cpf}@perfil.test`, firstName: 'Inicial', lastName: 'Perfil', enabled: true, attributes: { cpf: [cpf] } }));
  worker = new KeycloakAdminUsers({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret });
});

afterAll(async () => {
  await kc.users.del({ id }).catch(() => undefined);
});

describe('owned-attribute writes vs the citizen profile edits', () => {
  it('the hazard: a full-user read-merge-PUT undoes an edit made between its read and its write', async () => {
    const lido = (await kc.users.findOne({ id }))!;
    await editarPerfil('Editado');
    await kc.users.update({ id }, { ...lido, attributes: { ...lido.attributes, nivel_confianca: ['3'] } });
    expect((await kc.users.findOne({ id }))!.firstName).toBe('Inicial');
  });

  it('150 rounds of a level write racing a profile edit: no edit is ever undone', async () => {
    const desfeitos: string[] = [];
    for (let i = 0; i < 150; i++) {
      const nome = `Nome${i}`;
      await Promise.all([worker.gravarAtributos(id, { atributos: { nivel_confianca: String((i % 3) + 1) } }), editarPerfil(nome)]);
      const u = (await kc.users.findOne({ id }))!;
      if (u.firstName !== nome || u.email !== `${nome.toLowerCase()}@perfil.test` || u.attributes?.['cpf']?.[0] !== cpf) desfeitos.push(`${i}: ${u.firstName} ${u.email}`);
    }
    expect(desfeitos).toEqual([]);
    // The other direction is not ours to prevent: this edit is an admin-API PUT, which writes back every admin-editable
    // attribute it read, the level included (a citizen's own edit cannot: the level is read-only for users). The next
    // write of the worker — or the reconciliation — puts the level back.
    await worker.gravarAtributos(id, { atributos: { nivel_confianca: '3' } });
    expect((await kc.users.findOne({ id }))!.attributes).toMatchObject({ nivel_confianca: ['3'], cpf: [cpf] });
  });

  it('writing the same level twice changes nothing the second time; other attributes are refused, naming them', async () => {
    await worker.gravarAtributos(id, { atributos: { nivel_confianca: '2' } });
    expect(await worker.gravarAtributos(id, { atributos: { nivel_confianca: '2' } })).toEqual({ id, atributos: { nivel_confianca: '2' }, habilitado: true, alterado: false });
    await expect(worker.gravarAtributos(id, { atributos: { email: 'x@y.test' } })).rejects.toThrow('Atributo não pertence à API de cadastro: email (permitidos: dados_complementares, lastro, nivel_confianca)');
    const semToken = await fetch(`${KC_TEST.url}/realms/${KC_TEST.realm}/lum-sincronia/usuarios/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"atributos":{}}' });
    expect(semToken.status).toBe(401);
  });

  it('batch writes (the worker groups concurrent jobs): one result per user in order, a missing user fails alone, a bad batch writes nothing', async () => {
    kc = await adminKeycloak(); // a fresh admin token (the master realm's lasts 60 s; the rounds above may take longer)
    const cpf2 = cpfAleatorio();
    const { id: id2 } = await kc.users.create({ username: cpf2, email: `${cpf2}@perfil.test`, firstName: 'Segundo', lastName: 'Perfil', enabled: true, attributes: { cpf: [cpf2] } });
    try {
      const emLote = new KeycloakAdminUsers({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret, lote: { loteMax: 10, emVooMax: 1 } });
      await emLote.gravarAtributos(id, { atributos: { nivel_confianca: '1' } });
      const inexistente = '00000000-0000-4000-8000-000000000000';
      // the first call takes the only slot; the next three wait and leave together as one batch
      const [r0, r1, r2, r3] = await Promise.allSettled([
        emLote.gravarAtributos(id, { atributos: { nivel_confianca: '2' } }),
        emLote.gravarAtributos(id2, { atributos: { nivel_confianca: '3', lastro: null } }),
        emLote.gravarAtributos(inexistente, { atributos: { nivel_confianca: '3' } }),
        emLote.gravarAtributos(id, { atributos: { nivel_confianca: '2' } }),
      ]);
      expect(r0).toEqual({ status: 'fulfilled', value: { atributos: { nivel_confianca: '2' }, habilitado: true, alterado: true } });
      expect(r1).toEqual({ status: 'fulfilled', value: { atributos: { nivel_confianca: '3' }, habilitado: true, alterado: true } });
      expect(r2.status).toBe('rejected');
      expect((r2 as PromiseRejectedResult).reason).toBeInstanceOf(UsuarioKeycloakNaoEncontrado);
      expect(r3).toEqual({ status: 'fulfilled', value: { atributos: { nivel_confianca: '2' }, habilitado: true, alterado: false } });
      expect((await kc.users.findOne({ id: id2 }))!.attributes).toMatchObject({ nivel_confianca: ['3'], cpf: [cpf2] });

      // a batch with one bad item is refused whole, naming the item; nothing of it is written
      const token = (await kc.getAccessToken())!;
      const url = `${KC_TEST.url}/realms/${KC_TEST.realm}/lum-sincronia/usuarios/lote`;
      const ruim = await fetch(url, {
        method: 'POST', headers: { authorization: `Bearer ${await tokenLumApi()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ itens: [{ id: id2, atributos: { nivel_confianca: '1' } }, { id, atributos: { firstName: 'Outro' } }] }),
      });
      expect(ruim.status).toBe(400);
      expect(await ruim.json()).toEqual({ error: 'Bad Request', message: 'itens[1]: Atributo não pertence à API de cadastro: firstName (permitidos: dados_complementares, lastro, nivel_confianca)' });
      expect((await kc.users.findOne({ id: id2 }))!.attributes).toMatchObject({ nivel_confianca: ['3'] });
      expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"itens":[]}' })).status).toBe(401);
      // the realm admin of the tests (master realm) is not a bearer of this realm
      expect((await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"itens":[]}' })).status).toBe(401);
    } finally {
      await kc.users.del({ id: id2 }).catch(() => undefined);
    }
  });
});

/** A client_credentials token of the API's service account (realm-management/manage-users). */
async function tokenLumApi(): Promise<string> {
  const r = await fetch(`${KC_TEST.url}/realms/${KC_TEST.realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lum-api', client_secret: KC_TEST.apiClientSecret }),
  });
  return ((await r.json()) as { access_token: string }).access_token;
}
