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
import { politicaDe, type Permissao } from '../pmcc/politicas.js';
import { relogio } from '../relogio.js';
import { esc } from './html.js';
import { ROTULO_CAMPO, cpfFormatado, dataBr, dataHoraBr, dataIsoDeBr } from './rotulos.js';

type Pessoa = Record<string, unknown>;

const ROTULO_GENERO: Readonly<Record<(typeof GENEROS)[number], string>> = {
  feminino: 'Feminino', masculino: 'Masculino', 'nao-binario': 'Não binário', outro: 'Outro', 'nao-informado': 'Prefiro não informar',
};
const ROTULO_ESTADO_CIVIL: Readonly<Record<(typeof ESTADOS_CIVIS)[number], string>> = {
  solteiro: 'Solteiro(a)', casado: 'Casado(a)', 'uniao-estavel': 'União estável', separado: 'Separado(a)', divorciado: 'Divorciado(a)', viuvo: 'Viúvo(a)',
  'nao-informado': 'Não informado',
};

/** What the PMCC lets the citizen do with a field holding `atual` (insertion when empty, modification otherwise). */
function permissaoDoCidadao(campo: string, atual: unknown): Permissao {
  const p = politicaDe('pessoa', campo);
  if (!p) return 'nunca';
  return atual === null || atual === undefined || (Array.isArray(atual) && atual.length === 0) ? p.insercao.cidadao : p.modificacao.cidadao;
}

function dica(campo: string, atual: unknown): string {
  switch (permissaoDoCidadao(campo, atual)) {
    case 'permitido': return '';
    case 'solicitacao': return 'Pedido: a alteração fica pendente até um gestor do cadastro analisar (regra PMCC).';
    case 'precedencia-maior':
    case 'precedencia-maior-ou-igual':
    case 'mais-recente':
      return 'Aceita só se o valor atual não veio de uma fonte oficial (regra PMCC); senão a recusa diz por quê.';
    default: return `Você não pode alterar este dado (regra PMCC): ${politicaDe('pessoa', campo)?.nota ?? ''}`;
  }
}

function primeiro(lista: unknown): Record<string, unknown> | null {
  return Array.isArray(lista) && lista.length > 0 && typeof lista[0] === 'object' && lista[0] !== null ? (lista[0] as Record<string, unknown>) : null;
}

/** A field's value as the citizen reads it (dd/mm/aaaa, formatted CPFs, labels). */
function valorLegivel(campo: string, v: unknown): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return 'Não informado';
  if (typeof v === 'string') {
    if (campo === 'cpf' || campo === 'cpfMae' || campo === 'cpfPai') return cpfFormatado(v);
    if (campo === 'dataNascimento') return dataBr(v);
    if (campo === 'genero') return ROTULO_GENERO[v as keyof typeof ROTULO_GENERO] ?? v;
    if (campo === 'estadoCivil') return ROTULO_ESTADO_CIVIL[v as keyof typeof ROTULO_ESTADO_CIVIL] ?? v;
    if (campo === 'situacao') return v === 'ativa' ? 'Ativo' : v;
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
  if (typeof v === 'boolean') return v ? 'Sim' : 'Não';
  return JSON.stringify(v);
}

