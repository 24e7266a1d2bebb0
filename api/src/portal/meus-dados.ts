/**
 * Meus Dados / Perfil de Usuário: the master record's fields as the citizen sees them (`/me`), which ones the PMCC lets
 * the citizen change (from `pmcc/politicas.ts`, never a list of its own), the form, and the change it sends to
 * Entrada Única (only the fields that differ from the record).
 */
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { contextoCidadao } from '../me/me.service.js';
import { ESTADOS_CIVIS, GENEROS } from '../pessoas/pessoa.dto.js';
import type { CodigoPmcc } from '../pmcc/decidir.js';
import type { RecusaPmcc } from '../pmcc/politica-negada.error.js';
import { politicaDe, type Permissao } from '../pmcc/politicas.js';
import { relogio } from '../relogio.js';
import { catalogo, esc, ptBR, type Idioma, type Linha } from './idioma.js';
import { cpfFormatado, data, dataHora, dataIsoDoFormulario, rotuloCampo } from './rotulos.js';

type Pessoa = Record<string, unknown>;

export const ROTULOS_GENERO = catalogo<Record<(typeof GENEROS)[number], string>>({
  feminino: 'Feminino', masculino: 'Masculino', 'nao-binario': 'Não binário', outro: 'Outro', 'nao-informado': 'Prefiro não informar',
}, {
  feminino: 'Female', masculino: 'Male', 'nao-binario': 'Non-binary', outro: 'Other', 'nao-informado': 'Prefer not to say',
});
export const ROTULOS_ESTADO_CIVIL = catalogo<Record<(typeof ESTADOS_CIVIS)[number], string>>({
  solteiro: 'Solteiro(a)', casado: 'Casado(a)', 'uniao-estavel': 'União estável', separado: 'Separado(a)', divorciado: 'Divorciado(a)', viuvo: 'Viúvo(a)',
  'nao-informado': 'Não informado',
}, {
  solteiro: 'Single', casado: 'Married', 'uniao-estavel': 'Stable union (união estável)', separado: 'Separated', divorciado: 'Divorced', viuvo: 'Widowed',
  'nao-informado': 'Not given',
});

/** Why the PMCC refused a field, by its stable code (`RecusaPmcc.codigo`), for the English page (pt-BR shows the API's own sentence). */
const MOTIVO_PMCC_EN: Readonly<Record<CodigoPmcc, (operacao: string) => string>> = {
  ACEITO: () => 'Accepted.',
  CAMPO_IMUTAVEL: (op) => `No one can ${op === 'exclusao' ? 'delete' : op === 'insercao' ? 'add' : 'change'} this field (PMCC rule).`,
  ATOR_NAO_AUTORIZADO: (op) => `Under the PMCC rules, citizens cannot ${op === 'exclusao' ? 'delete' : op === 'insercao' ? 'add' : 'change'} this field.`,
  FONTE_NAO_AUTORIZADA: () => 'Under the PMCC rules, only certain official sources can change this field.',
  ORGAO_NAO_AUTORIZADO: () => 'Under the PMCC rules, only the register managers of certain departments can change this field.',
  EVIDENCIA_OBRIGATORIA: () => 'Changing this field requires a supporting document (PMCC rule).',
  SOLICITACAO_DO_CIDADAO: () => 'Citizens do not change this field directly: the request was recorded and a register manager will review it (PMCC rule).',
  PRECEDENCIA_INFERIOR: () => 'The current value came from a source that takes precedence over your own statement (an official source or a register manager), so it was kept (PMCC rule).',
  VALOR_MAIS_ANTIGO: () => 'The value sent is older than the current one, so the current one was kept (PMCC rule).',
  SOBRESCRITA_DE_CAMPO_CRITICO: () => 'The new value replaced the previous one, which was kept and sent to a register manager for review (PMCC rule).',
  VARIANTE_DE_NOME: () => 'The value is a shortened or unaccented form of the current name, so the current one was kept (PMCC rule).',
};

