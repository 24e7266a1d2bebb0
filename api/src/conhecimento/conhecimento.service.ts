/**
 * Knowledge check (issue 12, item 3): a citizen whose account declares a CPF answers questions drawn from the
 * master record with that CPF; all right → evidence `conhecimento` ties the account to the record (level 3 under
 * REGRAS_NIVEL), the level is recomputed in the same transaction and the sync job enqueued after the commit.
 *
 * Guarantees (docs/conhecimento.md): rate-limited per account and per IP (limite.ts), locked for 24 h after
 * FALHAS_PARA_BLOQUEIO failed checks (the domain clock, relogio.ts), every start and answer audited, never which answer
 * was wrong, the right options and the citizen's answers never in a log line or an audit row, checks expire after
 * VALIDADE_MS, and the same pt-BR refusal whether the CPF has no record, an inactive or deceased one, or too few
 * facts with a confirmed source.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { MuitasTentativas } from '../errors/muitas-tentativas.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { Proibido } from '../errors/proibido.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { relogio } from '../relogio.js';
import { ConhecimentoConta, VerificacaoConhecimento } from './conhecimento.entity.js';
import { corrigir, MINIMO_PERGUNTAS, montarQuestionario, normalizarTexto, type CampoPergunta, type Fato, type Pergunta } from './perguntas.js';

/** Failed checks that lock the account. */
const FALHAS_PARA_BLOQUEIO = 3;
const BLOQUEIO_MS = 24 * 3600 * 1000;
/** How long a check can be answered after it was started. */
const VALIDADE_MS = 10 * 60 * 1000;

const FINALIDADE = 'verificacao-conhecimento';
const REGISTRADO_POR = 'verificacao-conhecimento';

/** One message for every reason the record cannot back a check: it says nothing about whether a record exists. */
const MENSAGEM_INDISPONIVEL =
  'Não é possível fazer a verificação por perguntas para a sua conta: o cadastro base não tem, para o CPF informado na conta, ' +
  'dados suficientes com origem confirmada. Para elevar o nível de confiança, entre com gov.br ou procure um posto Descomplica com um documento oficial com foto.';
const MENSAGEM_REPROVADA = 'As respostas não conferem com o cadastro base.';
const MENSAGEM_APROVADA = 'Respostas conferidas: sua conta foi vinculada ao seu registro no cadastro base.';

export interface VerificacaoIniciada {
  id: string;
  expiraEm: string;
  perguntas: Pergunta[];
  tentativasRestantes: number;
}

export interface ResultadoResposta {
  aprovada: boolean;
  mensagem: string;
  nivelConfianca: number;
  tentativasRestantes: number;
  bloqueadaAte: string | null;
}

function contexto(principal: Principal) {
  return { ator: principal.username ?? principal.sub, cliente: principal.clientId, finalidade: FINALIDADE };
}

async function contaDoCidadao(manager: EntityManager, principal: Principal): Promise<Conta> {
  const conta = await manager.findOne(Conta, { where: { keycloakUserId: principal.sub }, lock: { mode: 'pessimistic_write' } });
  if (!conta) throw new NaoEncontrado('Sua conta ainda não foi registrada no cadastro: entre novamente em alguns instantes');
  if (conta.situacao !== 'ativa') throw new Proibido('Sua conta foi excluída no Login Único');
  if (conta.pessoaCpf !== null) throw new Conflito('Sua conta já está vinculada a um registro do cadastro base: não há o que verificar');
  return conta;
}

/** The account's seed and lock row, created on first use; a lock whose time has passed is lifted here. */
async function controleDa(manager: EntityManager, contaId: string, agora: Date): Promise<ConhecimentoConta> {
  await manager.query(`INSERT INTO conhecimento_conta (conta_id, semente) VALUES ($1, $2) ON CONFLICT (conta_id) DO NOTHING`, [contaId, randomBytes(32).toString('hex')]);
  const controle = await manager.findOneOrFail(ConhecimentoConta, { where: { contaId }, lock: { mode: 'pessimistic_write' } });
  if (controle.bloqueadaAte !== null && controle.bloqueadaAte.getTime() <= agora.getTime()) {
    controle.bloqueadaAte = null;
    controle.falhas = 0;
    await manager.update(ConhecimentoConta, { contaId }, { bloqueadaAte: null, falhas: 0 });
  }
  return controle;
}

