/**
 * The semiannual update campaign (manual: May/November, published June/December), run by CGM/COPI/DTA:
 * open → focal points per organ → each organ's worklist (confirm or update every entry, add new ones) → the organ
 * marks itself done → reminders to those that have not → close: the compiled catalogue is published with the
 * list of organs that did not take part.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { ehDataIso } from '../validation/decorators-cadastro.js';
import { validarBase } from './base.dto.js';
import { CAMPOS_DADOS, inserirBase, listarBases, registrarVersao, type BaseRegistro } from './bases.repository.js';
import { randomUUID } from 'node:crypto';
import { itemPublicado, type ItemPublicado, type OrgaoResumo } from './publicacao.js';
import { relogio } from '../relogio.js';

export interface ContextoCgm {
  ator: string;
  cliente: string | null;
}

const FINALIDADE = 'cmbd-campanha';

function corpoObjeto(corpo: unknown, permitidos: string[]): Record<string, unknown> {
  if (typeof corpo !== 'object' || corpo === null || Array.isArray(corpo)) {
    throw new DadosInvalidos([{ path: '', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  }
  const extras = Object.keys(corpo).filter((k) => !permitidos.includes(k));
  if (extras.length) throw new DadosInvalidos(extras.map((k) => ({ path: k, message: `Campo não permitido: ${k}` })));
  return corpo as Record<string, unknown>;
}

export function siglaValida(valor: unknown, campo = 'sigla'): string {
  const s = typeof valor === 'string' ? valor.trim().toUpperCase() : '';
  if (!/^[A-Z0-9][A-Z0-9/-]{0,29}$/.test(s)) throw DadosInvalidos.campo(campo, 'Sigla inválida: use letras, dígitos, “/” ou “-” (ex.: SMADS, SMIT/CTI)');
  return s;
}

export function codigoCampanhaValido(valor: unknown): string {
  if (typeof valor !== 'string' || !/^\d{4}-[12]$/.test(valor)) {
    throw DadosInvalidos.campo('codigo', 'Código da campanha deve ser o ano e o semestre, ex.: 2026-2');
  }
  return valor;
}

// ---------- organs ----------

export async function registrarOrgao(ds: DataSource, siglaParam: string, corpo: unknown): Promise<OrgaoResumo & { criado: boolean }> {
  const sigla = siglaValida(siglaParam);
  const c = corpoObjeto(corpo, ['nome']);
  const nome = typeof c['nome'] === 'string' ? c['nome'].trim().replace(/\s+/g, ' ') : '';
  if (!nome || nome.length > 300) throw DadosInvalidos.campo('nome', 'Informe a denominação por extenso do órgão ou entidade (nome, até 300 caracteres)');
  return ds.transaction(async (m) => {
    const [r] = await m.query<{ criado: boolean }[]>(
      `INSERT INTO cmbd_orgao (sigla, nome) VALUES ($1, $2)
       ON CONFLICT (sigla) DO UPDATE SET nome = EXCLUDED.nome RETURNING (xmax = 0) AS criado`,
      [sigla, nome],
    );
    return { sigla, nome, criado: r.criado };
  });
}

export async function listarOrgaos(m: EntityManager): Promise<OrgaoResumo[]> {
  return await m.query<OrgaoResumo[]>(`SELECT sigla, nome FROM cmbd_orgao ORDER BY sigla`);
}

// ---------- campaign ----------

export interface CampanhaJson {
  codigo: string;
  situacao: 'ABERTA' | 'ENCERRADA';
  prazo: string;
  abertaEm: string;
  abertaPor: string;
  encerradaEm: string | null;
  orgaos: { sigla: string; nome: string; concluidaEm: string | null; concluidaPor: string | null; pendentes: number; total: number }[];
}

async function campanhaOu404(m: EntityManager, codigo: string, travar = false): Promise<{ codigo: string; situacao: string }> {
  const [c] = await m.query<{ codigo: string; situacao: string }[]>(`SELECT codigo, situacao FROM cmbd_campanha WHERE codigo = $1${travar ? ' FOR UPDATE' : ''}`, [codigo]);
  if (!c) throw new NaoEncontrado(`Campanha ${codigo} não encontrada`);
  return c;
}

function exigirAberta(c: { codigo: string; situacao: string }): void {
  if (c.situacao !== 'ABERTA') throw new RegraDeNegocioViolada(`A campanha ${c.codigo} está encerrada`);
}

export async function lerCampanha(m: EntityManager, codigo: string): Promise<CampanhaJson> {
  const [c] = await m.query<{ codigo: string; situacao: 'ABERTA' | 'ENCERRADA'; prazo: string; aberta_em: Date; aberta_por: string; encerrada_em: Date | null }[]>(
    `SELECT codigo, situacao, to_char(prazo, 'YYYY-MM-DD') AS prazo, aberta_em, aberta_por, encerrada_em FROM cmbd_campanha WHERE codigo = $1`,
    [codigo],
  );
  if (!c) throw new NaoEncontrado(`Campanha ${codigo} não encontrada`);
  const orgaos = await m.query<{ sigla: string; nome: string; concluida_em: Date | null; concluida_por: string | null; pendentes: number; total: number }[]>(
    `SELECT co.sigla, o.nome, co.concluida_em, co.concluida_por,
            count(b.id) FILTER (WHERE b.transferida_para IS NULL AND b.revisada_na_campanha IS DISTINCT FROM co.campanha)::int AS pendentes,
            count(b.id)::int AS total
       FROM cmbd_campanha_orgao co JOIN cmbd_orgao o ON o.sigla = co.sigla
       LEFT JOIN cmbd_base b ON b.sigla = co.sigla
      WHERE co.campanha = $1 GROUP BY co.sigla, o.nome, co.concluida_em, co.concluida_por ORDER BY co.sigla`,
    [codigo],
  );
  return {
    codigo: c.codigo, situacao: c.situacao, prazo: c.prazo, abertaEm: c.aberta_em.toISOString(), abertaPor: c.aberta_por,
    encerradaEm: c.encerrada_em?.toISOString() ?? null,
    orgaos: orgaos.map((o) => ({ sigla: o.sigla, nome: o.nome, concluidaEm: o.concluida_em?.toISOString() ?? null, concluidaPor: o.concluida_por, pendentes: o.pendentes, total: o.total })),
  };
}

/** Opens a campaign for every registered organ. One campaign open at a time. */
export async function abrirCampanha(ds: DataSource, corpo: unknown, ctx: ContextoCgm): Promise<CampanhaJson> {
  const c = corpoObjeto(corpo, ['codigo', 'prazo']);
  const codigo = codigoCampanhaValido(c['codigo']);
  if (!ehDataIso(c['prazo'])) throw DadosInvalidos.campo('prazo', 'Informe o prazo para os órgãos concluírem a atualização (prazo, AAAA-MM-DD)');
  return ds.transaction(async (m) => {
    await m.query(`LOCK TABLE cmbd_campanha IN EXCLUSIVE MODE`);
    const [existe] = await m.query<{ codigo: string; situacao: string }[]>(`SELECT codigo, situacao FROM cmbd_campanha WHERE codigo = $1 OR situacao = 'ABERTA'`, [codigo]);
    if (existe?.codigo === codigo) throw new Conflito(`A campanha ${codigo} já existe`);
    if (existe) throw new Conflito(`A campanha ${existe.codigo} ainda está aberta: encerre-a antes de abrir outra`);
    const [orgao] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM cmbd_orgao`);
    if (!orgao.n) throw new RegraDeNegocioViolada('Nenhum órgão cadastrado no CMBD: cadastre os órgãos antes de abrir a campanha');
    await m.query(`INSERT INTO cmbd_campanha (codigo, situacao, prazo, aberta_por) VALUES ($1, 'ABERTA', $2, $3)`, [codigo, c['prazo'], ctx.ator]);
    await m.query(`INSERT INTO cmbd_campanha_orgao (campanha, sigla) SELECT $1, sigla FROM cmbd_orgao`, [codigo]);
    return lerCampanha(m, codigo);
  });
}

export async function registrarPontoFocal(ds: DataSource, codigoParam: string, siglaParam: string, corpo: unknown, ctx: ContextoCgm): Promise<{ id: string; nome: string; email: string; username: string | null }> {
  const codigo = codigoCampanhaValido(codigoParam);
  const sigla = siglaValida(siglaParam);
  const c = corpoObjeto(corpo, ['nome', 'email', 'username']);
  const erros: { path: string; message: string }[] = [];
  const nome = typeof c['nome'] === 'string' ? c['nome'].trim() : '';
  const email = typeof c['email'] === 'string' ? c['email'].trim().toLowerCase() : '';
  const username = c['username'] === undefined || c['username'] === null ? null : typeof c['username'] === 'string' && c['username'].trim() ? c['username'].trim() : undefined;
  if (!nome || nome.length > 300) erros.push({ path: 'nome', message: 'Informe o nome do ponto focal (até 300 caracteres)' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) erros.push({ path: 'email', message: 'Informe um e-mail válido do ponto focal' });
  if (username === undefined) erros.push({ path: 'username', message: 'username deve ser o login do ponto focal no Login Único' });
  if (erros.length) throw new DadosInvalidos(erros);
  return ds.transaction(async (m) => {
    exigirAberta(await campanhaOu404(m, codigo));
    const [co] = await m.query<unknown[]>(`SELECT 1 FROM cmbd_campanha_orgao WHERE campanha = $1 AND sigla = $2`, [codigo, sigla]);
    if (!co) throw new NaoEncontrado(`O órgão ${sigla} não participa da campanha ${codigo}`);
    const linhas = await m.query<{ id: string }[]>(
      `INSERT INTO cmbd_ponto_focal (campanha, sigla, nome, email, username, criado_por) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (campanha, sigla, email) DO NOTHING RETURNING id::text`,
      [codigo, sigla, nome, email, username ?? null, ctx.ator],
    );
    if (!linhas[0]) throw new Conflito(`O ponto focal ${email} já está registrado para ${sigla} nesta campanha`);
    await registrarAuditoria(m, { ator: ctx.ator, acao: 'cmbd.ponto-focal.registrado', campos: ['nome', 'email', 'username'], cliente: ctx.cliente, finalidade: FINALIDADE, detalhe: { campanha: codigo, sigla, pontoFocalId: linhas[0].id } });
    return { id: linhas[0].id, nome, email, username: username ?? null };
  });
}

export interface ListaDeTrabalho {
  campanha: string;
  sigla: string;
  concluidaEm: string | null;
  pendentes: number;
  bases: (BaseRegistro & { revisadaNestaCampanha: boolean })[];
}

/** The organ's worklist: every entry it is responsible for, marked reviewed or not in this campaign. */
export async function listaDeTrabalho(ds: DataSource, codigoParam: string, siglaParam: string): Promise<ListaDeTrabalho> {
  const codigo = codigoCampanhaValido(codigoParam);
  const sigla = siglaValida(siglaParam);
  const m = ds.manager;
  await campanhaOu404(m, codigo);
  const [co] = await m.query<{ concluida_em: Date | null }[]>(`SELECT concluida_em FROM cmbd_campanha_orgao WHERE campanha = $1 AND sigla = $2`, [codigo, sigla]);
  if (!co) throw new NaoEncontrado(`O órgão ${sigla} não participa da campanha ${codigo}`);
  const bases = (await listarBases(m, { sigla })).map((b) => ({ ...b, revisadaNestaCampanha: b.transferidaPara !== null || b.revisadaNaCampanha === codigo }));
  return { campanha: codigo, sigla, concluidaEm: co.concluida_em?.toISOString() ?? null, pendentes: bases.filter((b) => !b.revisadaNestaCampanha).length, bases };
}

/** The organ says it is done; refused while any of its entries is still unreviewed. */
export async function concluirOrgao(ds: DataSource, codigoParam: string, siglaParam: string, ctx: ContextoCgm): Promise<CampanhaJson['orgaos'][number]> {
  const codigo = codigoCampanhaValido(codigoParam);
  const sigla = siglaValida(siglaParam);
  return ds.transaction(async (m) => {
    exigirAberta(await campanhaOu404(m, codigo));
    const [co] = await m.query<{ concluida_em: Date | null }[]>(`SELECT concluida_em FROM cmbd_campanha_orgao WHERE campanha = $1 AND sigla = $2 FOR UPDATE`, [codigo, sigla]);
    if (!co) throw new NaoEncontrado(`O órgão ${sigla} não participa da campanha ${codigo}`);
    if (co.concluida_em) throw new Conflito(`O órgão ${sigla} já concluiu a atualização desta campanha`);
    const pendentes = await m.query<{ titulo: string }[]>(
      `SELECT titulo FROM cmbd_base WHERE sigla = $1 AND transferida_para IS NULL AND revisada_na_campanha IS DISTINCT FROM $2 ORDER BY titulo`,
      [sigla, codigo],
    );
    if (pendentes.length) {
      throw new RegraDeNegocioViolada(
        `Ainda há ${pendentes.length} base(s) do órgão ${sigla} não conferida(s) nesta campanha: confirme ou atualize cada uma antes de concluir`,
        pendentes.map((p) => ({ path: 'bases', message: `Pendente: ${p.titulo}` })),
      );
    }
    await m.query(`UPDATE cmbd_campanha_orgao SET concluida_em = now(), concluida_por = $3 WHERE campanha = $1 AND sigla = $2`, [codigo, sigla, ctx.ator]);
    return (await lerCampanha(m, codigo)).orgaos.find((o) => o.sigla === sigla)!;
  });
}

export interface Pendente {
  sigla: string;
  nome: string;
  pendentes: number;
  pontosFocais: { nome: string; email: string }[];
  lembretes: number;
}

async function pendentesEm(m: EntityManager, codigo: string): Promise<Pendente[]> {
  return await m.query<Pendente[]>(
    `SELECT co.sigla, o.nome,
            (SELECT count(*)::int FROM cmbd_base b WHERE b.sigla = co.sigla AND b.transferida_para IS NULL AND b.revisada_na_campanha IS DISTINCT FROM co.campanha) AS pendentes,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('nome', p.nome, 'email', p.email) ORDER BY p.id) FROM cmbd_ponto_focal p WHERE p.campanha = co.campanha AND p.sigla = co.sigla), '[]') AS "pontosFocais",
            (SELECT count(*)::int FROM cmbd_lembrete l WHERE l.campanha = co.campanha AND l.sigla = co.sigla) AS lembretes
       FROM cmbd_campanha_orgao co JOIN cmbd_orgao o ON o.sigla = co.sigla
      WHERE co.campanha = $1 AND co.concluida_em IS NULL ORDER BY co.sigla`,
    [codigo],
  );
}

/** Organs that have not finished, with their focal points (read audited: names and e-mails). */
export async function listarPendentes(ds: DataSource, codigoParam: string, ctx: ContextoCgm): Promise<Pendente[]> {
  const codigo = codigoCampanhaValido(codigoParam);
  return ds.transaction(async (m) => {
    await campanhaOu404(m, codigo);
    const lista = await pendentesEm(m, codigo);
    await registrarAuditoria(m, { ator: ctx.ator, acao: 'cmbd.pontos-focais.lidos', campos: ['nome', 'email'], cliente: ctx.cliente, finalidade: FINALIDADE, detalhe: { campanha: codigo, orgaos: lista.map((p) => p.sigla) } });
    return lista;
  });
}

/**
 * Records one reminder per organ not done, per day (idempotent: a second run the same day records nothing new).
 * No e-mail leaves the system here: the record is what a mail/SEI integration would send (`canal`): an e-mail to
 * the focal points until the deadline; after it (or with no focal point) an official letter (ofício) through SEI
 * to the organ's cabinet, as the manual prescribes.
 */
export async function registrarLembretes(ds: DataSource, codigoParam: string, ctx: ContextoCgm, dia = relogio().hoje()): Promise<{ dia: string; registrados: { sigla: string; destinatarios: string[]; canal: string }[] }> {
  const codigo = codigoCampanhaValido(codigoParam);
  return ds.transaction(async (m) => {
    exigirAberta(await campanhaOu404(m, codigo, true));
    const [{ prazo }] = await m.query<{ prazo: string }[]>(`SELECT to_char(prazo, 'YYYY-MM-DD') AS prazo FROM cmbd_campanha WHERE codigo = $1`, [codigo]);
    const registrados: { sigla: string; destinatarios: string[]; canal: string }[] = [];
    for (const p of await pendentesEm(m, codigo)) {
      const destinatarios = p.pontosFocais.map((f) => f.email);
      const canal = destinatarios.length && dia <= prazo ? 'e-mail' : 'oficio-sei';
      const r = await m.query<unknown[]>(
        `INSERT INTO cmbd_lembrete (campanha, sigla, dia, destinatarios, canal, registrado_por) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (campanha, sigla, dia) DO NOTHING RETURNING id`,
        [codigo, p.sigla, dia, destinatarios, canal, ctx.ator],
      );
      if (r.length) registrados.push({ sigla: p.sigla, destinatarios, canal });
    }
    if (registrados.length) {
      await registrarAuditoria(m, { ator: ctx.ator, acao: 'cmbd.lembretes.registrados', campos: ['email'], cliente: ctx.cliente, finalidade: FINALIDADE, detalhe: { campanha: codigo, dia, orgaos: registrados.map((r) => r.sigla) } });
    }
    return { dia, registrados };
  });
}

export interface Publicacao {
  campanha: string;
  publicadaEm: string;
  itens: ItemPublicado[];
  participantes: OrgaoResumo[];
  naoParticipantes: OrgaoResumo[];
}

/** Closes the campaign: compiles the whole catalogue (never-deleted entries included) and publishes it. */
export async function encerrarCampanha(ds: DataSource, codigoParam: string, ctx: ContextoCgm): Promise<Publicacao> {
  const codigo = codigoCampanhaValido(codigoParam);
  return ds.transaction(async (m) => {
    exigirAberta(await campanhaOu404(m, codigo, true));
    const itens = (await listarBases(m)).map(itemPublicado);
    const orgaos = await m.query<{ sigla: string; nome: string; concluiu: boolean }[]>(
      `SELECT co.sigla, o.nome, co.concluida_em IS NOT NULL AS concluiu FROM cmbd_campanha_orgao co JOIN cmbd_orgao o ON o.sigla = co.sigla WHERE co.campanha = $1 ORDER BY co.sigla`,
      [codigo],
    );
    const participantes = orgaos.filter((o) => o.concluiu).map(({ sigla, nome }) => ({ sigla, nome }));
    const naoParticipantes = orgaos.filter((o) => !o.concluiu).map(({ sigla, nome }) => ({ sigla, nome }));
    await m.query(`UPDATE cmbd_campanha SET situacao = 'ENCERRADA', encerrada_em = now(), encerrada_por = $2 WHERE codigo = $1`, [codigo, ctx.ator]);
    const [p] = await m.query<{ publicada_em: Date }[]>(
      `INSERT INTO cmbd_publicacao (campanha, itens, orgaos_participantes, orgaos_nao_participantes) VALUES ($1, $2, $3, $4) RETURNING publicada_em`,
      [codigo, JSON.stringify(itens), JSON.stringify(participantes), JSON.stringify(naoParticipantes)],
    );
    return { campanha: codigo, publicadaEm: p.publicada_em.toISOString(), itens, participantes, naoParticipantes };
  });
}

/** The latest publication, or the one of a given campaign. */
export async function lerPublicacao(m: EntityManager, codigo?: string): Promise<Publicacao | null> {
  const [p] = await m.query<{ campanha: string; publicada_em: Date; itens: ItemPublicado[]; orgaos_participantes: OrgaoResumo[]; orgaos_nao_participantes: OrgaoResumo[] }[]>(
    `SELECT campanha, publicada_em, itens, orgaos_participantes, orgaos_nao_participantes FROM cmbd_publicacao
      ${codigo ? 'WHERE campanha = $1' : ''} ORDER BY publicada_em DESC LIMIT 1`,
    codigo ? [codigo] : [],
  );
  if (!p) return null;
  return { campanha: p.campanha, publicadaEm: p.publicada_em.toISOString(), itens: p.itens, participantes: p.orgaos_participantes, naoParticipantes: p.orgaos_nao_participantes };
}

/**
 * Imports entries (e.g. a published CSV into an empty catalogue): all rows or none. Organs missing from the
 * registry are registered from the row's (sigla, órgão); a row whose organ+title already exists is refused.
 */
export async function importarBases(ds: DataSource, entradas: Record<string, unknown>[], ctx: ContextoCgm): Promise<{ importadas: number; orgaosCriados: string[] }> {
  if (entradas.length === 0) throw DadosInvalidos.campo('csv', 'O arquivo não tem nenhuma base (só o cabeçalho ou vazio)');
  const erros: { path: string; message: string }[] = [];
  const validas: (Awaited<ReturnType<typeof validarBase>> | null)[] = [];
  for (const [i, e] of entradas.entries()) {
    try {
      validas.push(await validarBase(e, `linha ${i + 2}.`));
    } catch (err) {
      if (err instanceof DadosInvalidos) erros.push(...err.details);
      else throw err;
      validas.push(null);
    }
  }
  if (erros.length) throw new DadosInvalidos(erros, `O arquivo tem ${erros.length} erro(s); nada foi importado. ${erros.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return ds.transaction(async (m) => {
    const orgaosCriados: string[] = [];
    const conflitos: { path: string; message: string }[] = [];
    const vistos = new Set<string>();
    for (const [i, d] of validas.entries()) {
      const b = d!;
      const [o] = await m.query<{ nome: string }[]>(`SELECT nome FROM cmbd_orgao WHERE sigla = $1`, [b.sigla]);
      if (!o) {
        if (!b.orgao) conflitos.push({ path: `linha ${i + 2}.orgao`, message: `Órgão ${b.sigla} não cadastrado e sem denominação na linha` });
        else {
          await m.query(`INSERT INTO cmbd_orgao (sigla, nome) VALUES ($1, $2)`, [b.sigla, b.orgao]);
          orgaosCriados.push(b.sigla);
        }
      } else if (b.orgao !== undefined && b.orgao !== o.nome) {
        conflitos.push({ path: `linha ${i + 2}.orgao`, message: `Órgão ou entidade não confere com a sigla ${b.sigla}: cadastrado como “${o.nome}”` });
      }
      const chaveTitulo = `${b.sigla}\u0000${b.titulo.toLowerCase()}`;
      const [dup] = await m.query<unknown[]>(`SELECT 1 FROM cmbd_base WHERE sigla = $1 AND lower(titulo) = lower($2)`, [b.sigla, b.titulo]);
      if (dup || vistos.has(chaveTitulo)) conflitos.push({ path: `linha ${i + 2}.titulo`, message: `Já existe no catálogo a base “${b.titulo}” do órgão ${b.sigla}` });
      vistos.add(chaveTitulo);
      if (conflitos.length) continue;
      const { orgao: _o, ...dados } = b;
      const id = randomUUID();
      await inserirBase(m, id, dados);
      await registrarVersao(m, { baseId: id, acao: 'importada', ator: ctx.ator, campanha: null, campos: [...CAMPOS_DADOS] });
    }
    if (conflitos.length) throw new Conflito(`Importação recusada; nada foi importado. ${conflitos.slice(0, 3).map((c) => `${c.path}: ${c.message}`).join('; ')}`);
    return { importadas: validas.length, orgaosCriados };
  });
}