/** The "Perfil de Usuário" fields, in the source document's order. */
const CAMPOS_PERFIL = ['cpf', 'rg', 'nome', 'sexo', 'dataNascimento', 'nomeSocial', 'tituloEleitor', 'localNascimento', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai', 'estadoCivil', 'emails', 'telefones', 'enderecos'] as const;

export function perfilSomenteLeitura(p: Pessoa): string {
  const linhas = CAMPOS_PERFIL.map((c) => {
    if (c === 'sexo') return `<dt>${esc(ROTULO_CAMPO['genero'])}</dt><dd>${esc(valorLegivel('genero', p['genero']))}</dd>`;
    if (c === 'nomeSocial') {
      return `<dt>Possui nome social?</dt><dd>${typeof p['nomeSocial'] === 'string' && p['nomeSocial'] !== '' ? `Sim — ${esc(p['nomeSocial'])}` : 'Não'}</dd>`;
    }
    return `<dt>${esc(ROTULO_CAMPO[c] ?? c)}</dt><dd>${esc(valorLegivel(c, p[c]))}</dd>`;
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

export function valoresDoRegistro(p: Pessoa): ValoresFormulario {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const email = primeiro(p['emails']);
  const tel = primeiro(p['telefones']);
  const end = primeiro(p['enderecos']) ?? {};
  return {
    cpf: s(p['cpf']), nome: s(p['nome']), nomeSocial: s(p['nomeSocial']), genero: s(p['genero']), estadoCivil: s(p['estadoCivil']),
    dataNascimento: typeof p['dataNascimento'] === 'string' ? dataBr(p['dataNascimento']) : '', tituloEleitor: s(p['tituloEleitor']),
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
 * The change for Entrada Única: only what differs from the record. Dates typed dd/mm/aaaa become aaaa-mm-dd; a date
 * that is not dd/mm/aaaa goes as typed, so Entrada Única's validation names it. The first e-mail, phone and address
 * are the ones the form edits; the others are kept.
 */
export function mudancaDoFormulario(p: Pessoa, enviado: Partial<ValoresFormulario>): Record<string, unknown> {
  const atual = valoresDoRegistro(p);
  const corpo: Record<string, unknown> = {};
  const mudou = (c: keyof ValoresFormulario) => enviado[c] !== undefined && enviado[c] !== atual[c];
  if (enviado.cpf !== undefined && enviado.cpf.replace(/\D/g, '') !== atual.cpf) corpo['cpf'] = enviado.cpf.replace(/\D/g, '');
  for (const c of ['nome', 'genero', 'estadoCivil', 'tituloEleitor', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai'] as const) {
    if (mudou(c) && enviado[c] !== '') corpo[c] = enviado[c];
  }
  if (mudou('nomeSocial')) corpo['nomeSocial'] = enviado.nomeSocial === '' ? null : enviado.nomeSocial;
  if (mudou('dataNascimento') && enviado.dataNascimento !== '') corpo['dataNascimento'] = dataIsoDeBr(enviado.dataNascimento!) ?? enviado.dataNascimento;
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

function campoTexto(nome: keyof ValoresFormulario, rotulo: string, valor: string, ajuda: string, extra = ''): string {
  const idDica = ajuda ? ` aria-describedby="dica-${nome}"` : '';
  return `<div class="campo"><label for="f-${nome}">${esc(rotulo)}</label><input id="f-${nome}" name="${nome}" value="${esc(valor)}"${idDica}${extra}>${ajuda ? `<p class="dica" id="dica-${nome}">${esc(ajuda)}</p>` : ''}</div>`;
}

function campoSelecao(nome: 'genero' | 'estadoCivil', rotulo: string, valor: string, opcoes: Readonly<Record<string, string>>, ajuda: string): string {
  const ops = [`<option value=""${valor === '' ? ' selected' : ''}>Não informado</option>`,
    ...Object.entries(opcoes).map(([v, r]) => `<option value="${esc(v)}"${v === valor ? ' selected' : ''}>${esc(r)}</option>`)];
  return `<div class="campo"><label for="f-${nome}">${esc(rotulo)}</label><select id="f-${nome}" name="${nome}"${ajuda ? ` aria-describedby="dica-${nome}"` : ''}>${ops.join('')}</select>${ajuda ? `<p class="dica" id="dica-${nome}">${esc(ajuda)}</p>` : ''}</div>`;
}

/** The edit form: only the fields the PMCC lets the citizen change or request; each with what the PMCC says. */
export function formulario(p: Pessoa, v: ValoresFormulario, csrf: string): string {
  const pode = (campo: string) => permissaoDoCidadao(campo, p[campo]) !== 'nunca';
  const texto = (nome: keyof ValoresFormulario, campo: string, rotulo: string, extra = '') =>
    (pode(campo) ? campoTexto(nome, rotulo, v[nome], dica(campo, p[campo]), extra) : '');
  const identificacao = [
    texto('nome', 'nome', 'Nome civil', ' autocomplete="name"'),
    texto('nomeSocial', 'nomeSocial', 'Nome social (deixe em branco para não usar)'),
    pode('genero') ? campoSelecao('genero', 'Sexo / gênero', v.genero, ROTULO_GENERO, dica('genero', p['genero'])) : '',
    pode('estadoCivil') ? campoSelecao('estadoCivil', 'Estado civil', v.estadoCivil, ROTULO_ESTADO_CIVIL, dica('estadoCivil', p['estadoCivil'])) : '',
    texto('dataNascimento', 'dataNascimento', 'Data de nascimento (dd/mm/aaaa)', ' inputmode="numeric" autocomplete="bday"'),
    texto('tituloEleitor', 'tituloEleitor', 'Título de eleitor (12 dígitos)', ' inputmode="numeric"'),
  ].join('');
  const filiacao = [
    texto('nomeMae', 'nomeMae', 'Nome da mãe'), texto('cpfMae', 'cpfMae', 'CPF da mãe (só números)', ' inputmode="numeric"'),
    texto('nomePai', 'nomePai', 'Nome do pai'), texto('cpfPai', 'cpfPai', 'CPF do pai (só números)', ' inputmode="numeric"'),
  ].join('');
  const contato = [
    texto('email', 'emails', 'E-mail', ' type="email" autocomplete="email"'),
    texto('telefone', 'telefones', 'Celular com DDD (só números)', ' type="tel" autocomplete="tel"'),
  ].join('');
  const endereco = pode('enderecos') ? [
    campoTexto('cep', 'CEP (8 dígitos)', v.cep, '', ' inputmode="numeric" autocomplete="postal-code"'),
    campoTexto('logradouro', 'Logradouro', v.logradouro, '', ' autocomplete="address-line1"'),
    campoTexto('numero', 'Número (S/N quando não houver)', v.numero, ''),
    campoTexto('complemento', 'Complemento', v.complemento, '', ' autocomplete="address-line2"'),
    campoTexto('bairro', 'Bairro', v.bairro, ''),
    campoTexto('municipio', 'Município', v.municipio, '', ' autocomplete="address-level2"'),
    campoTexto('uf', 'UF', v.uf, '', ' autocomplete="address-level1" maxlength="2"'),
  ].join('') : '';
  return `<form method="post" action="/meus-dados" class="painel" novalidate>
<input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="versao" value="${esc(typeof p['versao'] === 'number' ? p['versao'] : '')}">
<fieldset><legend>Identificação</legend>${identificacao}</fieldset>
<fieldset><legend>Filiação</legend>${filiacao}</fieldset>
<fieldset><legend>Contato</legend>${contato}</fieldset>
${endereco ? `<fieldset><legend>Endereço</legend>${endereco}</fieldset>` : ''}
<p class="dica">O CPF, o RG e a cidade de nascimento não podem ser alterados por aqui: ${esc(politicaDe('pessoa', 'cpf')?.nota ?? '')}</p>
<button type="submit" class="botao">Salvar alterações</button>
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

export function listaDePedidos(pedidos: readonly Pedido[]): string {
  if (pedidos.length === 0) return '<p>Você não tem pedidos de alteração em análise.</p>';
  const linhas = pedidos.map((x) => {
    const estado = x.situacao !== 'resolvida'
      ? 'Pendente — aguardando análise de um gestor do cadastro'
      : x.resolucao === 'adotar-alternativo'
        ? `Aceito em ${dataHoraBr(x.resolvidaEm ?? x.criadaEm)}`
        : `Recusado em ${dataHoraBr(x.resolvidaEm ?? x.criadaEm)}${x.justificativa ? `: ${x.justificativa}` : ''}`;
    return `<tr><td data-rotulo="Dado">${esc(ROTULO_CAMPO[x.campo] ?? x.campo)}</td><td data-rotulo="Valor pedido">${esc(valorLegivel(x.campo, x.valor))}</td><td data-rotulo="Pedido em">${esc(dataHoraBr(x.criadaEm))}</td><td data-rotulo="Situação">${esc(estado)}</td></tr>`;
  });
  return `<table class="responsiva"><caption>Seus pedidos de alteração</caption><thead><tr><th scope="col">Dado</th><th scope="col">Valor pedido</th><th scope="col">Pedido em</th><th scope="col">Situação</th></tr></thead><tbody>${linhas.join('')}</tbody></table>`;
}
