/**
 * Static checks of the Sala de Espera in the realm file (issue 13, docs/sala-de-espera.md), part of the policy check:
 * every client users sign in to declares its requirement (`lum.sala.*`, see api/src/sala-espera/requisitos.ts); the
 * browser flow runs the authenticator `lum-sala-espera` after authentication; every identity provider's
 * post-broker-login flow runs it too (it follows the first-broker-login flow as well); the required action of the
 * same name is enabled (registration, password reset); the attribute the
 * authenticator reads is declared admin-only in the user profile.
 */
import { ATRIBUTO_DADOS_CONTA, problemasDoRequisito } from '../../api/src/sala-espera/requisitos.js';
import { comoTexto, isObj, type Obj } from './normalizar.js';

const AUTENTICADOR_SALA = 'lum-sala-espera';

const lista = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Whether a top-level flow runs the authenticator as a REQUIRED step of its own (not inside an alternative). */
function fluxoTemSala(doc: Obj, alias: unknown): boolean {
  const f = lista(doc['authenticationFlows']).find((x) => x['alias'] === alias);
  return lista(f?.['authenticationExecutions']).some((e) => e['authenticator'] === AUTENTICADOR_SALA && e['requirement'] === 'REQUIRED');
}

export function violacoesDaSalaDeEspera(doc: Obj): string[] {
  const v: string[] = [];
  for (const c of lista(doc['clients'])) {
    if (c['standardFlowEnabled'] !== true) continue;
    const at = isObj(c['attributes']) ? c['attributes'] : {};
    for (const p of problemasDoRequisito(at)) v.push(`clients[${comoTexto(c['clientId'])}].attributes.${p}`);
  }
  if (!fluxoTemSala(doc, doc['browserFlow'])) v.push(`browserFlow: o fluxo ${comoTexto(doc['browserFlow'] ?? '')} não passa pela Sala de Espera (${AUTENTICADOR_SALA} obrigatório depois da autenticação)`);
  for (const idp of lista(doc['identityProviders'])) {
    if (idp['enabled'] === false) continue;
    if (!fluxoTemSala(doc, idp['postBrokerLoginFlowAlias'])) v.push(`identityProviders[${comoTexto(idp['alias'])}].postBrokerLoginFlowAlias: sem a Sala de Espera (${AUTENTICADOR_SALA}) depois do login pelo provedor`);
  }
  const acao = lista(doc['requiredActions']).find((a) => a['providerId'] === AUTENTICADOR_SALA);
  if (!acao || acao['enabled'] !== true) v.push(`requiredActions[${AUTENTICADOR_SALA}]: ausente ou desligada (cobre cadastro e troca de senha, que não passam pelo fluxo do navegador)`);
  const perfil = lista((doc['components'] as Obj | undefined)?.['org.keycloak.userprofile.UserProfileProvider'])[0];
  const texto = isObj(perfil?.['config']) && Array.isArray(perfil['config']['kc.user.profile.config']) ? comoTexto(perfil['config']['kc.user.profile.config'][0]) : '{}';
  const atributo = lista((JSON.parse(texto) as Obj)['attributes']).find((a) => a['name'] === ATRIBUTO_DADOS_CONTA);
  const edita = isObj(atributo?.['permissions']) && Array.isArray(atributo['permissions']['edit']) ? atributo['permissions']['edit'].map(String) : null;
  if (!atributo) v.push(`userProfile.attributes[${ATRIBUTO_DADOS_CONTA}]: não declarado (o autenticador da Sala de Espera o lê; a API o escreve)`);
  else if (edita === null || edita.join() !== 'admin') v.push(`userProfile.attributes[${ATRIBUTO_DADOS_CONTA}].permissions.edit: só admin (o usuário nunca declara os próprios dados verificados)`);
  return v;
}