/** Meus Dados' text: the page, the form, the change requests and the notices of a change. */
export const TEXTOS_MEUS_DADOS = catalogo({
  naoInformado: 'Não informado',
  sim: 'Sim',
  nao: 'Não',
  ativo: 'Ativo',
  possuiNomeSocial: 'Possui nome social?',
  semVinculo: 'Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas, por isso ainda não há dados para mostrar.',
  semVinculoLink: 'Veja em Segurança como vincular sua conta e elevar o nível de confiança.',
  perfil: 'Perfil de Usuário',
  pedidos: 'Pedidos de alteração',
  alterar: 'Adicionar ou alterar seus dados',
  dicaSolicitacao: 'Pedido: a alteração fica pendente até um gestor do cadastro analisar (regra PMCC).',
  dicaPrecedencia: 'Aceita só se o valor atual não veio de uma fonte oficial (regra PMCC); senão a recusa diz por quê.',
  dicaNunca: 'Você não pode alterar este dado (regra PMCC):',
  campoNome: 'Nome civil',
  campoNomeSocial: 'Nome social (deixe em branco para não usar)',
  campoGenero: 'Sexo / gênero',
  campoEstadoCivil: 'Estado civil',
  campoDataNascimento: 'Data de nascimento (dd/mm/aaaa)',
  campoTitulo: 'Título de eleitor (12 dígitos)',
  campoNomeMae: 'Nome da mãe',
  campoCpfMae: 'CPF da mãe (só números)',
  campoNomePai: 'Nome do pai',
  campoCpfPai: 'CPF do pai (só números)',
  campoEmail: 'E-mail',
  campoTelefone: 'Celular com DDD (só números)',
  campoCep: 'CEP (8 dígitos)',
  campoLogradouro: 'Logradouro',
  campoNumero: 'Número (S/N quando não houver)',
  campoComplemento: 'Complemento',
  campoBairro: 'Bairro',
  campoMunicipio: 'Município',
  campoUf: 'UF',
  grupoIdentificacao: 'Identificação',
  grupoFiliacao: 'Filiação',
  grupoContato: 'Contato',
  grupoEndereco: 'Endereço',
  naoAlteraveis: 'O CPF, o RG e a cidade de nascimento não podem ser alterados por aqui:',
  salvar: 'Salvar alterações',
  semPedidos: 'Você não tem pedidos de alteração em análise.',
  pendente: 'Pendente — aguardando análise de um gestor do cadastro',
  aceitoEm: (quando: string) => `Aceito em ${quando}`,
  recusadoEm: (quando: string) => `Recusado em ${quando}`,
  colDado: 'Dado',
  colValorPedido: 'Valor pedido',
  colPedidoEm: 'Pedido em',
  colSituacao: 'Situação',
  legendaPedidos: 'Seus pedidos de alteração',
  nadaAlterado: 'Nada foi alterado: os valores enviados são os que já estão no seu cadastro.',
  gravada: (campos: string) => `Alteração gravada: ${campos}.`,
  pendenteAviso: (campos: string) => `Pedido registrado e pendente de análise por um gestor do cadastro: ${campos}.`,
  recusadaPmcc: 'Alteração recusada pela PMCC (Políticas de Manutenção dos Cadastros Centralizados); nada foi gravado:',
  conflito: 'Seus dados mudaram enquanto você editava; nada foi gravado. Confira os valores atuais e envie de novo.',
  recusada: 'Alteração recusada; nada foi gravado:',
}, {
  naoInformado: 'Not given',
  sim: 'Yes',
  nao: 'No',
  ativo: 'Active',
  possuiNomeSocial: 'Do you use a social name (nome social)?',
  semVinculo: 'Your account is not yet linked to a record in the Citizen Register (Cadastro Base de Pessoas), so there is no data to show yet.',
  semVinculoLink: 'See under Security how to link your account and raise its confidence level.',
  perfil: 'User profile',
  pedidos: 'Change requests',
  alterar: 'Add or change your data',
  dicaSolicitacao: 'Request: the change stays pending until a register manager reviews it (PMCC rule).',
  dicaPrecedencia: 'Accepted only if the current value did not come from an official source (PMCC rule); otherwise the refusal says why.',
  dicaNunca: 'You cannot change this data here (PMCC rule):',
  campoNome: 'Civil name',
  campoNomeSocial: 'Social name (nome social; leave blank not to use one)',
  campoGenero: 'Sex / gender',
  campoEstadoCivil: 'Marital status',
  campoDataNascimento: 'Date of birth (yyyy-mm-dd)',
  campoTitulo: 'Voter ID (título de eleitor, 12 digits)',
  campoNomeMae: 'Mother\'s name',
  campoCpfMae: 'Mother\'s CPF (digits only)',
  campoNomePai: 'Father\'s name',
  campoCpfPai: 'Father\'s CPF (digits only)',
  campoEmail: 'E-mail',
  campoTelefone: 'Mobile phone with area code (digits only)',
  campoCep: 'Postcode (CEP, 8 digits)',
  campoLogradouro: 'Street',
  campoNumero: 'Number (S/N when there is none)',
  campoComplemento: 'Apartment, suite, etc.',
  campoBairro: 'Neighbourhood (bairro)',
  campoMunicipio: 'City',
  campoUf: 'State (UF)',
  grupoIdentificacao: 'Identification',
  grupoFiliacao: 'Parents',
  grupoContato: 'Contact',
  grupoEndereco: 'Address',
  naoAlteraveis: 'The CPF, the RG and the place of birth cannot be changed here:',
  salvar: 'Save changes',
  semPedidos: 'You have no change requests under review.',
  pendente: 'Pending — waiting for a register manager to review it',
  aceitoEm: (quando: string) => `Accepted on ${quando}`,
  recusadoEm: (quando: string) => `Refused on ${quando}`,
  colDado: 'Field',
  colValorPedido: 'Value requested',
  colPedidoEm: 'Requested on',
  colSituacao: 'Status',
  legendaPedidos: 'Your change requests',
  nadaAlterado: 'Nothing was changed: the values sent are the ones already in your record.',
  gravada: (campos: string) => `Change saved: ${campos}.`,
  pendenteAviso: (campos: string) => `Request recorded, pending review by a register manager: ${campos}.`,
  recusadaPmcc: 'Change refused under the PMCC (the City\'s rules for maintaining the central registers); nothing was saved:',
  conflito: 'Your data changed while you were editing; nothing was saved. Check the current values and send again.',
  recusada: 'Change refused; nothing was saved. The reason, from the register, is in Portuguese:',
});