const FORMATO_BLOQUEIO = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });

function recusarSeBloqueada(controle: ConhecimentoConta, agora: Date): void {
  if (controle.bloqueadaAte === null) return;
  throw new MuitasTentativas(
    `Verificação por perguntas bloqueada após ${FALHAS_PARA_BLOQUEIO} tentativas sem sucesso: tente novamente depois de ${FORMATO_BLOQUEIO.format(controle.bloqueadaAte)} ` +
      '(horário de Brasília), ou entre com gov.br ou procure um posto Descomplica',
    Math.ceil((controle.bloqueadaAte.getTime() - agora.getTime()) / 1000),
  );
}

/** Sources whose values may become questions: anything but the citizen's own word and values of unknown origin. */
const FONTES_SEM_LASTRO = ['autodeclarado', 'legado'];

interface LinhaValor { campo: string; valor: unknown; estado: 'vigente' | 'historico' }

function logradouros(valor: unknown): string[] {
  if (!Array.isArray(valor)) return [];
  return valor
    .map((e: unknown) => (typeof e === 'object' && e !== null ? (e as { logradouro?: unknown }).logradouro : undefined))
    .filter((l): l is string => typeof l === 'string' && l.trim() !== '');
}

/**
 * The facts of a record that can become questions, each from a value with provenance (valor_campo) whose source is
 * neither the citizen nor unknown; a past address is a street of a replaced `enderecos` value that is not among the
 * current ones. Also the texts no distractor may take (every street the person has or had).
 */
async function fatosDoRegistro(manager: EntityManager, pessoa: Pessoa): Promise<{ fatos: Fato[]; proibidos: Partial<Record<CampoPergunta, string[]>> }> {
  const linhas: LinhaValor[] = await manager.query(
    `SELECT campo, valor, estado FROM valor_campo
      WHERE entidade = 'pessoa' AND chave = $1 AND estado IN ('vigente', 'historico')
        AND campo IN ('dataNascimento', 'nomeMae', 'nomePai', 'localNascimento', 'enderecos')
        AND tipo_ator <> 'cidadao' AND NOT (fonte = ANY($2::text[]))
      ORDER BY registrado_em DESC, id DESC`,
    [pessoa.cpf, FONTES_SEM_LASTRO],
  );
  const vigente = (campo: string) => linhas.find((l) => l.campo === campo && l.estado === 'vigente')?.valor;
  const fatos: Fato[] = [];
  const nascimento = vigente('dataNascimento');
  if (typeof nascimento === 'string' && nascimento === pessoa.dataNascimento) fatos.push({ campo: 'dataNascimento', valor: nascimento });
  const mae = vigente('nomeMae');
  if (typeof mae === 'string' && mae === pessoa.nomeMae && mae.trim() !== '') fatos.push({ campo: 'nomeMae', valor: mae });
  const atuais = new Set(logradouros(pessoa.enderecos).map(normalizarTexto));
  const anteriores = linhas.filter((l) => l.campo === 'enderecos' && l.estado === 'historico').flatMap((l) => logradouros(l.valor));
  const anterior = anteriores.find((l) => !atuais.has(normalizarTexto(l)));
  if (anterior !== undefined) fatos.push({ campo: 'enderecoAnterior', valor: anterior });
  const local = vigente('localNascimento') as { municipio?: unknown; uf?: unknown } | undefined;
  if (local && typeof local.municipio === 'string' && typeof local.uf === 'string') fatos.push({ campo: 'localNascimento', valor: `${local.municipio}/${local.uf}` });
  const pai = vigente('nomePai');
  if (typeof pai === 'string' && pai === pessoa.nomePai && pai.trim() !== '') fatos.push({ campo: 'nomePai', valor: pai });
  return { fatos, proibidos: { enderecoAnterior: [...atuais, ...anteriores] } };
}

/** The record the declared CPF points to, when it can back a check: active, no death record, not tied to another account. */
async function registroUtilizavel(manager: EntityManager, conta: Conta): Promise<Pessoa | null> {
  const pessoa = await manager.findOne(Pessoa, { where: { cpf: conta.cpfDeclarado as string } });
  if (!pessoa || pessoa.situacao !== 'ativa' || pessoa.obito) return null;
  const outras: unknown[] = await manager.query(`SELECT 1 FROM conta WHERE pessoa_cpf = $1 AND keycloak_user_id <> $2 AND situacao = 'ativa' LIMIT 1`, [pessoa.cpf, conta.keycloakUserId]);
  return outras.length > 0 ? null : pessoa;
}

