/**
 * `realm:apply`: bring the running realm to the desired document (normalised git file, placeholders resolved)
 * through the admin REST API. Reads the realm first and writes only what differs, resource by resource, so a second
 * run makes no write at all (`Conexao.escritas()` stays 0). Comparisons look only at the keys the desired document
 * holds, so a hand-written minimal entry in git converges too (then `realm:export` fills in the server's defaults).
 *
 * Managed: realm settings (incl. smtp, events, themes, password and brute-force policies, attributes), user profile,
 * required actions, custom authentication flows, client scopes and their mappers, realm roles and composites,
 * clients (settings, secret, mappers, default/optional scopes, roles, scope mappings, service-account roles),
 * groups (tree, attributes, role mappings), identity providers and their mappers, realm default scopes, client
 * policies/profiles. Extra clients, scopes, roles, groups, mappers and IdPs on the server are DELETED (built-in
 * clients are never touched). Users other than service accounts are data and are left alone.
 */
import { ErroApi, lerRealm, realmExiste, type Conexao } from './keycloak.js';
import { CLIENTES_EMBUTIDOS, comoTexto, isObj, upCanonico, UP_CHAVE, UP_COMPONENTE, type Json, type Obj } from './normalizar.js';
import type { Saida } from './cli.js';

/** Top-level keys that are not plain realm settings (each has its own endpoint). */
const SECOES = new Set([
  'clients', 'clientScopes', 'roles', 'groups', 'identityProviders', 'identityProviderMappers', 'authenticationFlows',
  'authenticatorConfig', 'requiredActions', 'users', 'scopeMappings', 'clientScopeMappings', 'components',
  'defaultDefaultClientScopes', 'defaultOptionalClientScopes', 'defaultRole', 'clientPolicies', 'clientProfiles',
  'defaultGroups', 'realm',
]);

const igual = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Keys of `desejado` whose value differs in `atual` (maps compared key by key one level down, e.g. attributes). */
function camposDiferentes(desejado: Obj, atual: Obj | undefined, ignorar: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(desejado)) {
    if (ignorar.includes(k)) continue;
    const a = atual?.[k];
    if (isObj(v) && isObj(a) && k !== 'config') {
      // `attributes` maps are owned whole (an extra key on the server is drift); other maps compare the keys given
      if (Object.entries(v).some(([kk, vv]) => !igual(vv, a[kk])) || (k === 'attributes' && Object.keys(a).some((kk) => !(kk in v)))) out.push(k);
    } else if (!igual(v, a)) out.push(k);
  }
  return out;
}

const lista = (v: Json | undefined): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
/** Default client scopes a stock realm gives its built-in clients. */
const ESCOPOS_PADRAO_EMBUTIDOS = ['acr', 'basic', 'email', 'profile', 'roles', 'web-origins'];
const nomes = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const enc = encodeURIComponent;

export interface ResultadoAplicar {
  alteracoes: string[];
}

/** What the steps of `aplicar` share: the connection, the git file, the server's realm, ids read from the server, the log. */
interface Contexto {
  k: Conexao;
  desejado: Obj;
  atual: Obj;
  mudou: (s: string) => void;
  /** clientId → id on the server (kept up to date as clients are created and removed). */
  idCliente: Map<string, string>;
  /** client scope name → id, as last read from the server. */
  idEscopo: () => Map<string, string>;
  recarregarEscopos: () => Promise<void>;
  /** The representation of a realm role (`cliente` null) or of a client role. */
  papelRep: (cliente: string | null, nome: string) => Promise<Obj>;
}

export async function aplicar(k: Conexao, desejado: Obj, s: Saida): Promise<ResultadoAplicar> {
  const alteracoes: string[] = [];
  const mudou = (o: string) => {
    alteracoes.push(o);
    s.log(`  ${o}`);
  };

  if (!(await realmExiste(k))) {
    await k.api('POST', '/admin/realms', desejado);
    mudou(`realm ${comoTexto(desejado['realm'])} criado a partir do arquivo`);
    await repararClientesEmbutidos(k, mudou);
    return { alteracoes };
  }
  const atual = await lerRealm(k);
  const ctx = await contexto(k, desejado, atual, mudou);

  // The order matters: what a step links must exist before it.
  await aplicarEscoposDeCliente(ctx);
  await aplicarPapeisDoRealm(ctx);
  await aplicarClientes(ctx);
  await repararClientesEmbutidos(k, mudou);
  await removerClientesForaDoGit(ctx);
  await aplicarPapeisDeClientes(ctx);
  await aplicarCompostosDosPapeisDoRealm(ctx);
  await removerPapeisDoRealmForaDoGit(ctx);
  await removerEscoposForaDoGit(ctx);
  await aplicarAcoesObrigatorias(ctx);
  await reconciliarFluxos(k, desejado, atual, mudou);
  await aplicarConfiguracoesDoRealm(ctx);
  await aplicarPerfilDeUsuario(ctx);
  await aplicarEscoposPadraoDoRealm(ctx);
  await aplicarMapeamentosDeEscopo(ctx);
  await aplicarPapeisDasContasDeServico(ctx);
  await reconciliarGrupos(k, lista(desejado['groups']), lista(atual['groups']), null, '', ctx.papelRep, mudou, 'groups' in desejado);
  await aplicarGruposPadrao(ctx);
  await reconciliarIdps(k, desejado, atual, mudou);
  await aplicarPoliticasDeCliente(ctx);
  return { alteracoes };
}

