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
import { KeycloakAdminUsers } from '../api/src/keycloak-sync/keycloak-users.port.js';
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
});
