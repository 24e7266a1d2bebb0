/**
 * "Quem acessou meus dados": the reads of the citizen's own master record by organs and applications, from the audit
 * log. Who = the organ and the steward role the request was made under, and the application (OAuth client) it came
 * through — never the servant's name or CPF (the audit row's `ator`, which this module never selects). When = the
 * audit row's time. Which fields = the fields that left the API (`detalhe.compartilhamento.camposVisiveis`), else the
 * columns the row names. Purpose = the organ's data-sharing rule (compartilhamento/regras.ts), else the row's
 * `finalidade`.
 *
 * The citizen's own self-service reads are not listed (they would fill the list with every page view). The WHERE
 * clause repeats the predicate of the partial index `auditoria_acessos_cidadao_v2_idx` (migration 1765800001000)
 * verbatim, so each page is one index range scan.
 */
import type { DataSource } from 'typeorm';
import { gravadorDeLeituras } from '../auditoria/gravador-leituras.js';
import { ORGAOS, type Orgao } from '../auth/papeis.js';
import type { Principal } from '../auth/principal.js';
import { REGRAS } from '../compartilhamento/regras.js';
import { contaDoCidadao, contextoCidadao } from '../me/me.service.js';
import { catalogo, type Idioma } from './idioma.js';
import { dataHora, nomeDaAplicacao, rotuloCampo } from './rotulos.js';

/** The partial index's predicate, verbatim (see the migration). */
const PREDICADO_ACESSOS = `acao IN ('pessoa.lida', 'pessoa.historico-lido', 'conta.lida', 'identidade.lida', 'conversa.lida')
        AND (finalidade IS NULL OR finalidade <> 'autoatendimento-cidadao')`;

/**
 * The page's query (also what bench/acessos.ts times next to the plain indexed SQL). A deferred join: the page's ids
 * come from the partial index alone (an index-only scan: the index holds `pessoa_cpf, em, id` and its predicate
 * covers the WHERE), so a deep page skips its OFFSET rows inside the index instead of fetching each skipped row from
 * the table; only the page's own rows (LIMIT) are then read from the table by primary key.
 */
export const SQL_ACESSOS = `WITH pagina AS (
        SELECT id FROM auditoria WHERE pessoa_cpf = $1 AND ${PREDICADO_ACESSOS}
        ORDER BY em DESC, id DESC LIMIT $2 OFFSET $3)
      SELECT a.id, a.em, a.acao, a.cliente, a.finalidade, a.campos, a.detalhe->'compartilhamento'->'camposVisiveis' AS visiveis, a.detalhe->'leitor' AS leitor
      FROM pagina JOIN auditoria a ON a.id = pagina.id ORDER BY a.em DESC, a.id DESC`;
/** The total of the page (also timed by bench/acessos.ts). */
export const SQL_TOTAL_ACESSOS = `SELECT count(*)::int AS total FROM auditoria WHERE pessoa_cpf = $1 AND ${PREDICADO_ACESSOS}`;

/** The audited action → what was done, in plain words. */
export const ACOES_LEGIVEIS = catalogo({
  'pessoa.lida': 'Consultou seu cadastro',
  'pessoa.historico-lido': 'Consultou o histórico de um dado do seu cadastro',
  'conta.lida': 'Consultou sua conta do Login Único e suas comprovações',
  'identidade.lida': 'Consultou os registros das bases municipais ligados a você',
  'conversa.lida': 'Leu uma conversa sua com a Prefeitura (Mensagens)',
}, {
  'pessoa.lida': 'Read your record',
  'pessoa.historico-lido': 'Read the history of one item of your record',
  'conta.lida': 'Read your sign-in account and its proofs of identity',
  'identidade.lida': 'Read the records of the City\'s databases linked to you',
  'conversa.lida': 'Read one of your conversations with the City (Messages)',
});

/** The organs' names (pt-BR: the official names; English: translated, the acronym kept). */
export const NOMES_DO_ORGAO = catalogo<Record<Orgao, string>>({
  cadastro: 'Equipe central do Cadastro Base de Pessoas',
  saude: 'Secretaria Municipal da Saúde (SMS)',
  fazenda: 'Secretaria Municipal da Fazenda (SF)',
  educacao: 'Secretaria Municipal de Educação (SME)',
  smads: 'Secretaria Municipal de Assistência e Desenvolvimento Social (SMADS)',
}, {
  cadastro: 'Citizen Register central team (Cadastro Base de Pessoas)',
  saude: 'Municipal Health Department (SMS)',
  fazenda: 'Municipal Finance Department (SF)',
  educacao: 'Municipal Education Department (SME)',
  smads: 'Municipal Social Assistance and Development Department (SMADS)',
});