/** The ids of the server's clients and client scopes, looked up once per kind. */
async function contexto(k: Conexao, desejado: Obj, atual: Obj, mudou: (s: string) => void): Promise<Contexto> {
  const clientesSrv = await k.api<Obj[]>('GET', '/clients?max=10000');
  const idCliente = new Map(clientesSrv.map((c) => [comoTexto(c['clientId']), comoTexto(c['id'])]));
  let escoposSrv = await k.api<Obj[]>('GET', '/client-scopes');
  return {
    k, desejado, atual, mudou, idCliente,
    idEscopo: () => new Map(escoposSrv.map((c) => [comoTexto(c['name']), comoTexto(c['id'])])),
    recarregarEscopos: async () => {
      escoposSrv = await k.api<Obj[]>('GET', '/client-scopes');
    },
    papelRep: async (cliente, nome) =>
      cliente === null ? k.api<Obj>('GET', `/roles/${enc(nome)}`) : k.api<Obj>('GET', `/clients/${idCliente.get(cliente)!}/roles/${enc(nome)}`),
  };
}

/** Client scopes and their mappers (before the clients, which link them); then the ids are read again. */
async function aplicarEscoposDeCliente(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idEscopo } = ctx;
  const escAtual = new Map(lista(atual['clientScopes']).map((e) => [comoTexto(e['name']), e]));
  for (const e of lista(desejado['clientScopes'])) {
    const nome = comoTexto(e['name']);
    const a = escAtual.get(nome);
    if (!a) {
      await k.api('POST', '/client-scopes', e);
      mudou(`clientScopes[${nome}] criado`);
      continue;
    }
    const id = idEscopo().get(nome)!;
    const campos = camposDiferentes(e, a, ['protocolMappers']);
    if (campos.length) {
      await k.api('PUT', `/client-scopes/${id}`, { ...a, ...e, protocolMappers: undefined, id });
      mudou(`clientScopes[${nome}] atualizado (${campos.join(', ')})`);
    }
    await reconciliarMapeadores(k, `/client-scopes/${id}`, lista(e['protocolMappers']), lista(a['protocolMappers']), `clientScopes[${nome}]`, mudou, true);
  }
  await ctx.recarregarEscopos();
}

/** Realm roles, without their composites (which may point at client roles created later). */
async function aplicarPapeisDoRealm(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const papeisAtuais = new Map(lista((atual['roles'] as Obj | undefined)?.['realm']).map((r) => [comoTexto(r['name']), r]));
  const papeisDesejados = lista((desejado['roles'] as Obj | undefined)?.['realm']);
  for (const r of papeisDesejados) {
    const nome = comoTexto(r['name']);
    const a = papeisAtuais.get(nome);
    const basico: Obj = { name: nome, description: r['description'] ?? null, attributes: r['attributes'] ?? {} };
    if (!a) {
      await k.api('POST', '/roles', basico);
      mudou(`roles.realm[${nome}] criado`);
    } else if (camposDiferentes({ description: basico['description']!, attributes: basico['attributes']! }, a).length) {
      await k.api('PUT', `/roles/${enc(nome)}`, basico);
      mudou(`roles.realm[${nome}] atualizado`);
    }
  }
}

/** Clients: created, or updated where they differ (attributes absent from git removed), with their mappers and scopes. */
async function aplicarClientes(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idCliente, idEscopo } = ctx;
  const clAtual = new Map(lista(atual['clients']).map((c) => [comoTexto(c['clientId']), c]));
  for (const c of lista(desejado['clients'])) {
    const cid = comoTexto(c['clientId']);
    const a = clAtual.get(cid);
    const semSub: Obj = { ...c };
    for (const x of ['protocolMappers', 'defaultClientScopes', 'optionalClientScopes']) delete semSub[x];
    if (!a) {
      await k.api('POST', '/clients', semSub);
      mudou(`clients[${cid}] criado`);
      const novo = (await k.api<Obj[]>('GET', `/clients?clientId=${enc(cid)}`))[0];
      idCliente.set(cid, comoTexto(novo['id']));
      // start from what Keycloak attached on creation (realm default scopes), then reconcile below
      await reconciliarMapeadores(k, `/clients/${comoTexto(novo['id'])}`, lista(c['protocolMappers']), [], `clients[${cid}]`, mudou, true);
      const lido = await lerCliente(k, comoTexto(novo['id']));
      await reconciliarEscoposCliente(k, comoTexto(novo['id']), c, lido, idEscopo(), cid, mudou);
      continue;
    }
    const id = idCliente.get(cid)!;
    const campos = camposDiferentes(semSub, a);
    if (campos.length) {
      const corpo: Obj = { ...a, ...semSub, id };
      delete corpo['protocolMappers'];
      delete corpo['defaultClientScopes'];
      delete corpo['optionalClientScopes'];
      // attributes absent from git are removed (Keycloak removes an attribute sent as empty)
      if (isObj(semSub['attributes']) && isObj(a['attributes'])) {
        const at: Obj = { ...semSub['attributes'] };
        for (const chave of Object.keys(a['attributes'])) if (!(chave in at)) at[chave] = '';
        corpo['attributes'] = at;
      }
      await k.api('PUT', `/clients/${id}`, corpo);
      mudou(`clients[${cid}] atualizado (${campos.map((x) => (x === 'secret' ? 'secret (valor não exibido)' : x)).join(', ')})`);
    }
    await reconciliarMapeadores(k, `/clients/${id}`, lista(c['protocolMappers']), lista(a['protocolMappers']), `clients[${cid}]`, mudou, true);
    // an update of a service-account client makes Keycloak attach its `service_account` scope again: compare the
    // scopes as they are after the PUT
    await reconciliarEscoposCliente(k, id, c, campos.length ? await lerCliente(k, id) : a, idEscopo(), cid, mudou);
  }
}

