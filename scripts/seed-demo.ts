/**
 * Demo data for `npm start` (idempotent: a second run changes nothing).
 *  - master records (pessoa) for a handful of fictitious people, written through the API's own service (audited);
 *  - a data steward in Keycloak, member of /servidores/cadastro-central/gestores (role gestor-cadastro);
 *  - a citizen account registered through Keycloak's real registration form, so the REGISTER event reaches the API
 *    and the account starts at level 1 exactly as a real one would.
 * Every CPF below has valid check digits and belongs to nobody on purpose. Dev passwords come from the environment.
 */
import 'reflect-metadata';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { keycloakRealmUrl, loadConfig } from '../api/src/config.js';
import { criarDataSource } from '../api/src/db/data-source.js';
import { Pessoa } from '../api/src/pessoas/pessoa.entity.js';
import { criarPessoa } from '../api/src/pessoas/pessoas.service.js';
import { discover, register } from './support/keycloak-forms.js';

const config = loadConfig();
const adminUser = process.env.KEYCLOAK_ADMIN ?? 'admin';
const adminPassword = process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin';
const senhaCidadao = process.env.LUM_DEMO_CIDADAO_PASSWORD ?? 'Cidadao@2026';
const senhaGestor = process.env.LUM_DEMO_GESTOR_PASSWORD ?? 'Gestor@2026';

const PESSOAS = [
  { cpf: '52998224725', nome: 'Maria Aparecida dos Santos', dataNascimento: '1980-05-17' },
  { cpf: '11144477735', nome: 'Ana Beatriz Ferreira', dataNascimento: '1985-09-02' },
  { cpf: '39053344705', nome: 'José Carlos de Oliveira', dataNascimento: '1958-11-30' },
  { cpf: '15350946056', nome: 'Francisca Lima Pereira', dataNascimento: '1992-03-08' },
  { cpf: '71460238001', nome: 'Antônio Ribeiro Costa', dataNascimento: '2001-07-21' },
];
const CIDADAO = { cpf: '52998224725', email: 'maria.santos@exemplo.sp.gov.br', firstName: 'Maria Aparecida', lastName: 'dos Santos' };
const GESTOR = { cpf: '11144477735', email: 'ana.ferreira@prefeitura.sp.gov.br', firstName: 'Ana Beatriz', lastName: 'Ferreira' };

async function main(): Promise<void> {
  const dataSource = criarDataSource({ url: config.databaseUrl, applicationName: 'lum-seed-demo' });
  await dataSource.initialize();
  try {
    let novas = 0;
    for (const p of PESSOAS) {
      if (await dataSource.getRepository(Pessoa).existsBy({ cpf: p.cpf })) continue;
      await criarPessoa(dataSource, p, { ator: 'carga-demo', cliente: null, finalidade: 'dados-de-demonstracao' });
      novas++;
    }
    console.log(`  cadastro base: ${novas} pessoas novas (${PESSOAS.length} no total da demo)`);

    const kc = new KcAdminClient({ baseUrl: config.keycloakUrl, realmName: 'master' });
    await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: adminUser, password: adminPassword });
    kc.setConfig({ realmName: config.keycloakRealm });

    const GRUPO_GESTORES = '/servidores/cadastro-central/gestores';
    if ((await kc.users.find({ username: GESTOR.cpf, exact: true })).length === 0) {
      const { id } = await kc.users.create({
        username: GESTOR.cpf, email: GESTOR.email, firstName: GESTOR.firstName, lastName: GESTOR.lastName,
        enabled: true, emailVerified: true, credentials: [{ type: 'password', value: senhaGestor, temporary: false }],
      });
      // Staff get their roles from groups (realm-export: /servidores/cadastro-central/gestores → gestor-cadastro,
      // /servidores → servidor), as the operators manage them; no direct role mapping.
      const resposta = await fetch(`${config.keycloakUrl}/admin/realms/${encodeURIComponent(config.keycloakRealm)}/group-by-path${GRUPO_GESTORES}`, {
        headers: { authorization: `Bearer ${kc.accessToken!}` },
      });
      if (!resposta.ok) throw new Error(`grupo ${GRUPO_GESTORES} ausente no realm (HTTP ${resposta.status}; rode npm run realm:apply)`);
      const alvo = (await resposta.json()) as { id: string };
      await kc.users.addToGroup({ id, groupId: alvo.id });
      console.log(`  gestor de dados criado: ${GESTOR.cpf} (grupo ${GRUPO_GESTORES})`);
    }

    if ((await kc.users.find({ username: CIDADAO.cpf, exact: true })).length === 0) {
      const portal = await discover(keycloakRealmUrl(config), 'portal-cidadao');
      const r = await register({
        config: portal, redirectUri: 'http://localhost:4000/callback',
        user: { cpf: CIDADAO.cpf, password: senhaCidadao, email: CIDADAO.email, firstName: CIDADAO.firstName, lastName: CIDADAO.lastName, dataNascimento: '1980-05-17' },
      });
      if (!r.ok) throw new Error('o cadastro do cidadão de demonstração falhou no formulário do Keycloak');
      console.log(`  cidadão registrado pelo formulário do Keycloak: ${CIDADAO.cpf} (nível 1 quando o evento chegar à API)`);
    }
  } finally {
    await dataSource.destroy();
  }
  console.log(`  realm: ${keycloakRealmUrl(config)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