/** The steward roles, as the citizen reads them. */
export const NOMES_DO_PAPEL = catalogo({
  'gestor-cadastro': 'gestor(a) do cadastro',
  'admin-cadastro': 'administrador(a) do cadastro',
  'gestor-saude': 'gestor(a) de dados da Saúde',
  'gestor-fazenda': 'gestor(a) de dados da Fazenda',
  'gestor-educacao': 'gestor(a) de dados da Educação',
  'gestor-smads': 'gestor(a) de dados da SMADS',
}, {
  'gestor-cadastro': 'register manager',
  'admin-cadastro': 'register administrator',
  'gestor-saude': 'Health data manager',
  'gestor-fazenda': 'Finance data manager',
  'gestor-educacao': 'Education data manager',
  'gestor-smads': 'SMADS data manager',
});

/** A steward role as the citizen reads it in `idioma` (the role's own name when unknown). */
export function nomeDoPapel(papel: string, idioma: Idioma): string {
  const r = NOMES_DO_PAPEL[idioma];
  return Object.hasOwn(r, papel) ? r[papel as keyof typeof r] : papel;
}

export const FINALIDADES_LEGIVEIS = catalogo({
  'gestao-cadastro': 'Gestão do Cadastro Base de Pessoas',
  'atendimento-cidadao': 'Responder às suas mensagens',
}, {
  'gestao-cadastro': 'Management of the Citizen Register (Cadastro Base de Pessoas)',
  'atendimento-cidadao': 'Answering your messages',
});

export const NAO_REGISTRADO = catalogo({ orgao: 'Órgão não registrado', aplicacao: 'Não registrada', finalidade: 'Não registrada' }, {
  orgao: 'Department not recorded', aplicacao: 'Not recorded', finalidade: 'Not recorded',
});

const legivel = (tabela: Readonly<Record<string, string>>, chave: string): string => (Object.hasOwn(tabela, chave) ? tabela[chave] : chave);

interface Acesso {
  id: string;
  /** ISO 8601 (UTC). */
  em: string;
  /** dd/mm/aaaa hh:mm, America/Sao_Paulo (English: 5 Dec 2026 14:30). */
  quando: string;
  oQue: string;
  /** Organ(s), in plain pt-BR; 'Órgão não registrado' for rows written before the organ was recorded. */
  orgao: string;
  /** Steward role(s), in plain pt-BR ('' when not recorded). */
  papel: string;
  /** The application (OAuth client) the read came through. */
  aplicacao: string;
  /** Field labels (pt-BR). */
  campos: string[];
  finalidade: string;
}

/** An access as the portal shows it in `idioma`: `finalidadeIdioma` is pt-BR when the purpose is a sharing rule's own (pt-BR only) text. */
export interface AcessoLegivel extends Acesso {
  finalidadeIdioma: Idioma;
}

export interface PaginaAcessos {
  /** Whether the account is tied to a master record; an untied account has no record, so nobody read it through one. */
  vinculada: boolean;
  total: number;
  limit: number;
  offset: number;
  itens: Acesso[];
}

interface LinhaAcesso {
  id: string;
  em: Date;
  acao: string;
  cliente: string | null;
  finalidade: string | null;
  campos: string[];
  visiveis: unknown;
  leitor: unknown;
}

function orgaosDoLeitor(leitor: unknown): Orgao[] {
  if (typeof leitor !== 'object' || leitor === null) return [];
  const orgaos = (leitor as { orgaos?: unknown }).orgaos;
  return Array.isArray(orgaos) ? ORGAOS.filter((o) => orgaos.includes(o)) : [];
}

function papeisDoLeitor(leitor: unknown): string[] {
  if (typeof leitor !== 'object' || leitor === null) return [];
  const papeis = (leitor as { papeis?: unknown }).papeis;
  return Array.isArray(papeis) ? papeis.filter((p): p is string => typeof p === 'string') : [];
}

/** Audit column names (`nome_mae`) and API field names (`nomeMae`) → the label the citizen reads. */
function rotuloDoCampo(campo: string, idioma: Idioma): string {
  const api = campo.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const r = rotuloCampo(api, idioma);
  return r !== api ? r : rotuloCampo(campo, idioma);
}

/**
 * One audit row in plain words. The sharing rules' purposes (compartilhamento/regras.ts) exist only in pt-BR: in
 * English they stay pt-BR, and `finalidadeIdioma` says so.
 */