/**
 * The lines of a PMCC refusal: pt-BR keeps the API's sentence (`<label>: <mensagem>`); English renders the refusal
 * from its stable code, never from the pt-BR sentence.
 */
export function linhasRecusaPmcc(recusas: readonly RecusaPmcc[], idioma: Idioma): Linha[] {
  return [
    TEXTOS_MEUS_DADOS[idioma].recusadaPmcc,
    ...recusas.map((x) => `${rotuloCampo(x.campo, idioma)}: ${idioma === 'pt-BR' ? x.mensagem : MOTIVO_PMCC_EN[x.codigo](x.operacao)}`),
  ];
}

/** What the PMCC lets the citizen do with a field holding `atual` (insertion when empty, modification otherwise). */
function permissaoDoCidadao(campo: string, atual: unknown): Permissao {
  const p = politicaDe('pessoa', campo);
  if (!p) return 'nunca';
  return atual === null || atual === undefined || (Array.isArray(atual) && atual.length === 0) ? p.insercao.cidadao : p.modificacao.cidadao;
}

/** The field's help (HTML): what the PMCC lets the citizen do; the PMCC's own note is pt-BR only. */
function dica(campo: string, atual: unknown, idioma: Idioma): string {
  const t = TEXTOS_MEUS_DADOS[idioma];
  switch (permissaoDoCidadao(campo, atual)) {
    case 'permitido': return '';
    case 'solicitacao': return esc(t.dicaSolicitacao);
    case 'precedencia-maior':
    case 'precedencia-maior-ou-igual':
    case 'mais-recente':
      return esc(t.dicaPrecedencia);
    default: return `${esc(t.dicaNunca)} ${ptBR(politicaDe('pessoa', campo)?.nota ?? '', idioma)}`;
  }
}

function primeiro(lista: unknown): Record<string, unknown> | null {
  return Array.isArray(lista) && lista.length > 0 && typeof lista[0] === 'object' && lista[0] !== null ? (lista[0] as Record<string, unknown>) : null;
}

