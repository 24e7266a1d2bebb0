/**
 * Entrada Única — the one write pipeline. Every write to the Cadastro Base goes through `entradaUnica`: the
 * stewards' routes, the citizen's own edits (`/me`), Keycloak profile events, resolved reviews and the demo seed.
 * It also accepts a batch-load actor (`carga`); the batch load itself (`carga/fundir.ts`) applies the same decision
 * code set-based and is tested equal to calling this row by row. The steps, in order:
 *
 *   1. validar           — body through the record's DTO; required fields; whole-record checks   (validar.ts)
 *   2. decidir-pmcc      — per changed field: operation + PMCC decision for this actor            (decidir-pmcc.ts)
 *   3. persistir         — record + valor_campo provenance/history + review items                 (persistir.ts)
 *   4. auditar           — audit row in the same transaction                                      (auditar.ts)
 *   5. recalcular-nivel  — confidence level of the linked accounts, same transaction              (recalcular-nivel.ts)
 *   6. enfileirar-sync   — after commit, the Keycloak sync jobs                                   (enfileirar-sync.ts)
 *
 * Steps 2–5 and the whole-record checks of step 1 run in one transaction holding a row lock on the record
 * (optimistic concurrency on top: a stale `versaoEsperada` is a 409). A dry run stops after step 2: it answers the decisions and the would-be record and
 * writes only its audit row.
 */
import type { DataSource } from 'typeorm';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { PoliticaNegada } from '../pmcc/politica-negada.error.js';
import { auditar } from './auditar.js';
import { cadastroDe } from './cadastros.js';
import { decidirMudancas, type Vigente } from './decidir-pmcc.js';
import { enfileirarSync } from './enfileirar-sync.js';
import { nomeDoAtor, persistir } from './persistir.js';
import { recalcularNivel } from './recalcular-nivel.js';
import type { PedidoEscrita, ResultadoEscrita } from './tipos.js';
import { validarCorpoDoPedido, validarEstado } from './validar.js';
import { ValorCampo } from './valor-campo.entity.js';
import { relogio } from '../relogio.js';

export const PASSOS = ['validar', 'decidir-pmcc', 'persistir', 'auditar', 'recalcular-nivel', 'enfileirar-sync'] as const;

export interface DepsEntradaUnica {
  dataSource: DataSource;
  /** Keycloak sync producer; absent in tools that only write records. */
  fila?: FilaSyncNivel;
  logger: { error(obj: object, msg: string): void };
}

export async function entradaUnica(deps: DepsEntradaUnica, pedido: PedidoEscrita): Promise<ResultadoEscrita> {
  const cad = cadastroDe(pedido.entidade);
  const criar = pedido.tipo === 'criar';
  const modo = pedido.modo ?? 'estrito';
  const observadoEm = pedido.observadoEm ?? relogio().agora().toISOString();

  // 1. validar (the body)
  const { campos, evidencia } = await validarCorpoDoPedido(cad, pedido.tipo, pedido.corpo);
  const chave = criar ? (campos[cad.chave] as string) : pedido.chave;
  if (!chave) throw DadosInvalidos.campo(cad.chave, `${cad.chave} é obrigatório`);

  const { resultado, recalculos } = await deps.dataSource.transaction(async (manager) => {
    const registro = await manager.findOne(cad.classe, { where: { [cad.chave]: chave }, lock: { mode: 'pessimistic_write' } });
    if (criar && registro) {
      throw new Conflito(cad.entidade === 'pessoa' ? 'Já existe pessoa com este CPF no cadastro base' : 'Já existe pessoa jurídica com este CNPJ no cadastro base');
    }
    if (!criar && !registro) throw new NaoEncontrado(cad.entidade === 'pessoa' ? 'Pessoa não encontrada no cadastro base' : 'Pessoa jurídica não encontrada no cadastro base');
    const atual = registro ? cad.paraJson(registro) : null;
    const versaoAtual = (atual?.['versao'] as number | undefined) ?? 0;
    if (!criar && pedido.versaoEsperada != null && pedido.versaoEsperada !== versaoAtual) {
      throw new Conflito(`O registro foi alterado por outra requisição (versão atual ${versaoAtual}, informada ${pedido.versaoEsperada}); leia-o de novo e reaplique a alteração`);
    }

    // 2. decidir-pmcc
    const vigentes = new Map<string, Vigente>();
    if (!criar) {
      const linhas = await manager.find(ValorCampo, { where: { entidade: cad.entidade, chave, estado: 'vigente' }, select: { campo: true, fonte: true, observadoEm: true } });
      for (const l of linhas) vigentes.set(l.campo, { fonte: l.fonte, observadoEm: l.observadoEm.toISOString() });
    }
    if (criar) campos[cad.chave] = chave;
    const mudancas = decidirMudancas({ cad, atual, campos, ator: pedido.ator, temEvidencia: evidencia !== null, observadoEm, vigentes });

    // 1'. validar (the whole record as it would be)
    const aplicadas = mudancas.filter((m) => m.decisao.aplicar);
    const estado: Record<string, unknown> = { ...(atual ?? {}), ...Object.fromEntries(aplicadas.map((m) => [m.campo, m.para])) };
    await validarEstado(cad, estado, manager);

    const recusas = mudancas.filter((m) => m.decisao.resultado === 'rejeitar' && !(modo === 'tolerante' && m.decisao.guardarAlternativa));
    if (pedido.dryRun) {
      await auditar(manager, cad, pedido.contexto, { chave, tipo: 'simulada', mudancas, versao: versaoAtual, revisoes: [] });
      const previa = { ...estado, versao: versaoAtual + (aplicadas.length > 0 || criar ? 1 : 0) };
      return { resultado: { entidade: cad.entidade, chave, criado: criar, dryRun: true, registro: previa, versao: previa.versao, mudancas, revisoesAbertas: [], sincronizacoes: [] }, recalculos: [] };
    }
    if (recusas.length > 0 && (modo === 'estrito' || criar)) {
      throw new PoliticaNegada(recusas.map((m) => ({ campo: m.campo, operacao: m.operacao, codigo: m.decisao.codigo, mensagem: m.decisao.mensagem, regra: m.decisao.regra })));
    }

    // 3. persistir
    const { versao, revisoes } = await persistir(manager, cad, chave, criar, versaoAtual, mudancas, {
      ator: pedido.ator,
      nomeAtor: pedido.proveniencia?.ator ?? nomeDoAtor(pedido.ator),
      chaveFonte: pedido.chaveFonte ?? null,
      evidencia: evidencia ?? pedido.proveniencia?.evidencia ?? null,
      observadoEm,
    });
    // 4. auditar
    await auditar(manager, cad, pedido.contexto, { chave, tipo: criar ? 'criada' : 'alterada', mudancas, versao, revisoes });
    if (pedido.dentroDaTransacao) await pedido.dentroDaTransacao(manager);
    // 5. recalcular-nivel
    const recalculos = await recalcularNivel(manager, cad, chave, mudancas);

    const depois = await manager.findOneOrFail(cad.classe, { where: { [cad.chave]: chave } });
    return {
      resultado: { entidade: cad.entidade, chave, criado: criar, dryRun: false, registro: cad.paraJson(depois), versao, mudancas, revisoesAbertas: revisoes, sincronizacoes: [] as string[] },
      recalculos,
    };
  });

  // 6. enfileirar-sync (after commit)
  resultado.sincronizacoes = await enfileirarSync(deps.fila, recalculos, deps.logger);
  return resultado;
}
