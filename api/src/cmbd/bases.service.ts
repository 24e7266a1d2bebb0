/**
 * Catalogue entries: create, change, confirm (in a campaign), inactivate, transfer — never delete. Every write
 * appends a version row (who, when, which campaign, which fields, the full entry) in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { hojeIso, type BaseDados } from './base.dominio.js';
import { ehDataIso } from '../validation/decorators-cadastro.js';
import { validarBase } from './base.dto.js';
import {
  atualizarBase, buscarBase, camposAlterados, CAMPOS_DADOS, dadosDe, inserirBase, registrarVersao, type BaseRegistro,
} from './bases.repository.js';

/** The manual's reason, quoted when a delete is refused. */
export const MOTIVO_NUNCA_EXCLUIR =
  'Bases catalogadas no CMBD nunca são excluídas: “É importante que nenhuma base previamente informada no CMBD seja excluída, ' +
  'sendo cabível apenas a alteração do seu status no campo designado para isso.” Marque a base como INATIVA, com a data, ' +
  'ou transfira-a para o órgão que passou a ser responsável.';

export interface Ator {
  nome: string;
  /** Throws 403 unless the caller may edit entries of this organ. */
  autorizar(sigla: string): void;
}

export async function campanhaAberta(m: EntityManager): Promise<string | null> {
  const [c] = await m.query<{ codigo: string }[]>(`SELECT codigo FROM cmbd_campanha WHERE situacao = 'ABERTA'`);
  return c?.codigo ?? null;
}

async function nomeDoOrgao(m: EntityManager, sigla: string, campo = 'sigla'): Promise<string> {
  const [o] = await m.query<{ nome: string }[]>(`SELECT nome FROM cmbd_orgao WHERE sigla = $1`, [sigla]);
  if (!o) throw new RegraDeNegocioViolada(`O órgão ${sigla} não está cadastrado no CMBD (a CGM cadastra os órgãos)`, [{ path: campo, message: `Órgão ${sigla} não cadastrado` }]);
  return o.nome;
}

function conferirNomeOrgao(dados: { orgao?: string }, nome: string): void {
  if (dados.orgao !== undefined && dados.orgao !== nome) {
    throw DadosInvalidos.campo('orgao', `Órgão ou entidade não confere com a sigla: a sigla corresponde a “${nome}”`);
  }
}

/** An organ's titles identify its bases (the published CSV and the import rely on it): one title per organ. */
async function exigirTituloLivre(m: EntityManager, sigla: string, titulo: string, excetoId: string | null): Promise<void> {
  const [dup] = await m.query<unknown[]>(
    `SELECT 1 FROM cmbd_base WHERE sigla = $1 AND lower(titulo) = lower($2) AND id IS DISTINCT FROM $3::uuid`,
    [sigla, titulo, excetoId],
  );
  if (dup) throw new Conflito(`Já existe no catálogo a base “${titulo}” do órgão ${sigla}: cada base do órgão tem um título próprio`);
}

function semOrgao(d: BaseDados & { orgao?: string }): BaseDados {
  const { orgao: _o, ...resto } = d;
  return resto;
}

export async function obterBase(m: EntityManager, id: string): Promise<BaseRegistro> {
  const b = await buscarBase(m, id);
  if (!b) throw new NaoEncontrado('Base não encontrada no CMBD');
  return b;
}