/**
 * POST /me/verificacao-conhecimento. Starting again replaces an open check (same questions and options: they
 * depend only on the account's seed and the record). The refusal for "no usable record" is audited and then thrown.
 */
export async function iniciarVerificacao(dataSource: DataSource, principal: Principal): Promise<VerificacaoIniciada> {
  const agora = relogio().agora();
  const r = await dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    if (conta.cpfDeclarado === null) {
      throw new RegraDeNegocioViolada('Sua conta não tem CPF informado: informe o CPF na conta antes da verificação por perguntas');
    }
    const controle = await controleDa(manager, conta.keycloakUserId, agora);
    recusarSeBloqueada(controle, agora);
    const pessoa = await registroUtilizavel(manager, conta);
    const { fatos, proibidos } = pessoa ? await fatosDoRegistro(manager, pessoa) : { fatos: [], proibidos: {} };
    if (!pessoa || fatos.length < MINIMO_PERGUNTAS) {
      await registrarAuditoria(manager, {
        ...contexto(principal),
        acao: 'conhecimento.indisponivel',
        pessoaCpf: pessoa?.cpf ?? null,
        campos: fatos.map((f) => f.campo),
        detalhe: { contaId: conta.keycloakUserId },
      });
      return null;
    }
    const q = montarQuestionario(fatos, controle.semente, proibidos);
    await manager.update(VerificacaoConhecimento, { contaId: conta.keycloakUserId, situacao: 'aberta' }, { situacao: 'substituida' });
    const v = await manager.save(
      manager.create(VerificacaoConhecimento, {
        contaId: conta.keycloakUserId,
        pessoaCpf: pessoa.cpf,
        perguntas: [...q.perguntas],
        gabarito: { ...q.gabarito },
        situacao: 'aberta',
        criadaEm: agora,
        expiraEm: new Date(agora.getTime() + VALIDADE_MS),
        respondidaEm: null,
      }),
    );
    await registrarAuditoria(manager, {
      ...contexto(principal),
      acao: 'conhecimento.iniciada',
      pessoaCpf: pessoa.cpf,
      campos: q.perguntas.map((p) => p.campo),
      detalhe: { contaId: conta.keycloakUserId, verificacaoId: v.id },
    });
    return { id: v.id, expiraEm: v.expiraEm.toISOString(), perguntas: [...q.perguntas], tentativasRestantes: FALHAS_PARA_BLOQUEIO - controle.falhas };
  });
  if (r === null) throw new RegraDeNegocioViolada(MENSAGEM_INDISPONIVEL);
  return r;
}

/** The answers as `{ pergunta → opção }`, refused (400) unless they answer each question of the check once, with one of its options. */
function respostasDaVerificacao(v: VerificacaoConhecimento, respostas: readonly { pergunta: string; opcao: string }[]): Record<string, string> {
  const mapa: Record<string, string> = {};
  for (const [i, r] of respostas.entries()) {
    const pergunta = v.perguntas.find((p) => p.id === r.pergunta);
    if (!pergunta) throw DadosInvalidos.campo(`respostas.${i}.pergunta`, `A pergunta ${r.pergunta} não faz parte desta verificação`);
    if (Object.hasOwn(mapa, r.pergunta)) throw DadosInvalidos.campo(`respostas.${i}.pergunta`, `A pergunta ${r.pergunta} foi respondida mais de uma vez`);
    if (!pergunta.opcoes.some((o) => o.id === r.opcao)) throw DadosInvalidos.campo(`respostas.${i}.opcao`, `A opção ${r.opcao} não existe na pergunta ${r.pergunta}`);
    mapa[r.pergunta] = r.opcao;
  }
  const faltam = v.perguntas.filter((p) => !Object.hasOwn(mapa, p.id)).map((p) => p.id);
  if (faltam.length > 0) throw DadosInvalidos.campo('respostas', `Responda todas as perguntas: faltam ${faltam.join(', ')}`);
  return mapa;
}

/**
 * POST /me/verificacao-conhecimento/:id/respostas. A wrong set of answers gives the same answer whatever was wrong;
 * the FALHAS_PARA_BLOQUEIO-th failure locks the account for BLOQUEIO_MS. Right answers → evidence, link, recompute.
 */