/** Clients on the server that git does not have (built-in clients excepted). */
async function removerClientesForaDoGit(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idCliente } = ctx;
  const clAtual = new Map(lista(atual['clients']).map((c) => [comoTexto(c['clientId']), c]));
  for (const [cid] of clAtual) {
    if (!lista(desejado['clients']).some((c) => c['clientId'] === cid) && !CLIENTES_EMBUTIDOS.includes(cid)) {
      await k.api('DELETE', `/clients/${idCliente.get(cid)!}`);
      mudou(`clients[${cid}] removido (não está no git)`);
      idCliente.delete(cid);
    }
  }
}

/** Client roles: created, updated, and removed when not in git. */
async function aplicarPapeisDeClientes(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idCliente } = ctx;
  const crDesejados = ((desejado['roles'] as Obj | undefined)?.['client'] as Obj | undefined) ?? {};
  const crAtuais = ((atual['roles'] as Obj | undefined)?.['client'] as Obj | undefined) ?? {};
  for (const cid of new Set([...Object.keys(crDesejados), ...Object.keys(crAtuais)])) {
    const id = idCliente.get(cid);
    if (!id) continue;
    const des = lista(crDesejados[cid]);
    const at = new Map(lista(crAtuais[cid]).map((r) => [comoTexto(r['name']), r]));
    for (const r of des) {
      const nome = comoTexto(r['name']);
      const basico: Obj = { name: nome, description: r['description'] ?? null, attributes: r['attributes'] ?? {} };
      const a = at.get(nome);
      if (!a) {
        await k.api('POST', `/clients/${id}/roles`, basico);
        mudou(`roles.client[${cid}][${nome}] criado`);
      } else if (camposDiferentes({ description: basico['description']!, attributes: basico['attributes']! }, a).length) {
        await k.api('PUT', `/clients/${id}/roles/${enc(nome)}`, basico);
        mudou(`roles.client[${cid}][${nome}] atualizado`);
      }
    }
    for (const nome of at.keys()) {
      if (!des.some((r) => r['name'] === nome)) {
        await k.api('DELETE', `/clients/${id}/roles/${enc(nome)}`);
        mudou(`roles.client[${cid}][${nome}] removido (não está no git)`);
      }
    }
  }
}

/** Realm roles' composites, once every role they may name exists. */
async function aplicarCompostosDosPapeisDoRealm(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, papelRep } = ctx;
  const papeisAtuais = new Map(lista((atual['roles'] as Obj | undefined)?.['realm']).map((r) => [comoTexto(r['name']), r]));
  const papeisDesejados = lista((desejado['roles'] as Obj | undefined)?.['realm']);
  for (const r of papeisDesejados) {
    const nome = comoTexto(r['name']);
    const a = papeisAtuais.get(nome);
    const compD = (r['composites'] as Obj | undefined) ?? {};
    const compA = (a?.['composites'] as Obj | undefined) ?? {};
    await reconciliarPapeis(k, `/roles/${enc(nome)}/composites`, compD, compA, papelRep, `roles.realm[${nome}].composites`, mudou);
  }
}

/** Realm roles on the server that git does not have. */
async function removerPapeisDoRealmForaDoGit(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const papeisAtuais = new Map(lista((atual['roles'] as Obj | undefined)?.['realm']).map((r) => [comoTexto(r['name']), r]));
  const papeisDesejados = lista((desejado['roles'] as Obj | undefined)?.['realm']);
  for (const nome of papeisAtuais.keys()) {
    if (!papeisDesejados.some((r) => r['name'] === nome)) {
      await k.api('DELETE', `/roles/${enc(nome)}`);
      mudou(`roles.realm[${nome}] removido (não está no git)`);
    }
  }
}

/** Client scopes on the server that git does not have; then the ids are read again. */
async function removerEscoposForaDoGit(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idEscopo } = ctx;
  const escAtual = new Map(lista(atual['clientScopes']).map((e) => [comoTexto(e['name']), e]));
  for (const nome of escAtual.keys()) {
    if (!lista(desejado['clientScopes']).some((e) => e['name'] === nome)) {
      await k.api('DELETE', `/client-scopes/${idEscopo().get(nome)!}`);
      mudou(`clientScopes[${nome}] removido (não está no git)`);
    }
  }
  await ctx.recarregarEscopos();
}

/** Required actions: registered, or updated where they differ. */
async function aplicarAcoesObrigatorias(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const raAtuais = new Map(lista(atual['requiredActions']).map((r) => [comoTexto(r['alias']), r]));
  for (const ra of lista(desejado['requiredActions'])) {
    const alias = comoTexto(ra['alias']);
    const a = raAtuais.get(alias);
    if (!a) {
      await k.api('POST', '/authentication/register-required-action', { providerId: ra['providerId'], name: ra['name'] });
      await k.api('PUT', `/authentication/required-actions/${enc(alias)}`, ra);
      mudou(`requiredActions[${alias}] registrada`);
    } else if (camposDiferentes(ra, a).length) {
      await k.api('PUT', `/authentication/required-actions/${enc(alias)}`, { ...a, ...ra });
      mudou(`requiredActions[${alias}] atualizada (${camposDiferentes(ra, a).join(', ')})`);
    }
  }
}