function paraAcesso(l: LinhaAcesso, idioma: Idioma): AcessoLegivel {
  const orgaos = orgaosDoLeitor(l.leitor);
  const visiveis = Array.isArray(l.visiveis) ? l.visiveis.filter((c): c is string => typeof c === 'string') : null;
  // A thread read is for answering the citizen, whatever the organ's sharing rule is for.
  const finalidadesDosOrgaos = l.acao === 'conversa.lida' ? [] : orgaos.map((o) => REGRAS.orgaos[o]?.finalidade).filter((f): f is string => f !== undefined);
  const nr = NAO_REGISTRADO[idioma];
  return {
    id: String(l.id),
    em: l.em.toISOString(),
    quando: dataHora(l.em, idioma),
    oQue: legivel(ACOES_LEGIVEIS[idioma], l.acao),
    orgao: orgaos.length > 0 ? orgaos.map((o) => NOMES_DO_ORGAO[idioma][o]).join('; ') : nr.orgao,
    papel: papeisDoLeitor(l.leitor).map((p) => nomeDoPapel(p, idioma)).join('; '),
    aplicacao: l.cliente === null ? nr.aplicacao : nomeDaAplicacao(l.cliente, idioma),
    campos: [...new Set((visiveis ?? l.campos).map((c) => rotuloDoCampo(c, idioma)))],
    finalidade: finalidadesDosOrgaos.length > 0 ? finalidadesDosOrgaos.join('; ') : (l.finalidade === null ? nr.finalidade : legivel(FINALIDADES_LEGIVEIS[idioma], l.finalidade)),
    finalidadeIdioma: finalidadesDosOrgaos.length > 0 ? 'pt-BR' : idioma,
  };
}

/**
 * One page of the reads of the caller's own record (found from the token's `sub` and the account's evidence-backed
 * link — never from a CPF in the request), in pt-BR (the API's `/me/acessos`). Reading one's own access log is itself
 * audited (`acessos.lidos`).
 */
export async function listarAcessos(dataSource: DataSource, principal: Principal, pagina: { limit: number; offset: number }): Promise<PaginaAcessos> {
  const r = await lerAcessos(dataSource, principal, pagina, 'pt-BR');
  return { ...r, itens: r.itens.map(({ finalidadeIdioma: _, ...a }) => a) };
}

/** The same page in `idioma`, for the portal (each item says which language its purpose is in). */
export async function lerAcessos(
  dataSource: DataSource, principal: Principal, pagina: { limit: number; offset: number }, idioma: Idioma,
): Promise<Omit<PaginaAcessos, 'itens'> & { itens: AcessoLegivel[] }> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  const cpf = conta.pessoaCpf;
  if (cpf === null) return { vinculada: false, total: 0, limit: pagina.limit, offset: pagina.offset, itens: [] };
  const [linhas, [{ total }]] = await Promise.all([
    dataSource.query<LinhaAcesso[]>(SQL_ACESSOS, [cpf, pagina.limit, pagina.offset]),
    dataSource.query<{ total: number }[]>(SQL_TOTAL_ACESSOS, [cpf]),
  ]);
  // The read-audit group commit, as the person read (the answer leaves only once its audit row has committed).
  await gravadorDeLeituras(dataSource).registrar({
    ...contextoCidadao(principal),
    acao: 'acessos.lidos',
    pessoaCpf: cpf,
    campos: [],
    detalhe: { autoatendimento: true, limit: pagina.limit, offset: pagina.offset, itens: linhas.length },
  });
  return { vinculada: true, total, limit: pagina.limit, offset: pagina.offset, itens: linhas.map((l) => paraAcesso(l, idioma)) };
}

/** Most rows one CSV export carries (a citizen with more reads than this gets the newest ones, and says so). */
const MAXIMO_CSV = 50_000;

/** The CSV's header line. */
export const CABECALHO_CSV_ACESSOS = ['Data e hora', 'O que foi feito', 'Órgão', 'Papel', 'Aplicação', 'Dados consultados', 'Finalidade'].join(';');

function celulaCsv(valor: string): string {
  // A leading = + - @ (or tab/CR) would make a spreadsheet read the cell as a formula: prefix a quote (OWASP).
  const seguro = /^[=+\-@\t\r]/.test(valor) ? `'${valor}` : valor;
  return /[";\n\r]/.test(seguro) ? `"${seguro.replace(/"/g, '""')}"` : seguro;
}

/**
 * The whole access log of the caller's record as CSV (`;`-separated, as Brazilian spreadsheets expect; UTF-8 BOM).
 * Always pt-BR, headers and cells alike (also from the English portal): a data file, the same as `/me/acessos.csv`.
 */
export async function acessosEmCsv(dataSource: DataSource, principal: Principal): Promise<string> {
  const pagina = await listarAcessos(dataSource, principal, { limit: MAXIMO_CSV, offset: 0 });
  const linhas = pagina.itens.map((a) => [a.quando, a.oQue, a.orgao, a.papel, a.aplicacao, a.campos.join(', '), a.finalidade].map(celulaCsv).join(';'));
  return `\uFEFF${[CABECALHO_CSV_ACESSOS, ...linhas].join('\r\n')}\r\n`;
}
