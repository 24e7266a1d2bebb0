/**
 * The Sala de Espera page (pt-BR, the city's colours, plain HTML forms that work without JavaScript, one column that
 * fits a phone): which service asked, what is missing and why, how to supply it, and the request's state. Rendered on
 * the server; every value is escaped. CSS served from the same origin (CSP allows nothing else).
 */
import type { DadoComplementar } from './requisitos.js';
import { DADOS_COMPLEMENTARES } from './requisitos.js';
import type { SituacaoPedido, VisaoCidadao } from './sala.service.js';
import { LIMITES_DOCUMENTO } from './sala.service.js';

export const CSP_SALA = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const escapar = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const NIVEIS: Record<number, string> = {
  1: 'nível 1 (conta criada)',
  2: 'nível 2 (conta confirmada pelo gov.br)',
  3: 'nível 3 (identidade conferida no cadastro da Prefeitura)',
  4: 'nível 4 (biometria registrada)',
  5: 'nível 5 (certificado digital ICP-Brasil)',
};

const SITUACOES: Record<SituacaoPedido, { titulo: string; texto: string }> = {
  'aguardando-cidadao': { titulo: 'Aguardando você', texto: 'Informe os dados e envie um documento para o órgão analisar.' },
  'em-analise': { titulo: 'Em análise pelo órgão', texto: 'O órgão vai conferir o que você enviou. Você pode voltar a esta página entrando de novo no serviço.' },
  'complementacao-solicitada': { titulo: 'O órgão pediu mais informações', texto: 'Leia o pedido do órgão abaixo e envie o que falta.' },
  aprovado: { titulo: 'Aprovado', texto: 'Pronto: entre de novo no serviço para continuar.' },
  recusado: { titulo: 'Recusado', texto: 'O órgão recusou o pedido pelo motivo abaixo. Se quiser, entre de novo no serviço para abrir outro pedido.' },
};

const ORGAOS: Record<string, string> = {
  saude: 'Secretaria Municipal da Saúde', smads: 'Secretaria Municipal de Assistência e Desenvolvimento Social', fazenda: 'Secretaria Municipal da Fazenda',
  educacao: 'Secretaria Municipal de Educação', cadastro: 'equipe do Cadastro Base da Prefeitura',
};

export interface OpcoesPagina {
  ref: string;
  /** A refusal to show at the top (pt-BR), e.g. an invalid CNS or a refused upload. */
  erro?: string;
  /** What the last action did. */
  aviso?: string;
  /**
   * Where "Continuar" sends the citizen once nothing is missing: Keycloak's redirect to the client's own address
   * (`<issuer>/clients/<client_id>/redirect`, which answers 303 to the client's base or root URL); the application
   * then starts its sign-in again.
   */
  urlVolta: string;
}

function blocoDado(nome: DadoComplementar, visao: VisaoCidadao, ref: string, editavel: boolean): string {
  const d = DADOS_COMPLEMENTARES[nome];
  const informado = visao.pedido.dadosInformados[nome];
  const verificado = visao.conta.dadosVerificados.includes(nome);
  const tamanho = nome === 'cns' ? 15 : 11;
  const estado = verificado ? '<p class="ok">Já verificado.</p>' : informado ? `<p class="ok">Informado: <span class="numero">${escapar(informado)}</span> (aguarda conferência).</p>` : '';
  const formulario = editavel && !verificado
    ? `<form method="post" action="/sala-espera/dados" class="campo">
  <input type="hidden" name="ref" value="${escapar(ref)}">
  <label for="${nome}">${escapar(d.nome)}</label>
  <input id="${nome}" name="${nome}" inputmode="numeric" autocomplete="off" maxlength="${tamanho + 6}" aria-describedby="ajuda-${nome}" required>
  <p id="ajuda-${nome}" class="ajuda">${tamanho} dígitos; ${escapar(d.comoObter)}.</p>
  <button type="submit">Enviar ${nome === 'cns' ? 'Número SUS' : 'NIS'}</button>
</form>`
    : '';
  return `<li><h3>${escapar(d.nome)}</h3><p>Por que é pedido: ${escapar(d.porque)}.</p>${estado}${formulario}</li>`;
}