/** The realm's own settings (everything outside the sections above), in one PUT; the SMTP password is write-only. */
async function aplicarConfiguracoesDoRealm(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const config: Obj = {};
  const camposRealm: string[] = [];
  for (const [chave, v] of Object.entries(desejado)) {
    if (SECOES.has(chave)) continue;
    const a = atual[chave];
    if (chave === 'smtpServer' && isObj(v) && isObj(a)) {
      const alvo = { ...v };
      if (a['password'] === '**********' && alvo['password'] === undefined) alvo['password'] = a['password'];
      if (!igual(alvo, { ...a })) {
        config[chave] = v;
        camposRealm.push(chave);
      }
      continue;
    }
    if (chave === 'attributes' && isObj(v)) {
      const at = isObj(a) ? a : {};
      if (Object.entries(v).some(([kk, vv]) => !igual(vv, at[kk]))) {
        config[chave] = v;
        camposRealm.push(chave);
      }
      continue;
    }
    if (!igual(v, a)) {
      config[chave] = v;
      camposRealm.push(chave);
    }
  }
  if (camposRealm.length) {
    await k.api('PUT', '', config);
    mudou(`configurações do realm: ${camposRealm.join(', ')}`);
  }
}

/** The declarative user profile. */
async function aplicarPerfilDeUsuario(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const upD = textoUp(desejado);
  const upA = textoUp(atual);
  if (upD !== null && upD !== upA) {
    await k.api('PUT', '/users/profile', JSON.parse(upD));
    mudou('perfil de usuário (users/profile) atualizado');
  }
}

/** The realm's default and optional client scopes. */
async function aplicarEscoposPadraoDoRealm(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idEscopo } = ctx;
  for (const [chave, caminho] of [['defaultDefaultClientScopes', 'default-default-client-scopes'], ['defaultOptionalClientScopes', 'default-optional-client-scopes']] as const) {
    if (!(chave in desejado)) continue;
    const d = nomes(desejado[chave]);
    const a = nomes(atual[chave]);
    for (const n of d.filter((x) => !a.includes(x))) {
      await k.api('PUT', `/${caminho}/${idEscopo().get(n)!}`);
      mudou(`${chave} + ${n}`);
    }
    for (const n of a.filter((x) => !d.includes(x))) {
      await k.api('DELETE', `/${caminho}/${idEscopo().get(n)!}`);
      mudou(`${chave} − ${n}`);
    }
  }
}

/** Scope mappings (realm roles → clients / client scopes) and client scope mappings (client roles → …). */
async function aplicarMapeamentosDeEscopo(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idCliente, idEscopo, papelRep } = ctx;
  const alvoEscopo = (m: Obj): string | null =>
    typeof m['client'] === 'string' ? (idCliente.has(m['client']) ? `/clients/${idCliente.get(m['client'])!}` : null) : idEscopo().has(comoTexto(m['clientScope'])) ? `/client-scopes/${idEscopo().get(comoTexto(m['clientScope']))!}` : null;
  const rotuloAlvo = (m: Obj) => comoTexto(m['client'] ?? m['clientScope']);
  if ('scopeMappings' in desejado) {
    const d = lista(desejado['scopeMappings']);
    const a = lista(atual['scopeMappings']);
    const chaves = new Set([...d, ...a].map(rotuloAlvo));
    for (const ch of chaves) {
      const md = d.find((m) => rotuloAlvo(m) === ch);
      const ma = a.find((m) => rotuloAlvo(m) === ch);
      const alvo = alvoEscopo((md ?? ma)!);
      if (!alvo) continue;
      await reconciliarPapeis(k, `${alvo}/scope-mappings/realm`, { realm: md?.['roles'] ?? [] }, { realm: ma?.['roles'] ?? [] }, papelRep, `scopeMappings[${ch}]`, mudou);
    }
  }
  if ('clientScopeMappings' in desejado) {
    const d = (desejado['clientScopeMappings'] as Obj | undefined) ?? {};
    const a = (atual['clientScopeMappings'] as Obj | undefined) ?? {};
    for (const dono of new Set([...Object.keys(d), ...Object.keys(a)])) {
      if (!idCliente.has(dono)) continue;
      const ld = lista(d[dono]);
      const la = lista(a[dono]);
      for (const ch of new Set([...ld, ...la].map(rotuloAlvo))) {
        const md = ld.find((m) => rotuloAlvo(m) === ch);
        const ma = la.find((m) => rotuloAlvo(m) === ch);
        const alvo = alvoEscopo((md ?? ma)!);
        if (!alvo || (ma && !md && CLIENTES_EMBUTIDOS.includes(ch))) continue;
        await reconciliarPapeis(k, `${alvo}/scope-mappings/clients/${idCliente.get(dono)!}`, { client: { [dono]: md?.['roles'] ?? [] } }, { client: { [dono]: ma?.['roles'] ?? [] } }, papelRep, `clientScopeMappings[${dono}][${ch}]`, mudou, true);
      }
    }
  }
}