export async function criarBase(ds: DataSource, entrada: unknown, ator: Ator): Promise<BaseRegistro> {
  const dados = await validarBase(entrada);
  ator.autorizar(dados.sigla);
  return ds.transaction(async (m) => {
    conferirNomeOrgao(dados, await nomeDoOrgao(m, dados.sigla));
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('cmbd_base:' || $1))`, [dados.sigla]);
    await exigirTituloLivre(m, dados.sigla, dados.titulo, null);
    const id = randomUUID();
    const campanha = await campanhaAberta(m);
    await inserirBase(m, id, semOrgao(dados), { revisadaNaCampanha: campanha });
    await registrarVersao(m, { baseId: id, acao: 'criada', ator: ator.nome, campanha, campos: [...CAMPOS_DADOS] });
    return (await buscarBase(m, id))!;
  });
}

/** Merges the change into the current entry and validates the whole entry again (the manual's rules are cross-field). */
export async function alterarBase(ds: DataSource, id: string, mudancas: unknown, ator: Ator): Promise<BaseRegistro> {
  if (typeof mudancas !== 'object' || mudancas === null || Array.isArray(mudancas)) {
    throw new DadosInvalidos([{ path: '', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  }
  return ds.transaction(async (m) => {
    const atual = await buscarBase(m, id, { travar: true });
    if (!atual) throw new NaoEncontrado('Base não encontrada no CMBD');
    ator.autorizar(atual.sigla);
    const mud = mudancas as Record<string, unknown>;
    if ('sigla' in mud && typeof mud['sigla'] === 'string' && mud['sigla'].trim().toUpperCase() !== atual.sigla) {
      throw DadosInvalidos.campo('sigla', 'Para mudar o órgão responsável pela base use a transferência (POST /cmbd/bases/:id/transferencia)');
    }
    if (atual.transferidaPara) {
      throw new RegraDeNegocioViolada(`Esta base foi transferida para ${atual.transferidaPara}: ela permanece no catálogo como registro histórico e não é mais alterada`);
    }
    // A base going back to ATIVA drops its date unless the change says otherwise.
    const base: Record<string, unknown> = { ...dadosDe(atual) };
    if (typeof mud['situacao'] === 'string' && mud['situacao'].toUpperCase() === 'ATIVA' && !('inativaDesde' in mud)) base['inativaDesde'] = null;
    if (mud['possuiDadosPessoais'] === false) {
      for (const c of ['fonteCarga', 'cronogramaMigracao', 'situacaoMigracao']) if (!(c in mud)) base[c] = null;
    }
    const dados = await validarBase({ ...base, ...mud });
    conferirNomeOrgao(dados, atual.orgao);
    const novo = semOrgao(dados);
    const campos = camposAlterados(dadosDe(atual), novo);
    if (campos.length === 0) return atual;
    if (campos.includes('titulo')) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cmbd_base:' || $1))`, [atual.sigla]);
      await exigirTituloLivre(m, atual.sigla, novo.titulo, id);
    }
    const campanha = await campanhaAberta(m);
    await atualizarBase(m, id, novo, campanha ? { revisadaNaCampanha: campanha } : {});
    const acao = atual.situacao === 'ATIVA' && novo.situacao === 'INATIVA' ? 'inativada' : 'atualizada';
    await registrarVersao(m, { baseId: id, acao, ator: ator.nome, campanha, campos });
    return (await buscarBase(m, id))!;
  });
}

/** "Conferido, sem alterações" in the open campaign's worklist. */
export async function confirmarBase(ds: DataSource, id: string, ator: Ator): Promise<BaseRegistro> {
  return ds.transaction(async (m) => {
    const atual = await buscarBase(m, id, { travar: true });
    if (!atual) throw new NaoEncontrado('Base não encontrada no CMBD');
    ator.autorizar(atual.sigla);
    const campanha = await campanhaAberta(m);
    if (!campanha) throw new RegraDeNegocioViolada('Não há campanha de atualização do CMBD aberta: não há o que confirmar');
    await atualizarBase(m, id, dadosDe(atual), { revisadaNaCampanha: campanha });
    await registrarVersao(m, { baseId: id, acao: 'confirmada', ator: ator.nome, campanha, campos: [] });
    return (await buscarBase(m, id))!;
  });
}

export async function inativarBase(ds: DataSource, id: string, corpo: unknown, ator: Ator): Promise<BaseRegistro> {
  const desde = (corpo as { desde?: unknown } | null)?.desde;
  const extras = corpo && typeof corpo === 'object' ? Object.keys(corpo).filter((k) => k !== 'desde') : [];
  if (extras.length) throw new DadosInvalidos(extras.map((k) => ({ path: k, message: `Campo não permitido: ${k}` })));
  if (!ehDataIso(desde) || desde > hojeIso()) throw DadosInvalidos.campo('desde', 'Informe desde quando a base deixou de ser utilizada (desde, AAAA-MM-DD, não futura)');
  return alterarBase(ds, id, { situacao: 'INATIVA', inativaDesde: desde }, ator);
}