export async function responderVerificacao(
  dataSource: DataSource,
  principal: Principal,
  verificacaoId: string,
  respostas: readonly { pergunta: string; opcao: string }[],
): Promise<{ resultado: ResultadoResposta; recalculo: ResultadoRecalculo | null }> {
  const agora = relogio().agora();
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const v = await manager.findOne(VerificacaoConhecimento, { where: { id: verificacaoId, contaId: conta.keycloakUserId }, lock: { mode: 'pessimistic_write' } });
    if (!v) throw new NaoEncontrado('Verificação não encontrada');
    const controle = await controleDa(manager, conta.keycloakUserId, agora);
    recusarSeBloqueada(controle, agora);
    if (v.situacao !== 'aberta') throw new Conflito('Esta verificação já foi encerrada: comece outra');
    if (v.expiraEm.getTime() <= agora.getTime()) throw new RegraDeNegocioViolada('O prazo para responder esta verificação acabou: comece outra');
    const mapa = respostasDaVerificacao(v, respostas);
    const campos = v.perguntas.map((p) => p.campo);

    if (!corrigir(v.gabarito, mapa)) {
      const falhas = controle.falhas + 1;
      const bloquear = falhas >= FALHAS_PARA_BLOQUEIO;
      const bloqueadaAte = bloquear ? new Date(agora.getTime() + BLOQUEIO_MS) : null;
      await manager.update(ConhecimentoConta, { contaId: conta.keycloakUserId }, { falhas: bloquear ? 0 : falhas, bloqueadaAte });
      await manager.update(VerificacaoConhecimento, { id: v.id }, { situacao: 'reprovada', respondidaEm: agora });
      await registrarAuditoria(manager, {
        ...contexto(principal),
        acao: 'conhecimento.reprovada',
        pessoaCpf: v.pessoaCpf,
        campos,
        detalhe: { contaId: conta.keycloakUserId, verificacaoId: v.id, falhas, bloqueadaAte: bloqueadaAte?.toISOString() ?? null },
      });
      return {
        resultado: {
          aprovada: false,
          mensagem: MENSAGEM_REPROVADA,
          nivelConfianca: Number(conta.nivelConfianca),
          tentativasRestantes: bloquear ? 0 : FALHAS_PARA_BLOQUEIO - falhas,
          bloqueadaAte: bloqueadaAte?.toISOString() ?? null,
        },
        recalculo: null,
      };
    }

    // Right answers: the facts must still hold (the declared CPF and the record may have changed since the start).
    const pessoa = conta.cpfDeclarado === v.pessoaCpf ? await registroUtilizavel(manager, conta) : null;
    if (!pessoa) throw new Conflito('O cadastro ou a conta mudou desde o início da verificação: comece outra');
    const evidencia = await manager.save(
      manager.create(Evidencia, { contaId: conta.keycloakUserId, tipo: 'conhecimento', pessoaCpf: pessoa.cpf, detalhe: { verificacaoId: v.id, campos }, registradoPor: REGISTRADO_POR }),
    );
    await manager.update(Conta, { keycloakUserId: conta.keycloakUserId }, { pessoaCpf: pessoa.cpf });
    await manager.update(ConhecimentoConta, { contaId: conta.keycloakUserId }, { falhas: 0 });
    await manager.update(VerificacaoConhecimento, { id: v.id }, { situacao: 'aprovada', respondidaEm: agora });
    const recalculo = await recalcular(conta.keycloakUserId, manager, { evidenciaNova: true });
    await registrarAuditoria(manager, {
      ...contexto(principal),
      acao: 'conta.vinculo-conhecimento',
      pessoaCpf: pessoa.cpf,
      campos: recalculo.mudou ? ['pessoa_cpf', 'nivel_confianca'] : ['pessoa_cpf'],
      detalhe: { contaId: conta.keycloakUserId, verificacaoId: v.id, evidenciaId: evidencia.id, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel, versao: recalculo.versao },
    });
    return {
      resultado: { aprovada: true, mensagem: MENSAGEM_APROVADA, nivelConfianca: recalculo.nivel, tentativasRestantes: FALHAS_PARA_BLOQUEIO, bloqueadaAte: null },
      recalculo,
    };
  });
}