/** Service accounts' realm and client roles. */
async function aplicarPapeisDasContasDeServico(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou, idCliente, papelRep } = ctx;
  for (const u of lista(desejado['users'])) {
    const cid = comoTexto(u['serviceAccountClientId']);
    const id = idCliente.get(cid);
    if (!id) continue;
    const a = lista(atual['users']).find((x) => x['serviceAccountClientId'] === cid);
    const sa = await k.api<Obj>('GET', `/clients/${id}/service-account-user`);
    const ud = `/users/${comoTexto(sa['id'])}/role-mappings`;
    await reconciliarPapeis(k, ud, { realm: u['realmRoles'] ?? nomes(a?.['realmRoles']), client: u['clientRoles'] ?? {} }, { realm: a?.['realmRoles'] ?? [], client: a?.['clientRoles'] ?? {} }, papelRep, `users[${comoTexto(u['username'])}]`, mudou, true);
  }
}

/** Default groups (new accounts join them), by path. */
async function aplicarGruposPadrao(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  const d = nomes(desejado['defaultGroups']);
  const a = nomes(atual['defaultGroups']);
  for (const g of d.filter((x) => !a.includes(x))) {
    const grupo = await k.api<Obj>('GET', `/group-by-path/${g.split('/').filter(Boolean).map(enc).join('/')}`);
    await k.api('PUT', `/default-groups/${comoTexto(grupo['id'])}`);
    mudou(`defaultGroups + ${g}`);
  }
  for (const g of a.filter((x) => !d.includes(x))) {
    const grupo = await k.api<Obj | undefined>('GET', `/group-by-path/${g.split('/').filter(Boolean).map(enc).join('/')}`, undefined, { opcional: true });
    if (grupo) await k.api('DELETE', `/default-groups/${comoTexto(grupo['id'])}`);
    mudou(`defaultGroups − ${g}`);
  }
}

/** Client policies and profiles. */
async function aplicarPoliticasDeCliente(ctx: Contexto): Promise<void> {
  const { k, desejado, atual, mudou } = ctx;
  for (const [chave, caminho] of [['clientProfiles', 'profiles'], ['clientPolicies', 'policies']] as const) {
    if (chave in desejado && !igual(desejado[chave], atual[chave])) {
      await k.api('PUT', `/client-policies/${caminho}`, desejado[chave]);
      mudou(`${chave} atualizado`);
    }
  }
}

function textoUp(doc: Obj): string | null {
  const c = (doc['components'] as Obj | undefined)?.[UP_COMPONENTE];
  const up = lista(c)[0];
  const t = up && isObj(up['config']) ? nomes(up['config'][UP_CHAVE])[0] : undefined;
  return t ? upCanonico(t) : null;
}

async function lerCliente(k: Conexao, id: string): Promise<Obj> {
  const c = await k.api<Obj>('GET', `/clients/${id}`);
  c['defaultClientScopes'] = (await k.api<Obj[]>('GET', `/clients/${id}/default-client-scopes`)).map((e) => e['name']!);
  c['optionalClientScopes'] = (await k.api<Obj[]>('GET', `/clients/${id}/optional-client-scopes`)).map((e) => e['name']!);
  return c;
}

async function reconciliarMapeadores(k: Conexao, base: string, desejados: Obj[], atuais: Obj[], rotulo: string, mudou: (s: string) => void, gerenciar: boolean): Promise<void> {
  if (!gerenciar) return;
  const srv = atuais.length ? await k.api<Obj[]>('GET', `${base}/protocol-mappers/models`) : [];
  const idDe = new Map(srv.map((m) => [comoTexto(m['name']), comoTexto(m['id'])]));
  for (const m of desejados) {
    const nome = comoTexto(m['name']);
    const a = atuais.find((x) => x['name'] === nome);
    if (!a) {
      await k.api('POST', `${base}/protocol-mappers/models`, m);
      mudou(`${rotulo}.protocolMappers[${nome}] criado`);
    } else if (!igual(m, a)) {
      const id = idDe.get(nome)!;
      if (a['protocolMapper'] !== m['protocolMapper']) {
        await k.api('DELETE', `${base}/protocol-mappers/models/${id}`);
        await k.api('POST', `${base}/protocol-mappers/models`, m);
      } else await k.api('PUT', `${base}/protocol-mappers/models/${id}`, { ...m, id });
      mudou(`${rotulo}.protocolMappers[${nome}] atualizado`);
    }
  }
  for (const a of atuais) {
    if (!desejados.some((m) => m['name'] === a['name'])) {
      await k.api('DELETE', `${base}/protocol-mappers/models/${idDe.get(comoTexto(a['name']))!}`);
      mudou(`${rotulo}.protocolMappers[${comoTexto(a['name'])}] removido (não está no git)`);
    }
  }
}

/**
 * Keycloak's built-in clients (account-console…) are created before an import's client scopes exist, so a realm
 * imported from our file leaves them with no default scopes: the account console's tokens then lack the account
 * roles and its REST calls get 403. They are not managed from git (not exported, not diffed), but apply gives them
 * the stock default scopes they lack — it never removes any.
 */