/** A field's value as the citizen reads it (dd/mm/aaaa or "8 Mar 1979", formatted CPFs, labels). */
function valorLegivel(campo: string, v: unknown, idioma: Idioma): string {
  const t = TEXTOS_MEUS_DADOS[idioma];
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return t.naoInformado;
  if (typeof v === 'string') {
    if (campo === 'cpf' || campo === 'cpfMae' || campo === 'cpfPai') return cpfFormatado(v);
    if (campo === 'dataNascimento') return data(v, idioma);
    const generos = ROTULOS_GENERO[idioma];
    const estados = ROTULOS_ESTADO_CIVIL[idioma];
    if (campo === 'genero') return Object.hasOwn(generos, v) ? generos[v as keyof typeof generos] : v;
    if (campo === 'estadoCivil') return Object.hasOwn(estados, v) ? estados[v as keyof typeof estados] : v;
    if (campo === 'situacao') return v === 'ativa' ? t.ativo : v;
    return v;
  }
  if (campo === 'rg' && typeof v === 'object') {
    const rg = v as { numero?: string; digito?: string | null; uf?: string };
    return `${rg.numero ?? ''}${rg.digito ? `-${rg.digito}` : ''} (${rg.uf ?? ''})`;
  }
  if (campo === 'localNascimento' && typeof v === 'object') {
    const l = v as { municipio?: string; uf?: string };
    return `${l.municipio ?? ''}/${l.uf ?? ''}`;
  }
  if (campo === 'emails') return (v as { endereco: string }[]).map((e) => e.endereco).join(', ');
  if (campo === 'telefones') return (v as { numero: string }[]).map((t) => t.numero).join(', ');
  if (campo === 'enderecos') {
    return (v as Record<string, string>[]).map((e) => `${e['logradouro']}, ${e['numero']}${e['complemento'] ? ` ${e['complemento']}` : ''} — ${e['bairro']}, ${e['municipio']}/${e['uf']} — CEP ${e['cep']}`).join('; ');
  }
  if (typeof v === 'boolean') return v ? t.sim : t.nao;
  return JSON.stringify(v);
}

