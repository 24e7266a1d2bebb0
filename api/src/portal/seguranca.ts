/**
 * Segurança: the account's confidence level, the table of levels (the rules of `confianca/calcular-nivel.ts`, in plain
 * pt-BR or English), the evidence held, what is missing for the next level and where to get it; password, one-time codes and
 * passkeys through Keycloak's own required actions (`kc_action`); sessions and devices in Keycloak's account console.
 */
import type { MeusDados } from '../me/me.service.js';
import { catalogo, esc, rotuloOuChave, type Idioma } from './idioma.js';
import { dataHora } from './rotulos.js';

/** Segurança's text (the level table follows `confianca/calcular-nivel.ts`). */
export const TEXTOS_SEGURANCA = catalogo({
  nivel1: 'Básico',
  exige1: 'Conta criada no Login Único; nada foi verificado.',
  nivel2: 'Verificado pelo gov.br',
  exige2: 'Você entrou com gov.br e o CPF do gov.br é o da sua conta.',
  nivel3: 'Vinculado ao cadastro',
  exige3: 'Sua conta está ligada ao seu registro no Cadastro Base: conferência presencial, gov.br com registro, ou a verificação por perguntas.',
  nivel4: 'Biometria',
  exige4: 'Captura biométrica num ponto autorizado (Descomplica) com o seu registro válido.',
  nivel5: 'Certificado digital',
  exige5: 'Entrada com certificado digital ICP-Brasil com o seu CPF e registro válido.',
  subir1a: 'Para chegar ao nível 2: saia e entre novamente usando o botão "Entrar com gov.br" (com o mesmo CPF da sua conta).',
  subir1b: 'Para chegar ao nível 3 de uma vez: entre com gov.br se você já tem registro no Cadastro Base, ou leve um documento com foto a um ponto de atendimento Descomplica SP para a conferência presencial.',
  subir2: 'Para chegar ao nível 3: responda a verificação por perguntas sobre o seu cadastro (quando você tem registro no Cadastro Base), ou leve um documento com foto a um ponto de atendimento Descomplica SP.',
  subir3: 'Para chegar ao nível 4: faça a captura biométrica num ponto de atendimento Descomplica SP, levando um documento com foto (quando um serviço pedir o nível 4, a Sala de Espera permite agendar o horário).',
  subir4: 'Para chegar ao nível 5: entre com um certificado digital ICP-Brasil de pessoa física (e-CPF) emitido para o seu CPF.',
  subirMaximo: 'Sua conta está no nível mais alto.',
  oSeu: '(o seu)',
  semEvidencias: 'Nenhuma comprovação registrada ainda.',
  seuNivel: 'Seu nível de confiança:',
  vinculada: 'Sua conta está vinculada ao seu registro no Cadastro Base de Pessoas.',
  naoVinculada: 'Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas.',
  falta: 'O que falta para o próximo nível',
  comprovacoes: 'Suas comprovações',
  niveis: 'Os níveis de confiança',
  colNivel: 'Nível',
  colNome: 'Nome',
  colExige: 'O que é preciso',
  acesso: 'Senha, códigos e chaves de acesso',
  acessoTexto: 'Estas ações abrem as telas do próprio Login Único e voltam para cá.',
  trocarSenha: 'Trocar a senha',
  otp: 'Configurar códigos de uso único (aplicativo autenticador)',
  chave: 'Cadastrar uma chave de acesso (passkey)',
  sessoes: 'Sessões e dispositivos',
  dispositivos: 'Ver seus dispositivos no Login Único',
  sessoesIndisponiveis: 'Não foi possível listar suas sessões agora. Tente de novo em alguns instantes.',
}, {
  nivel1: 'Basic',
  exige1: 'Account created in the Municipal Single Sign-On; nothing verified.',
  nivel2: 'Verified by gov.br',
  exige2: 'You signed in with gov.br and the CPF of your gov.br account is the one of this account.',
  nivel3: 'Linked to the register',
  exige3: 'Your account is linked to your record in the Citizen Register (Cadastro Base): in-person check, gov.br with a record, or the questions about your record.',
  nivel4: 'Biometrics',
  exige4: 'Biometric capture at an authorised service point (Descomplica) with your record valid.',
  nivel5: 'Digital certificate',
  exige5: 'Sign-in with an ICP-Brasil digital certificate issued for your CPF, with your record valid.',
  subir1a: 'To reach level 2: sign out and sign in again with the "Sign in with gov.br" button, using the same CPF as your account.',
  subir1b: 'To reach level 3 at once: sign in with gov.br if you already have a record in the Citizen Register, or take a photo ID to a Descomplica SP service point for an in-person check.',
  subir2: 'To reach level 3: answer the questions about your record (when you have a record in the Citizen Register), or take a photo ID to a Descomplica SP service point.',
  subir3: 'To reach level 4: have your biometrics captured at a Descomplica SP service point, taking a photo ID (when a service asks for level 4, its waiting room — Sala de Espera — lets you book a time).',
  subir4: 'To reach level 5: sign in with an ICP-Brasil personal digital certificate (e-CPF) issued for your CPF.',
  subirMaximo: 'Your account is at the highest level.',
  oSeu: '(yours)',
  semEvidencias: 'No proof of identity recorded yet.',
  seuNivel: 'Your confidence level:',
  vinculada: 'Your account is linked to your record in the Citizen Register (Cadastro Base de Pessoas).',
  naoVinculada: 'Your account is not yet linked to a record in the Citizen Register (Cadastro Base de Pessoas).',
  falta: 'What is missing for the next level',
  comprovacoes: 'Your proofs of identity',
  niveis: 'The confidence levels',
  colNivel: 'Level',
  colNome: 'Name',
  colExige: 'What it takes',
  acesso: 'Password, one-time codes and passkeys',
  acessoTexto: 'These actions open the Municipal Single Sign-On\'s own screens and come back here.',
  trocarSenha: 'Change your password',
  otp: 'Set up one-time codes (authenticator app)',
  chave: 'Register a passkey',
  sessoes: 'Sessions and devices',
  dispositivos: 'See your devices in the Municipal Single Sign-On',
  sessoesIndisponiveis: 'Your sessions could not be listed right now. Try again in a few moments.',
});