async function repararClientesEmbutidos(k: Conexao, mudou: (s: string) => void): Promise<void> {
  const escopos = new Map((await k.api<Obj[]>('GET', '/client-scopes')).map((c) => [comoTexto(c['name']), comoTexto(c['id'])]));
  const clientes = await k.api<Obj[]>('GET', '/clients?max=10000');
  // realm-management is bearer-only and protected (Keycloak answers 403 to any change of it).
  for (const c of clientes.filter((x) => CLIENTES_EMBUTIDOS.includes(comoTexto(x['clientId'])) && x['clientId'] !== 'realm-management')) {
    const id = comoTexto(c['id']);
    const tem = (await k.api<Obj[]>('GET', `/clients/${id}/default-client-scopes`)).map((e) => comoTexto(e['name']));
    for (const n of ESCOPOS_PADRAO_EMBUTIDOS.filter((x) => !tem.includes(x) && escopos.has(x))) {
      await k.api('PUT', `/clients/${id}/default-client-scopes/${escopos.get(n)!}`);
      mudou(`clients[${comoTexto(c['clientId'])}].defaultClientScopes + ${n} (cliente embutido do Keycloak)`);
    }
  }
}

async function reconciliarEscoposCliente(k: Conexao, id: string, c: Obj, a: Obj, idEscopo: Map<string, string>, cid: string, mudou: (s: string) => void): Promise<void> {
  for (const [chave, caminho] of [['defaultClientScopes', 'default-client-scopes'], ['optionalClientScopes', 'optional-client-scopes']] as const) {
    if (!(chave in c)) continue;
    const d = nomes(c[chave]);
    const at = nomes(a[chave]);
    for (const n of d.filter((x) => !at.includes(x))) {
      const eid = idEscopo.get(n);
      if (!eid) throw new Error(`clients[${cid}].${chave}: o client scope ${n} não existe`);
      await k.api('PUT', `/clients/${id}/${caminho}/${eid}`);
      mudou(`clients[${cid}].${chave} + ${n}`);
    }
    for (const n of at.filter((x) => !d.includes(x))) {
      await k.api('DELETE', `/clients/${id}/${caminho}/${idEscopo.get(n)!}`);
      mudou(`clients[${cid}].${chave} − ${n}`);
    }
  }
}

/**
 * Role sets in the export shape `{realm: [names], client: {clientId: [names]}}` reconciled through an endpoint
 * that takes role representations: `<base>` (realm roles, composites) or `<base>/clients/<id>` for client roles.
 */
async function reconciliarPapeis(
  k: Conexao, base: string, desejado: Obj, atual: Obj,
  papelRep: (cliente: string | null, nome: string) => Promise<Obj>, rotulo: string, mudou: (s: string) => void, porCliente = false,
): Promise<void> {
  const realmD = nomes(desejado['realm']);
  const realmA = nomes(atual['realm']);
  const ajustar = async (cliente: string | null, d: string[], a: string[], url: string) => {
    const mais = d.filter((x) => !a.includes(x));
    const menos = a.filter((x) => !d.includes(x));
    if (mais.length) {
      await k.api('POST', url, await Promise.all(mais.map((n) => papelRep(cliente, n))));
      mudou(`${rotulo} + ${mais.map((n) => (cliente ? `${cliente}/${n}` : n)).join(', ')}`);
    }
    if (menos.length) {
      await k.api('DELETE', url, await Promise.all(menos.map((n) => papelRep(cliente, n))));
      mudou(`${rotulo} − ${menos.map((n) => (cliente ? `${cliente}/${n}` : n)).join(', ')}`);
    }
  };
  const realmUrl = base.endsWith('/composites') || base.includes('/scope-mappings/') ? base : `${base}/realm`;
  if ('realm' in desejado) await ajustar(null, realmD, realmA, realmUrl);
  const cD = (desejado['client'] as Obj | undefined) ?? {};
  const cA = (atual['client'] as Obj | undefined) ?? {};
  for (const cliente of new Set([...Object.keys(cD), ...Object.keys(cA)])) {
    const url = base.includes('/scope-mappings/clients/') ? base : porCliente ? `${base}/clients/${await idDoCliente(k, cliente)}` : base;
    await ajustar(cliente, nomes(cD[cliente]), nomes(cA[cliente]), url);
  }
}

const cacheIds = new WeakMap<Conexao, Map<string, string>>();
async function idDoCliente(k: Conexao, clientId: string): Promise<string> {
  let m = cacheIds.get(k);
  if (!m) cacheIds.set(k, (m = new Map<string, string>()));
  if (!m.has(clientId)) {
    const c = (await k.api<Obj[]>('GET', `/clients?clientId=${enc(clientId)}`))[0];
    if (!c) throw new Error(`client ${clientId} não existe`);
    m.set(clientId, comoTexto(c['id']));
  }
  return m.get(clientId)!;
}

