/**
 * Segurança: the account's confidence level, the table of levels (the rules of `confianca/calcular-nivel.ts`, in plain
 * pt-BR), the evidence held, what is missing for the next level and where to get it; password, one-time codes and
 * passkeys through Keycloak's own required actions (`kc_action`); sessions and devices in Keycloak's account console.
 */
import type { MeusDados } from '../me/me.service.js';
import { esc } from './html.js';
import { dataHoraBr } from './rotulos.js';

const NIVEIS: readonly { nivel: number; nome: string; exige: string }[] = [
  { nivel: 1, nome: 'Básico', exige: 'Conta criada no Login Único; nada foi verificado.' },
  { nivel: 2, nome: 'Verificado pelo gov.br', exige: 'Você entrou com gov.br e o CPF do gov.br é o da sua conta.' },
  { nivel: 3, nome: 'Vinculado ao cadastro', exige: 'Sua conta está ligada ao seu registro no Cadastro Base: conferência presencial, gov.br com registro, ou a verificação por perguntas.' },
  { nivel: 4, nome: 'Biometria', exige: 'Captura biométrica num ponto autorizado (Descomplica) com o seu registro válido.' },
  { nivel: 5, nome: 'Certificado digital', exige: 'Entrada com certificado digital ICP-Brasil com o seu CPF e registro válido.' },
];

export const NOME_EVIDENCIA: Readonly<Record<string, string>> = {
  'vinculo-confirmado-gestor': 'Conferência presencial por um gestor do cadastro',
  govbr: 'Entrada com gov.br',
  conhecimento: 'Verificação por perguntas sobre o seu cadastro',
  biometria: 'Biometria',
  'certificado-icp': 'Certificado digital ICP-Brasil',
  'documento-conferido-orgao': 'Documentos conferidos pelo órgão (Sala de Espera)',
};

/** What the citizen can do to reach the next level, and where (links start the right flow). */
function comoSubir(conta: MeusDados['conta']): string[] {
  switch (conta.nivelConfianca) {
    case 1:
      return [
        'Para chegar ao nível 2: saia e entre novamente usando o botão "Entrar com gov.br" (com o mesmo CPF da sua conta).',
        'Para chegar ao nível 3 de uma vez: entre com gov.br se você já tem registro no Cadastro Base, ou leve um documento com foto a um ponto de atendimento Descomplica SP para a conferência presencial.',
      ];
    case 2:
      return [
        'Para chegar ao nível 3: responda a verificação por perguntas sobre o seu cadastro (quando você tem registro no Cadastro Base), ou leve um documento com foto a um ponto de atendimento Descomplica SP.',
      ];
    case 3:
      return ['Para chegar ao nível 4: faça a captura biométrica num ponto de atendimento Descomplica SP, levando um documento com foto (quando um serviço pedir o nível 4, a Sala de Espera permite agendar o horário).'];
    case 4:
      return ['Para chegar ao nível 5: entre com um certificado digital ICP-Brasil de pessoa física (e-CPF) emitido para o seu CPF.'];
    default:
      return ['Sua conta está no nível mais alto.'];
  }
}

export function paginaSeguranca(conta: MeusDados['conta'], urlConsoleKeycloak: string, sessoes: string): string {
  const tabela = NIVEIS.map((n) => `<tr${n.nivel === conta.nivelConfianca ? ' class="atual"' : ''}><th scope="row">${n.nivel}${n.nivel === conta.nivelConfianca ? ' (o seu)' : ''}</th><td data-rotulo="Nome">${esc(n.nome)}</td><td data-rotulo="O que é preciso">${esc(n.exige)}</td></tr>`).join('');
  const evidencias = conta.evidencias.length === 0
    ? '<p>Nenhuma comprovação registrada ainda.</p>'
    : `<ul>${conta.evidencias.map((e) => `<li>${esc(NOME_EVIDENCIA[e.tipo] ?? e.tipo)} — ${esc(dataHoraBr(new Date(e.registradoEm)))}</li>`).join('')}</ul>`;
  return `
<section class="painel" aria-labelledby="t-nivel">
  <h2 id="t-nivel">Seu nível de confiança: <span class="nivel">${conta.nivelConfianca}</span></h2>
  <p>${conta.vinculada ? 'Sua conta está vinculada ao seu registro no Cadastro Base de Pessoas.' : 'Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas.'}</p>
  <h3>O que falta para o próximo nível</h3>
  <ul class="falta">${comoSubir(conta).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
  <h3>Suas comprovações</h3>
  ${evidencias}
</section>
<section class="painel" aria-labelledby="t-tabela">
  <h2 id="t-tabela">Os níveis de confiança</h2>
  <table class="responsiva"><thead><tr><th scope="col">Nível</th><th scope="col">Nome</th><th scope="col">O que é preciso</th></tr></thead><tbody>${tabela}</tbody></table>
</section>
<section class="painel" aria-labelledby="t-acesso">
  <h2 id="t-acesso">Senha, códigos e chaves de acesso</h2>
  <p>Estas ações abrem as telas do próprio Login Único e voltam para cá.</p>
  <ul>
    <li><a href="/acao/senha">Trocar a senha</a></li>
    <li><a href="/acao/otp">Configurar códigos de uso único (aplicativo autenticador)</a></li>
    <li><a href="/acao/chave-de-acesso">Cadastrar uma chave de acesso (passkey)</a></li>
  </ul>
  <h3>Sessões e dispositivos</h3>
  ${sessoes}
  <p><a href="${esc(urlConsoleKeycloak)}">Ver seus dispositivos no Login Único</a></p>
</section>`;
}

/** The portal's required-action paths → Keycloak's `kc_action` (realm-export: each enabled). */
export const ACOES_KEYCLOAK: Readonly<Record<string, string>> = {
  senha: 'UPDATE_PASSWORD',
  otp: 'CONFIGURE_TOTP',
  'chave-de-acesso': 'webauthn-register-passwordless',
};