/** The kinds of evidence (`evidencia.tipo`) as the citizen reads them. */
export const NOMES_EVIDENCIA = catalogo({
  'vinculo-confirmado-gestor': 'Conferência presencial por um gestor do cadastro',
  govbr: 'Entrada com gov.br',
  conhecimento: 'Verificação por perguntas sobre o seu cadastro',
  biometria: 'Biometria',
  'certificado-icp': 'Certificado digital ICP-Brasil',
  'documento-conferido-orgao': 'Documentos conferidos pelo órgão (Sala de Espera)',
}, {
  'vinculo-confirmado-gestor': 'In-person check by a register manager',
  govbr: 'Sign-in with gov.br',
  conhecimento: 'Questions about your record',
  biometria: 'Biometrics',
  'certificado-icp': 'ICP-Brasil digital certificate',
  'documento-conferido-orgao': 'Documents checked by a department (waiting room — Sala de Espera)',
});

/** A kind of evidence in `idioma` (its code when unknown). */
export function nomeEvidencia(tipo: string, idioma: Idioma): string {
  return rotuloOuChave(NOMES_EVIDENCIA, idioma, tipo);
}

/** What the citizen can do to reach the next level, and where (links start the right flow). */
function comoSubir(conta: MeusDados['conta'], t: (typeof TEXTOS_SEGURANCA)[Idioma]): string[] {
  switch (conta.nivelConfianca) {
    case 1: return [t.subir1a, t.subir1b];
    case 2: return [t.subir2];
    case 3: return [t.subir3];
    case 4: return [t.subir4];
    default: return [t.subirMaximo];
  }
}

export function paginaSeguranca(conta: MeusDados['conta'], urlConsoleKeycloak: string, sessoes: string, idioma: Idioma): string {
  const t = TEXTOS_SEGURANCA[idioma];
  const niveis = [[1, t.nivel1, t.exige1], [2, t.nivel2, t.exige2], [3, t.nivel3, t.exige3], [4, t.nivel4, t.exige4], [5, t.nivel5, t.exige5]] as const;
  const tabela = niveis.map(([nivel, nome, exige]) => `<tr${nivel === conta.nivelConfianca ? ' class="atual"' : ''}><th scope="row">${nivel}${nivel === conta.nivelConfianca ? ` ${esc(t.oSeu)}` : ''}</th><td data-rotulo="${esc(t.colNome)}">${esc(nome)}</td><td data-rotulo="${esc(t.colExige)}">${esc(exige)}</td></tr>`).join('');
  const evidencias = conta.evidencias.length === 0
    ? `<p>${esc(t.semEvidencias)}</p>`
    : `<ul>${conta.evidencias.map((e) => `<li>${esc(nomeEvidencia(e.tipo, idioma))} — ${esc(dataHora(new Date(e.registradoEm), idioma))}</li>`).join('')}</ul>`;
  return `
<section class="painel" aria-labelledby="t-nivel">
  <h2 id="t-nivel">${esc(t.seuNivel)} <span class="nivel">${conta.nivelConfianca}</span></h2>
  <p>${esc(conta.vinculada ? t.vinculada : t.naoVinculada)}</p>
  <h3>${esc(t.falta)}</h3>
  <ul class="falta">${comoSubir(conta, t).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
  <h3>${esc(t.comprovacoes)}</h3>
  ${evidencias}
</section>
<section class="painel" aria-labelledby="t-tabela">
  <h2 id="t-tabela">${esc(t.niveis)}</h2>
  <table class="responsiva"><thead><tr><th scope="col">${esc(t.colNivel)}</th><th scope="col">${esc(t.colNome)}</th><th scope="col">${esc(t.colExige)}</th></tr></thead><tbody>${tabela}</tbody></table>
</section>
<section class="painel" aria-labelledby="t-acesso">
  <h2 id="t-acesso">${esc(t.acesso)}</h2>
  <p>${esc(t.acessoTexto)}</p>
  <ul>
    <li><a href="/acao/senha">${esc(t.trocarSenha)}</a></li>
    <li><a href="/acao/otp">${esc(t.otp)}</a></li>
    <li><a href="/acao/chave-de-acesso">${esc(t.chave)}</a></li>
  </ul>
  <h3>${esc(t.sessoes)}</h3>
  ${sessoes}
  <p><a href="${esc(urlConsoleKeycloak)}">${esc(t.dispositivos)}</a></p>
</section>`;
}

/** The portal's required-action paths → Keycloak's `kc_action` (realm-export: each enabled). */
export const ACOES_KEYCLOAK: Readonly<Record<string, string>> = {
  senha: 'UPDATE_PASSWORD',
  otp: 'CONFIGURE_TOTP',
  'chave-de-acesso': 'webauthn-register-passwordless',
};