/** The in-person step: the booking (or the capture done), the free slots to book, or the general pointer. */
function secaoPresencial(visao: VisaoCidadao, ref: string): string {
  const { necessario, agendamento, pontos } = visao.presencial;
  const refOculta = `<input type="hidden" name="ref" value="${escapar(ref)}">`;
  if (agendamento?.situacao === 'agendado') {
    return `<section aria-labelledby="titulo-presencial">
  <h2 id="titulo-presencial">Atendimento presencial no Descomplica SP</h2>
  <p id="agendamento">Agendado: <strong>${escapar(agendamento.nomePonto)}</strong>, ${escapar(agendamento.endereco)}, <strong>${escapar(agendamento.horario)}</strong>.</p>
  <p>Leve um documento original com foto (RG, CNH ou CTPS). O atendente confere o documento e registra a captura da biometria; depois, entre de novo no serviço.</p>
  <form method="post" action="/sala-espera/agendamento/cancelar" class="campo">${refOculta}<button type="submit" class="secundario">Cancelar agendamento</button></form>
</section>`;
  }
  if (necessario) {
    const grupos = pontos.map((pt, i) => `<fieldset><legend>${escapar(pt.nome)} <span class="ajuda">— ${escapar(pt.endereco)}</span></legend>
${pt.horarios.length ? pt.horarios.map((h, j) => `<div class="opcao"><input type="radio" id="h-${i}-${j}" name="horario" value="${escapar(h.valor)}" required><label for="h-${i}-${j}">${escapar(h.texto)}</label></div>`).join('\n') : '<p>Sem horários livres nos próximos dias.</p>'}
</fieldset>`).join('\n');
    return `<section aria-labelledby="titulo-presencial">
  <h2 id="titulo-presencial">Agende a captura da biometria no Descomplica SP</h2>
  ${agendamento?.situacao === 'realizado' ? `<p class="ok">Biometria registrada em ${escapar(agendamento.nomePonto)}.</p>` : ''}
  <p>Escolha um posto e um horário (horário de Brasília). Leve um documento original com foto. Os postos e horários desta lista são de exemplo.</p>
  <form method="post" action="/sala-espera/agendamento" class="campo">${refOculta}
${grupos}
  <button type="submit">Agendar</button>
  </form>
</section>`;
  }
  return `<section aria-labelledby="titulo-presencial">
  <h2 id="titulo-presencial">Prefere ir pessoalmente?</h2>
  ${agendamento?.situacao === 'realizado' ? `<p class="ok" id="agendamento">Biometria registrada em ${escapar(agendamento.nomePonto)} (${escapar(agendamento.horario)}).</p>` : ''}
  <p>Em qualquer posto do Descomplica SP, com um documento original com foto, o atendente confere seus dados e pode registrar sua biometria. Consulte endereços e horários em <a href="https://descomplica.prefeitura.sp.gov.br">descomplica.prefeitura.sp.gov.br</a>.</p>
</section>`;
}

/**
 * Nothing is missing: once Keycloak holds the change too (no outbox row of the account pending), "Continuar" sends
 * the citizen back to the service; until then the page says so and offers to check again.
 */
function blocoPronto(visao: VisaoCidadao, o: OpcoesPagina): string {
  if (visao.conta.sincronizada) {
    return `<p>Nada: sua conta já atende ao serviço.</p>
  <p><a class="botao" id="continuar" href="${escapar(o.urlVolta)}">Continuar para ${escapar(visao.pedido.nomeCliente)}</a></p>`;
  }
  return `<p id="atualizando">Sua conta já atende ao serviço. A Prefeitura está atualizando seu acesso, o que leva alguns segundos.</p>
  <p><a class="botao" id="verificar" href="/sala-espera?ref=${encodeURIComponent(o.ref)}">Verificar de novo</a></p>`;
}