async function reconciliarGrupos(
  k: Conexao, desejados: Obj[], atuais: Obj[], paiId: string | null, prefixo: string,
  papelRep: (cliente: string | null, nome: string) => Promise<Obj>, mudou: (s: string) => void, gerenciar: boolean,
): Promise<void> {
  if (!gerenciar) return;
  const srv = paiId === null ? await k.api<Obj[]>('GET', '/groups?briefRepresentation=true&max=10000') : await k.api<Obj[]>('GET', `/groups/${paiId}/children?max=10000`);
  const idDe = new Map(srv.map((g) => [comoTexto(g['name']), comoTexto(g['id'])]));
  for (const g of desejados) {
    const nome = comoTexto(g['name']);
    const caminho = `${prefixo}/${nome}`;
    const a = atuais.find((x) => x['name'] === nome);
    const basico: Obj = { name: nome, attributes: g['attributes'] ?? {}, ...(g['description'] !== undefined ? { description: g['description'] } : {}) };
    let id = idDe.get(nome);
    if (!id) {
      await k.api('POST', paiId === null ? '/groups' : `/groups/${paiId}/children`, basico);
      const lidos = paiId === null ? await k.api<Obj[]>('GET', `/groups?search=${enc(nome)}&exact=true&briefRepresentation=true`) : await k.api<Obj[]>('GET', `/groups/${paiId}/children?max=10000`);
      id = comoTexto(lidos.find((x) => x['name'] === nome)!['id']);
      mudou(`groups[${caminho}] criado`);
    } else if (a && camposDiferentes({ attributes: basico['attributes']!, ...(g['description'] !== undefined ? { description: g['description'] } : {}) }, a).length) {
      await k.api('PUT', `/groups/${id}`, { ...basico, id });
      mudou(`groups[${caminho}] atualizado`);
    }
    await reconciliarPapeis(k, `/groups/${id}/role-mappings`, { realm: g['realmRoles'] ?? [], client: g['clientRoles'] ?? {} }, { realm: a?.['realmRoles'] ?? [], client: a?.['clientRoles'] ?? {} }, papelRep, `groups[${caminho}]`, mudou, true);
    await reconciliarGrupos(k, lista(g['subGroups']), lista(a?.['subGroups']), id, caminho, papelRep, mudou, true);
  }
  for (const a of atuais) {
    if (!desejados.some((g) => g['name'] === a['name'])) {
      await k.api('DELETE', `/groups/${idDe.get(comoTexto(a['name']))!}`);
      mudou(`groups[${prefixo}/${comoTexto(a['name'])}] removido (não está no git)`);
    }
  }
}

async function reconciliarIdps(k: Conexao, desejado: Obj, atual: Obj, mudou: (s: string) => void): Promise<void> {
  if (!('identityProviders' in desejado)) return;
  const d = lista(desejado['identityProviders']);
  const a = lista(atual['identityProviders']);
  for (const idp of d) {
    const alias = comoTexto(idp['alias']);
    const x = a.find((i) => i['alias'] === alias);
    if (!x) {
      await k.api('POST', '/identity-provider/instances', idp);
      mudou(`identityProviders[${alias}] criado`);
      continue;
    }
    // the server masks clientSecret: it is sent only when something else changed (or on creation)
    const semSegredo = (i: Obj): Obj => ({ ...i, config: { ...(isObj(i['config']) ? i['config'] : {}), clientSecret: null } });
    const campos = camposDiferentes(semSegredo(idp), semSegredo(x));
    const conf = camposDiferentes((semSegredo(idp)['config'] as Obj), semSegredo(x)['config'] as Obj);
    if (campos.length || conf.length) {
      await k.api('PUT', `/identity-provider/instances/${enc(alias)}`, idp);
      mudou(`identityProviders[${alias}] atualizado (${[...campos.filter((c) => c !== 'config'), ...conf.map((c) => `config.${c}`)].join(', ')})`);
    }
  }
  for (const x of a) {
    if (!d.some((i) => i['alias'] === x['alias'])) {
      await k.api('DELETE', `/identity-provider/instances/${enc(comoTexto(x['alias']))}`);
      mudou(`identityProviders[${comoTexto(x['alias'])}] removido (não está no git)`);
    }
  }
  if (!('identityProviderMappers' in desejado)) return;
  const md = lista(desejado['identityProviderMappers']);
  const ma = lista(atual['identityProviderMappers']);
  const chave = (m: Obj) => `${comoTexto(m['identityProviderAlias'])}/${comoTexto(m['name'])}`;
  const srvIds = new Map<string, string>();
  for (const alias of new Set([...md, ...ma].map((m) => comoTexto(m['identityProviderAlias'])))) {
    const lista_ = await k.api<Obj[] | undefined>('GET', `/identity-provider/instances/${enc(alias)}/mappers`, undefined, { opcional: true });
    for (const m of lista_ ?? []) srvIds.set(`${alias}/${comoTexto(m['name'])}`, comoTexto(m['id']));
  }
  for (const m of md) {
    const x = ma.find((y) => chave(y) === chave(m));
    const base = `/identity-provider/instances/${enc(comoTexto(m['identityProviderAlias']))}/mappers`;
    if (!x) {
      await k.api('POST', base, m);
      mudou(`identityProviderMappers[${chave(m)}] criado`);
    } else if (!igual(m, x)) {
      const id = srvIds.get(chave(m))!;
      await k.api('PUT', `${base}/${id}`, { ...m, id });
      mudou(`identityProviderMappers[${chave(m)}] atualizado`);
    }
  }
  for (const x of ma) {
    if (!md.some((m) => chave(m) === chave(x)) && srvIds.has(chave(x))) {
      await k.api('DELETE', `/identity-provider/instances/${enc(comoTexto(x['identityProviderAlias']))}/mappers/${srvIds.get(chave(x))!}`);
      mudou(`identityProviderMappers[${chave(x)}] removido (não está no git)`);
    }
  }
}

/**
 * Custom (non built-in) flows: a flow that differs from git is rebuilt from git under the same alias — deleted and
 * re-created with its executions, requirements and authenticator configs. A flow bound to the realm
 * (browserFlow…) or to an IdP cannot be deleted by Keycloak; then apply stops and says so.
 */