/**
 * Transfer to another organ (manual: the origin keeps the files from before the transfer, with its status
 * changed): the origin entry stays, INATIVA since the date and marked `transferidaPara`; the destination organ
 * gets a new ATIVA entry with the same description, linked by `transferidaDe`.
 */
export async function transferirBase(ds: DataSource, id: string, corpo: unknown, ator: Ator): Promise<{ origem: BaseRegistro; destino: BaseRegistro }> {
  const c = (corpo ?? {}) as Record<string, unknown>;
  const erros: { path: string; message: string }[] = [];
  for (const k of Object.keys(c)) if (!['siglaDestino', 'data', 'secaoResponsavel'].includes(k)) erros.push({ path: k, message: `Campo não permitido: ${k}` });
  const siglaDestino = typeof c['siglaDestino'] === 'string' ? c['siglaDestino'].trim().toUpperCase() : '';
  if (!siglaDestino) erros.push({ path: 'siglaDestino', message: 'Informe a sigla do órgão que passou a ser responsável pela base (siglaDestino)' });
  if (!ehDataIso(c['data']) || c['data'] > hojeIso()) erros.push({ path: 'data', message: 'Informe a data da transferência (data, AAAA-MM-DD, não futura)' });
  if (c['secaoResponsavel'] !== undefined && (typeof c['secaoResponsavel'] !== 'string' || !c['secaoResponsavel'].trim())) erros.push({ path: 'secaoResponsavel', message: 'Seção responsável no órgão de destino deve ser texto' });
  if (erros.length) throw new DadosInvalidos(erros);
  const data = c['data'] as string;
  return ds.transaction(async (m) => {
    const atual = await buscarBase(m, id, { travar: true });
    if (!atual) throw new NaoEncontrado('Base não encontrada no CMBD');
    ator.autorizar(atual.sigla);
    if (atual.transferidaPara) throw new Conflito(`Esta base já foi transferida para ${atual.transferidaPara}`);
    if (siglaDestino === atual.sigla) throw DadosInvalidos.campo('siglaDestino', 'O órgão de destino deve ser diferente do atual');
    await nomeDoOrgao(m, siglaDestino, 'siglaDestino');
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('cmbd_base:' || $1))`, [siglaDestino]);
    await exigirTituloLivre(m, siglaDestino, atual.titulo, null);
    const campanha = await campanhaAberta(m);
    const origem: BaseDados = { ...dadosDe(atual), situacao: 'INATIVA', inativaDesde: atual.situacao === 'INATIVA' ? atual.inativaDesde : data };
    await atualizarBase(m, id, origem, { transferidaPara: siglaDestino, ...(campanha ? { revisadaNaCampanha: campanha } : {}) });
    await registrarVersao(m, { baseId: id, acao: 'transferida', ator: ator.nome, campanha, campos: [...camposAlterados(dadosDe(atual), origem), 'transferidaPara'] });
    const novoId = randomUUID();
    const destino: BaseDados = {
      ...dadosDe(atual), sigla: siglaDestino, situacao: 'ATIVA', inativaDesde: null,
      secaoResponsavel: typeof c['secaoResponsavel'] === 'string' ? c['secaoResponsavel'].trim() : atual.secaoResponsavel,
    };
    await inserirBase(m, novoId, destino, { transferidaDe: id, revisadaNaCampanha: campanha });
    await registrarVersao(m, { baseId: novoId, acao: 'recebida-por-transferencia', ator: ator.nome, campanha, campos: [...CAMPOS_DADOS] });
    return { origem: (await buscarBase(m, id))!, destino: (await buscarBase(m, novoId))! };
  });
}