/** The "Perfil de Usuário" fields, in the source document's order. */
const CAMPOS_PERFIL = ['cpf', 'rg', 'nome', 'sexo', 'dataNascimento', 'nomeSocial', 'tituloEleitor', 'localNascimento', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai', 'estadoCivil', 'emails', 'telefones', 'enderecos'] as const;

export function perfilSomenteLeitura(p: Pessoa, idioma: Idioma): string {
  const t = TEXTOS_MEUS_DADOS[idioma];
  const linhas = CAMPOS_PERFIL.map((c) => {
    if (c === 'sexo') return `<dt>${esc(rotuloCampo('genero', idioma))}</dt><dd>${esc(valorLegivel('genero', p['genero'], idioma))}</dd>`;
    if (c === 'nomeSocial') {
      return `<dt>${esc(t.possuiNomeSocial)}</dt><dd>${typeof p['nomeSocial'] === 'string' && p['nomeSocial'] !== '' ? `${esc(t.sim)} — ${esc(p['nomeSocial'])}` : esc(t.nao)}</dd>`;
    }
    return `<dt>${esc(rotuloCampo(c, idioma))}</dt><dd>${esc(valorLegivel(c, p[c], idioma))}</dd>`;
  });
  return `<dl class="dados">${linhas.join('')}</dl>`;
}

/** Form fields (name → the record's current value as the form shows it). */
export interface ValoresFormulario {
  /** Shown read-only; a CPF posted anyway goes to Entrada Única, whose PMCC refusal the page shows. */
  cpf: string;
  nome: string; nomeSocial: string; genero: string; estadoCivil: string; dataNascimento: string; tituloEleitor: string;
  cpfMae: string; nomeMae: string; cpfPai: string; nomePai: string;
  email: string; telefone: string;
  cep: string; logradouro: string; numero: string; complemento: string; bairro: string; municipio: string; uf: string;
}
const CAMPOS_FORM = ['cpf', 'nome', 'nomeSocial', 'genero', 'estadoCivil', 'dataNascimento', 'tituloEleitor', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai',
  'email', 'telefone', 'cep', 'logradouro', 'numero', 'complemento', 'bairro', 'municipio', 'uf'] as const satisfies readonly (keyof ValoresFormulario)[];
const CAMPOS_ENDERECO = ['cep', 'logradouro', 'numero', 'complemento', 'bairro', 'municipio', 'uf'] as const;

/** The record's values as the form shows them; the date of birth as that language's form takes it (dd/mm/aaaa, aaaa-mm-dd). */
export function valoresDoRegistro(p: Pessoa, idioma: Idioma): ValoresFormulario {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const email = primeiro(p['emails']);
  const tel = primeiro(p['telefones']);
  const end = primeiro(p['enderecos']) ?? {};
  return {
    cpf: s(p['cpf']), nome: s(p['nome']), nomeSocial: s(p['nomeSocial']), genero: s(p['genero']), estadoCivil: s(p['estadoCivil']),
    dataNascimento: typeof p['dataNascimento'] === 'string' ? (idioma === 'pt-BR' ? data(p['dataNascimento'], 'pt-BR') : p['dataNascimento']) : '',
    tituloEleitor: s(p['tituloEleitor']),
    cpfMae: s(p['cpfMae']), nomeMae: s(p['nomeMae']), cpfPai: s(p['cpfPai']), nomePai: s(p['nomePai']),
    email: s(email?.['endereco']), telefone: s(tel?.['numero']),
    cep: s(end['cep']), logradouro: s(end['logradouro']), numero: s(end['numero']), complemento: s(end['complemento']), bairro: s(end['bairro']),
    municipio: s(end['municipio']), uf: s(end['uf']),
  };
}

/** The submitted form: only the known fields, as trimmed text (anything else in the body is a 400 upstream). */
export function valoresDoFormulario(corpo: Record<string, unknown>): Partial<ValoresFormulario> {
  const out: Partial<ValoresFormulario> = {};
  for (const c of CAMPOS_FORM) {
    const v = corpo[c];
    if (typeof v === 'string') out[c] = v.trim();
  }
  return out;
}

/** Names the form may post (the field names plus the CSRF token and the record version). */
export const NOMES_DO_FORMULARIO: readonly string[] = [...CAMPOS_FORM, '_csrf', 'versao'];

/**
 * The change for Entrada Única: only what differs from the record. Dates typed dd/mm/aaaa (or aaaa-mm-dd, the English
 * form's shape) become aaaa-mm-dd; a date of neither shape goes as typed, so Entrada Única's validation names it. The
 * first e-mail, phone and address are the ones the form edits; the others are kept.
 */
export function mudancaDoFormulario(p: Pessoa, enviado: Partial<ValoresFormulario>): Record<string, unknown> {
  const atual = valoresDoRegistro(p, 'pt-BR');
  const corpo: Record<string, unknown> = {};
  const mudou = (c: keyof ValoresFormulario) => enviado[c] !== undefined && enviado[c] !== atual[c];
  if (enviado.cpf !== undefined && enviado.cpf.replace(/\D/g, '') !== atual.cpf) corpo['cpf'] = enviado.cpf.replace(/\D/g, '');
  for (const c of ['nome', 'genero', 'estadoCivil', 'tituloEleitor', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai'] as const) {
    if (mudou(c) && enviado[c] !== '') corpo[c] = enviado[c];
  }
  if (mudou('nomeSocial')) corpo['nomeSocial'] = enviado.nomeSocial === '' ? null : enviado.nomeSocial;
  if (enviado.dataNascimento !== undefined && enviado.dataNascimento !== '') {
    const iso = dataIsoDoFormulario(enviado.dataNascimento) ?? enviado.dataNascimento;
    if (iso !== p['dataNascimento']) corpo['dataNascimento'] = iso;
  }
  const resto = (campo: string) => (Array.isArray(p[campo]) ? (p[campo] as unknown[]).slice(1) : []);
  if (mudou('email') && enviado.email !== '') corpo['emails'] = [{ endereco: enviado.email, verificado: false }, ...resto('emails')];
  if (mudou('telefone') && enviado.telefone !== '') {
    corpo['telefones'] = [{ numero: enviado.telefone!.replace(/[\s().-]/g, ''), tipo: 'celular', verificado: false }, ...resto('telefones')];
  }
  if (CAMPOS_ENDERECO.some(mudou)) {
    const e = { ...atual, ...enviado };
    corpo['enderecos'] = [{
      cep: e.cep.replace(/\D/g, ''), logradouro: e.logradouro, numero: e.numero, ...(e.complemento ? { complemento: e.complemento } : {}),
      bairro: e.bairro, municipio: e.municipio, uf: e.uf.toUpperCase(),
    }, ...resto('enderecos')];
  }
  return corpo;
}

/** `ajuda` is HTML (already escaped). */
function campoTexto(nome: keyof ValoresFormulario, rotulo: string, valor: string, ajuda: string, extra = ''): string {
  const idDica = ajuda ? ` aria-describedby="dica-${nome}"` : '';
  return `<div class="campo"><label for="f-${nome}">${esc(rotulo)}</label><input id="f-${nome}" name="${nome}" value="${esc(valor)}"${idDica}${extra}>${ajuda ? `<p class="dica" id="dica-${nome}">${ajuda}</p>` : ''}</div>`;
}

function campoSelecao(nome: 'genero' | 'estadoCivil', rotulo: string, valor: string, opcoes: Readonly<Record<string, string>>, ajuda: string, naoInformado: string): string {
  const ops = [`<option value=""${valor === '' ? ' selected' : ''}>${esc(naoInformado)}</option>`,
    ...Object.entries(opcoes).map(([v, r]) => `<option value="${esc(v)}"${v === valor ? ' selected' : ''}>${esc(r)}</option>`)];
  return `<div class="campo"><label for="f-${nome}">${esc(rotulo)}</label><select id="f-${nome}" name="${nome}"${ajuda ? ` aria-describedby="dica-${nome}"` : ''}>${ops.join('')}</select>${ajuda ? `<p class="dica" id="dica-${nome}">${ajuda}</p>` : ''}</div>`;
}

/** The edit form: only the fields the PMCC lets the citizen change or request; each with what the PMCC says. */
export function formulario(p: Pessoa, v: ValoresFormulario, csrf: string, idioma: Idioma): string {
  const t = TEXTOS_MEUS_DADOS[idioma];
  const pode = (campo: string) => permissaoDoCidadao(campo, p[campo]) !== 'nunca';
  const texto = (nome: keyof ValoresFormulario, campo: string, rotulo: string, extra = '') =>
    (pode(campo) ? campoTexto(nome, rotulo, v[nome], dica(campo, p[campo], idioma), extra) : '');
  const identificacao = [
    texto('nome', 'nome', t.campoNome, ' autocomplete="name"'),
    texto('nomeSocial', 'nomeSocial', t.campoNomeSocial),
    pode('genero') ? campoSelecao('genero', t.campoGenero, v.genero, ROTULOS_GENERO[idioma], dica('genero', p['genero'], idioma), t.naoInformado) : '',
    pode('estadoCivil') ? campoSelecao('estadoCivil', t.campoEstadoCivil, v.estadoCivil, ROTULOS_ESTADO_CIVIL[idioma], dica('estadoCivil', p['estadoCivil'], idioma), t.naoInformado) : '',
    texto('dataNascimento', 'dataNascimento', t.campoDataNascimento, ' inputmode="numeric" autocomplete="bday"'),
    texto('tituloEleitor', 'tituloEleitor', t.campoTitulo, ' inputmode="numeric"'),
  ].join('');
  const filiacao = [
    texto('nomeMae', 'nomeMae', t.campoNomeMae), texto('cpfMae', 'cpfMae', t.campoCpfMae, ' inputmode="numeric"'),
    texto('nomePai', 'nomePai', t.campoNomePai), texto('cpfPai', 'cpfPai', t.campoCpfPai, ' inputmode="numeric"'),
  ].join('');
  const contato = [
    texto('email', 'emails', t.campoEmail, ' type="email" autocomplete="email"'),
    texto('telefone', 'telefones', t.campoTelefone, ' type="tel" autocomplete="tel"'),
  ].join('');
  const endereco = pode('enderecos') ? [
    campoTexto('cep', t.campoCep, v.cep, '', ' inputmode="numeric" autocomplete="postal-code"'),
    campoTexto('logradouro', t.campoLogradouro, v.logradouro, '', ' autocomplete="address-line1"'),
    campoTexto('numero', t.campoNumero, v.numero, ''),
    campoTexto('complemento', t.campoComplemento, v.complemento, '', ' autocomplete="address-line2"'),
    campoTexto('bairro', t.campoBairro, v.bairro, ''),
    campoTexto('municipio', t.campoMunicipio, v.municipio, '', ' autocomplete="address-level2"'),
    campoTexto('uf', t.campoUf, v.uf, '', ' autocomplete="address-level1" maxlength="2"'),
  ].join('') : '';
  return `<form method="post" action="/meus-dados" class="painel" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="versao" value="${esc(typeof p['versao'] === 'number' ? p['versao'] : '')}">
<fieldset><legend>${esc(t.grupoIdentificacao)}</legend>${identificacao}</fieldset>
<fieldset><legend>${esc(t.grupoFiliacao)}</legend>${filiacao}</fieldset>
<fieldset><legend>${esc(t.grupoContato)}</legend>${contato}</fieldset>
${endereco ? `<fieldset><legend>${esc(t.grupoEndereco)}</legend>${endereco}</fieldset>` : ''}
<p class="dica">${esc(t.naoAlteraveis)} ${ptBR(politicaDe('pessoa', 'cpf')?.nota ?? '', idioma)}</p>
<button type="submit" class="botao">${esc(t.salvar)}</button>
</form>`;
}

export interface Pedido {
  campo: string;
  valor: unknown;
  situacao: 'aberta' | 'em-analise' | 'resolvida';
  resolucao: 'manter-vigente' | 'adotar-alternativo' | null;
  justificativa: string | null;
  criadaEm: Date;
  resolvidaEm: Date | null;
}

/** The citizen's own change requests on their record (open, and decided in the last 90 days); the read is audited. */
export async function pedidosDoCidadao(dataSource: DataSource, principal: Principal, cpf: string): Promise<Pedido[]> {
  const linhas = await dataSource.query<{ campo: string; valor: unknown; situacao: Pedido['situacao']; resolucao: Pedido['resolucao']; justificativa: string | null; criada_em: Date; resolvida_em: Date | null }[]>(
    `SELECT r.campo, v.valor, r.situacao, r.resolucao, r.justificativa, r.criada_em, r.resolvida_em
       FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id
      WHERE r.entidade = 'pessoa' AND r.chave = $1 AND v.tipo_ator = 'cidadao'
        AND (r.situacao <> 'resolvida' OR r.resolvida_em > $2::timestamptz - interval '90 days')
      ORDER BY r.criada_em DESC, r.id DESC LIMIT 50`, [cpf, relogio().agora()]);
  await registrarAuditoria(dataSource.manager, {
    ...contextoCidadao(principal), acao: 'pedidos.lidos', pessoaCpf: cpf, campos: [...new Set(linhas.map((l) => l.campo))], detalhe: { autoatendimento: true, itens: linhas.length },
  });
  return linhas.map((l) => ({ campo: l.campo, valor: l.valor, situacao: l.situacao, resolucao: l.resolucao, justificativa: l.justificativa, criadaEm: l.criada_em, resolvidaEm: l.resolvida_em }));
}

export function listaDePedidos(pedidos: readonly Pedido[], idioma: Idioma): string {
  const t = TEXTOS_MEUS_DADOS[idioma];
  if (pedidos.length === 0) return `<p>${esc(t.semPedidos)}</p>`;
  const linhas = pedidos.map((x) => {
    // The steward's justification is free pt-BR text.
    const estado = x.situacao !== 'resolvida'
      ? esc(t.pendente)
      : x.resolucao === 'adotar-alternativo'
        ? esc(t.aceitoEm(dataHora(x.resolvidaEm ?? x.criadaEm, idioma)))
        : `${esc(t.recusadoEm(dataHora(x.resolvidaEm ?? x.criadaEm, idioma)))}${x.justificativa ? `: ${ptBR(x.justificativa, idioma)}` : ''}`;
    return `<tr><td data-rotulo="${esc(t.colDado)}">${esc(rotuloCampo(x.campo, idioma))}</td><td data-rotulo="${esc(t.colValorPedido)}">${esc(valorLegivel(x.campo, x.valor, idioma))}</td><td data-rotulo="${esc(t.colPedidoEm)}">${esc(dataHora(x.criadaEm, idioma))}</td><td data-rotulo="${esc(t.colSituacao)}">${estado}</td></tr>`;
  });
  return `<table class="responsiva"><caption>${esc(t.legendaPedidos)}</caption><thead><tr><th scope="col">${esc(t.colDado)}</th><th scope="col">${esc(t.colValorPedido)}</th><th scope="col">${esc(t.colPedidoEm)}</th><th scope="col">${esc(t.colSituacao)}</th></tr></thead><tbody>${linhas.join('')}</tbody></table>`;
}