async function reconciliarFluxos(k: Conexao, desejado: Obj, atual: Obj, mudou: (s: string) => void): Promise<void> {
  if (!('authenticationFlows' in desejado)) return;
  const d = lista(desejado['authenticationFlows']);
  const a = lista(atual['authenticationFlows']);
  const configs = new Map(lista(desejado['authenticatorConfig']).map((c) => [comoTexto(c['alias']), c]));
  const configsAtuais = new Map(lista(atual['authenticatorConfig']).map((c) => [comoTexto(c['alias']), c]));
  // flows referenced as sub-flows are built by their parent: only top-level ones are compared and rebuilt
  const porAlias = new Map(d.map((f) => [comoTexto(f['alias']), f]));
  const comConfigs = (f: Obj, cs: Map<string, Obj>): Json => {
    const usados = new Set<string>();
    const coletar = (x: Obj) => {
      for (const e of lista(x['authenticationExecutions'])) {
        if (e['authenticatorConfig']) usados.add(comoTexto(e['authenticatorConfig']));
        const sub = e['flowAlias'] ? (x === f ? (cs === configs ? porAlias : new Map(a.map((y) => [comoTexto(y['alias']), y]))).get(comoTexto(e['flowAlias'])) : undefined) : undefined;
        if (sub) coletar(sub);
      }
    };
    coletar(f);
    return { f, configs: [...usados].sort().map((u) => cs.get(u) ?? null) };
  };
  for (const f of d.filter((x) => x['topLevel'] === true)) {
    const alias = comoTexto(f['alias']);
    const x = a.find((y) => y['alias'] === alias);
    if (x && igual(comConfigs(f, configs), comConfigs(x, configsAtuais)) && subfluxosIguais(f, porAlias, new Map(a.map((y) => [comoTexto(y['alias']), y])))) continue;
    if (x) {
      try {
        await k.api('DELETE', `/authentication/flows/${comoTexto((await k.api<Obj[]>('GET', '/authentication/flows')).find((y) => y['alias'] === alias)!['id'])}`);
      } catch (e) {
        if (e instanceof ErroApi) throw new Error(`o fluxo ${alias} difere do git e não pôde ser recriado (está em uso?): ${e.message}`, { cause: e });
        throw e;
      }
    }
    await k.api('POST', '/authentication/flows', { alias, description: f['description'] ?? '', providerId: f['providerId'] ?? 'basic-flow', topLevel: true, builtIn: false });
    await criarExecucoes(k, f, porAlias, configs);
    mudou(`authenticationFlows[${alias}] ${x ? 'recriado' : 'criado'}`);
  }
  for (const x of a.filter((y) => y['topLevel'] === true)) {
    if (!d.some((f) => f['alias'] === x['alias'])) {
      const id = (await k.api<Obj[]>('GET', '/authentication/flows')).find((y) => y['alias'] === x['alias'])?.['id'];
      if (id) {
        await k.api('DELETE', `/authentication/flows/${comoTexto(id)}`);
        mudou(`authenticationFlows[${comoTexto(x['alias'])}] removido (não está no git)`);
      }
    }
  }
}

function subfluxosIguais(f: Obj, d: Map<string, Obj>, a: Map<string, Obj>): boolean {
  for (const e of lista(f['authenticationExecutions'])) {
    if (!e['flowAlias']) continue;
    const sd = d.get(comoTexto(e['flowAlias']));
    const sa = a.get(comoTexto(e['flowAlias']));
    if (!igual(sd, sa) || (sd && !subfluxosIguais(sd, d, a))) return false;
  }
  return true;
}

async function criarExecucoes(k: Conexao, f: Obj, porAlias: Map<string, Obj>, configs: Map<string, Obj>): Promise<void> {
  const alias = comoTexto(f['alias']);
  for (const e of lista(f['authenticationExecutions'])) {
    const antes = await k.api<Obj[]>('GET', `/authentication/flows/${enc(alias)}/executions`);
    if (e['authenticatorFlow'] === true) {
      const sub = porAlias.get(comoTexto(e['flowAlias']));
      await k.api('POST', `/authentication/flows/${enc(alias)}/executions/flow`, {
        alias: e['flowAlias'], description: sub?.['description'] ?? '', provider: sub?.['providerId'] === 'form-flow' ? 'form-flow' : 'registration-page-form', type: sub?.['providerId'] ?? 'basic-flow',
      });
    } else {
      await k.api('POST', `/authentication/flows/${enc(alias)}/executions/execution`, { provider: e['authenticator'] });
    }
    const depois = await k.api<Obj[]>('GET', `/authentication/flows/${enc(alias)}/executions`);
    const nova = depois.find((x) => x['level'] === 0 && !antes.some((y) => y['id'] === x['id']))!;
    if (e['requirement'] && e['requirement'] !== nova['requirement']) {
      await k.api('PUT', `/authentication/flows/${enc(alias)}/executions`, { ...nova, requirement: e['requirement'] });
    }
    if (e['authenticatorConfig']) {
      const c = configs.get(comoTexto(e['authenticatorConfig']));
      if (c) await k.api('POST', `/authentication/executions/${comoTexto(nova['id'])}/config`, { alias: c['alias'], config: c['config'] ?? {} });
    }
    if (e['authenticatorFlow'] === true) {
      const sub = porAlias.get(comoTexto(e['flowAlias']));
      if (sub) await criarExecucoes(k, sub, porAlias, configs);
    }
  }
}