export function paginaSala(visao: VisaoCidadao, o: OpcoesPagina): string {
  const p = visao.pedido;
  const editavel = p.situacao === 'aguardando-cidadao' || p.situacao === 'complementacao-solicitada' || (p.situacao === 'em-analise' && p.responsavel === null);
  const s = SITUACOES[p.situacao];
  const faltas: string[] = [];
  if (visao.faltam.nivel && visao.presencial.necessario) {
    faltas.push(`<li><h3>Nível de confiança</h3><p>Este serviço pede ${escapar(NIVEIS[p.nivelExigido] ?? `nível ${p.nivelExigido}`)}; sua conta está no ${escapar(NIVEIS[visao.conta.nivel] ?? `nível ${visao.conta.nivel}`)}.
A biometria é registrada pessoalmente, num posto do Descomplica SP: agende um horário abaixo e leve um documento original com foto (RG, CNH ou CTPS). Quando o posto registrar a captura, sua conta passa ao nível pedido.</p></li>`);
  } else if (visao.faltam.nivel) {
    faltas.push(`<li><h3>Nível de confiança</h3><p>Este serviço pede ${escapar(NIVEIS[p.nivelExigido] ?? `nível ${p.nivelExigido}`)}; sua conta está no ${escapar(NIVEIS[visao.conta.nivel] ?? `nível ${visao.conta.nivel}`)}.
O órgão confere um documento seu com foto (RG, CNH ou CTPS) junto com os dados abaixo; ao aprovar, sua conta passa ao nível pedido.
Se preferir, vá a um posto do Descomplica SP com o documento original: o atendente confere e registra na hora.</p></li>`);
  }
  for (const d of p.dadosExigidos) faltas.push(blocoDado(d, visao, o.ref, editavel));
  const documentos = p.documentos.length
    ? `<ul class="documentos">${p.documentos.map((d) => `<li><a href="/sala-espera/documentos/${d.id}?ref=${encodeURIComponent(o.ref)}">${escapar(d.nomeOriginal)}</a> (${escapar(d.tipo)}, ${Math.ceil(d.tamanho / 1024)} KB)</li>`).join('')}</ul>`
    : '<p>Nenhum documento enviado ainda.</p>';
  const envio = editavel
    ? `<form method="post" action="/sala-espera/documentos" enctype="multipart/form-data" class="campo">
  <input type="hidden" name="ref" value="${escapar(o.ref)}">
  <label for="documento">Documento com foto (RG, CNH ou CTPS) ou comprovante do número</label>
  <input id="documento" name="documento" type="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="ajuda-documento" required>
  <p id="ajuda-documento" class="ajuda">PDF, JPEG ou PNG, até ${LIMITES_DOCUMENTO.bytes / 1024 / 1024} MB. Só você e o órgão que analisa o pedido podem ver o arquivo.</p>
  <button type="submit">Enviar documento</button>
</form>`
    : '';
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sala de Espera — Login Único Municipal — Prefeitura de São Paulo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/sala-espera/pagina.css">
</head>
<body>
<header><p class="marca">Prefeitura de São Paulo · Login Único Municipal</p><h1>Sala de Espera</h1></header>
<main>
${o.erro ? `<div class="erro" role="alert"><p>${escapar(o.erro)}</p></div>` : ''}
${o.aviso ? `<div class="aviso" role="status"><p>${escapar(o.aviso)}</p></div>` : ''}
<section aria-labelledby="titulo-servico">
  <h2 id="titulo-servico">O serviço <span class="servico">${escapar(p.nomeCliente)}</span> precisa de mais informações</h2>
  <p>Para entrar neste serviço, sua conta precisa atender ao que ele pede. Falta pouco: veja abaixo o que falta e como resolver. Quem analisa é a ${escapar(ORGAOS[p.orgao] ?? p.orgao)}.</p>
</section>
<section aria-labelledby="titulo-situacao" class="situacao situacao-${p.situacao}">
  <h2 id="titulo-situacao">Situação do pedido: <span id="situacao">${escapar(s.titulo)}</span></h2>
  <p>${escapar(p.situacao === 'aguardando-cidadao' && visao.presencial.necessario ? 'Agende abaixo a captura da biometria num posto do Descomplica SP.' : s.texto)}</p>
  ${p.motivo ? `<p class="motivo"><strong>Mensagem do órgão:</strong> <span id="motivo">${escapar(p.motivo)}</span></p>` : ''}
</section>
<section aria-labelledby="titulo-falta">
  <h2 id="titulo-falta">O que falta</h2>
  ${faltas.length ? `<ul class="faltas">${faltas.join('\n')}</ul>` : blocoPronto(visao, o)}
</section>
<section aria-labelledby="titulo-documentos">
  <h2 id="titulo-documentos">Documentos</h2>
  ${documentos}
  ${envio}
</section>
${secaoPresencial(visao, o.ref)}
</main>
<footer><p>Seus dados são tratados pela Prefeitura de São Paulo conforme a LGPD, só para a finalidade deste pedido.</p></footer>
</body>
</html>`;
}

/** The room page when the reference itself is refused (tampered, expired): no request is shown. */
export function paginaReferenciaRecusada(mensagem: string): string {
  return `<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sala de Espera — Prefeitura de São Paulo</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/sala-espera/pagina.css"></head>
<body><header><p class="marca">Prefeitura de São Paulo · Login Único Municipal</p><h1>Sala de Espera</h1></header>
<main><div class="erro" role="alert"><p>${escapar(mensagem)}</p></div></main></body></html>`;
}

export const CSS_SALA = `:root{--azul:#003b7a;--azul-escuro:#002a57;--vermelho:#c8102e;--fundo:#eef1f5;--texto:#1b1b1b;--suave:#444b55;--foco:#ffbf47;--verde:#1e6b34}
*{box-sizing:border-box}
body{margin:0;font-family:"Segoe UI",Roboto,Arial,sans-serif;background:var(--fundo);color:var(--texto);line-height:1.5;font-size:1rem}
header{background:linear-gradient(90deg,var(--azul) 0 70%,var(--vermelho) 70% 100%);color:#fff;padding:1rem}
header .marca{margin:0;font-size:.9rem}
header h1{margin:.25rem 0 0;font-size:1.6rem}
main{max-width:44rem;margin:0 auto;padding:1rem}
section,.erro,.aviso{background:#fff;border-radius:4px;padding:1rem;margin:0 0 1rem}
h2{font-size:1.2rem;color:var(--azul-escuro);margin-top:0}
h3{font-size:1.05rem;margin:.5rem 0}
.servico{color:var(--azul)}
.erro{border-left:6px solid var(--vermelho)}
.aviso,.ok{color:var(--verde)}
.aviso{border-left:6px solid var(--verde)}
.faltas,.documentos{padding-left:1.2rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input{font-size:1rem;padding:.6rem;border:1px solid var(--suave);border-radius:4px;width:100%;max-width:100%}
button{margin-top:.5rem;font-size:1rem;padding:.6rem 1.2rem;background:var(--azul);color:#fff;border:0;border-radius:4px;cursor:pointer;min-height:44px}
button:hover{background:var(--azul-escuro)}
a{color:#0b4f9c}
:focus-visible{outline:3px solid var(--foco);outline-offset:2px}
.ajuda{color:var(--suave);font-size:.9rem;margin:.25rem 0}
.numero{font-family:monospace}
fieldset{border:1px solid var(--suave);border-radius:4px;margin:.5rem 0;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
.opcao{display:flex;align-items:center;gap:.5rem;min-height:44px}
.opcao input{width:auto;margin:0}
.opcao label{display:inline;font-weight:400;margin:0}
a.botao{display:inline-block;padding:.6rem 1.2rem;background:var(--azul);color:#fff;border-radius:4px;text-decoration:none;min-height:44px;line-height:1.6}
a.botao:hover{background:var(--azul-escuro)}
button.secundario{background:#fff;color:var(--azul);border:2px solid var(--azul)}
button.secundario:hover{background:var(--fundo)}
footer{max-width:44rem;margin:0 auto;padding:0 1rem 2rem;color:var(--suave);font-size:.9rem}
`;
