/**
 * The rows of one CPF applied to its master record in memory, in `linha` order, exactly as `entradaUnica` would
 * apply each one in tolerant mode (`entrada-unica/pipeline.ts` + `persistir.ts`): the same body
 * (`linhaParaCorpo`), the same required fields on creation, the same PMCC decisions (`decidirMudancas`), the same
 * whole-record checks (`CADASTRO_PESSOA.validarRegistro`), and the provenance rows and review items `persistir`
 * would write, in the same order. Nothing here touches the database: `fundir.ts` reads the current state in bulk
 * and writes what this returns in bulk.
 *
 * What differs from the row-by-row path is only the execution: the current record, its `vigente` provenance and
 * the parents' birth dates come from bulk reads (and, for parents changed earlier in the same load, from their
 * timeline), and new `valor_campo` rows get their ids when the batch is written, in generation order (`posicao`
 * says which of the batch's new rows of the same CPF and field a review item points at).
 */
import type { DetalheDeErro } from '../errors/api-error.js';
import { CADASTRO_PESSOA, type ConsultaRegistros } from '../entrada-unica/cadastros.js';
import { decidirMudancas } from '../entrada-unica/decidir-pmcc.js';
import { CAMPOS_DO_PERFIL_KEYCLOAK, CAMPOS_QUE_MOVEM_NIVEL } from '../entrada-unica/recalcular-nivel.js';
import type { EstadoValor } from '../entrada-unica/valor-campo.entity.js';
import { OBRIGATORIOS_CRIACAO_PESSOA, pessoaParaJson } from '../pessoas/pessoa.dto.js';
import type { Pessoa } from '../pessoas/pessoa.entity.js';
import type { Ator } from '../pmcc/decidir.js';
import type { FonteId, Operacao } from '../pmcc/politicas.js';
import { linhaParaCorpo, type LinhaStaging } from './linha-para-corpo.js';

/** A staged row of the CPF, with its position in the file. */
export interface LinhaDoGrupo extends LinhaStaging {
  readonly linha: number;
}

/** A `valor_campo` row this load writes (in generation order, which becomes the id order). */
interface ValorNovo {
  /** 0 for the CPF's first new row of this field, 1 for the second… */
  posicao: number;
  campo: string;
  valor: unknown;
  estado: EstadoValor;
  operacao: Operacao;
  fonte: string;
  chaveFonte: string | null;
  ator: string;
  tipoAtor: string;
  /** ISO 8601 in milliseconds, as Entrada Única stores it (`new Date(observadoEm)`), or the legacy epoch. */
  observadoEm: string;
  versaoRegistro: number;
  decisao: Record<string, unknown>;
}

/** A `valor_campo` row: one already in the database (by id) or one this load writes. */
export type RefValor = { readonly banco: string } | { readonly novo: ValorNovo };

/** The current value's provenance, as `decidir` reads it (`observadoEm` as the database returns it: ISO, ms, Z). */
export interface VigenteEmMemoria {
  readonly fonte: string;
  readonly observadoEm: string;
  readonly ref: RefValor;
}

interface RevisaoNova {
  readonly campo: string;
  readonly valor: RefValor;
  readonly motivo: string;
  readonly codigo: string;
}

export type MotivoRecusa = 'campos-obrigatorios' | 'registro-inconsistente' | 'recusada-pela-pmcc';

interface Recusa {
  readonly linha: number;
  readonly motivo: MotivoRecusa;
  readonly detalhes: readonly DetalheDeErro[];
}

/** Whether the record existed at a point of the load, and its birth date then. */
export interface EstadoNascimento {
  readonly existe: boolean;
  readonly data: string | null;
}

export interface ContextoGrupo {
  readonly ator: Ator & { readonly tipo: 'carga' };
  /** `nomeDoAtor(ator)`. */
  readonly nomeAtor: string;
  readonly fonte: FonteId;
  /** The load's `observadoEm`, as given. */
  readonly observadoEm: string;
  /** `observadoEm` as the database gives it back (`timestamptz` → ISO with ms, UTC). */
  readonly observadoEmNoBanco: string;
  readonly hoje: string;
  /** Birth dates of the given CPFs' records as they are when row `linha` is applied. */
  readonly consultarPais: (cpfs: readonly string[], linha: number) => ReadonlyArray<{ cpf: string; dataNascimento: string }>;
}

export interface ResultadoGrupo {
  /** The record after the rows (null: none existed and no row could create it). */
  registro: Pessoa | null;
  criado: boolean;
  /** Some row changed the record (insert or update needed). */
  alterado: boolean;
  valores: ValorNovo[];
  /** Rows already in the database whose `estado` changes (the value they held was replaced). */
  rebaixados: Array<{ id: string; estado: EstadoValor }>;
  revisoes: RevisaoNova[];
  recusas: Recusa[];
  linhasAplicadas: number;
  /** Birth-date timeline: every row that created the record or changed its birth date. */
  nascimentos: Array<{ linha: number; data: string }>;
  /** A change that can move a confidence level was applied to a record that existed before the load. */
  recalcularNivel: boolean;
  /** A value Keycloak shows for a tied account (name, nome social, e-mails) changed on a record that existed: see CAMPOS_DO_PERFIL_KEYCLOAK. */
  perfilAlterado: boolean;
}

const MOVEM_NIVEL: ReadonlySet<string> = new Set(CAMPOS_QUE_MOVEM_NIVEL);
const DO_PERFIL: ReadonlySet<string> = new Set(CAMPOS_DO_PERFIL_KEYCLOAK);
const EPOCA = '1970-01-01T00:00:00.000Z';

/** A new record as the database fills it on INSERT (column defaults), before the written properties. */
function registroNovo(cpf: string): Pessoa {
  const agora = new Date(0); // criadoEm/atualizadoEm: not read by any decision
  return {
    cpf, nome: '', dataNascimento: '', obito: false, situacao: 'ativa', versao: 1, nomeSocial: null, genero: null, estadoCivil: null, localNascimento: null,
    rg: null, tituloEleitor: null, cpfMae: null, nomeMae: null, cpfPai: null, nomePai: null, obitoRegistro: null, emails: [], telefones: [], enderecos: [],
    relacoesFamiliares: [], biometria: null, certificadoIcp: null, vinculoGovbr: null, criadoEm: agora, atualizadoEm: agora,
  };
}

/**
 * Applies the CPF's rows (in `linha` order) to `registroInicial` (a copy is changed; null = no record yet) whose
 * `vigente` provenance is `vigentes` (changed in place: it ends as the provenance after the rows).
 */
export async function fundirGrupo(
  cpf: string,
  linhas: readonly LinhaDoGrupo[],
  registroInicial: Pessoa | null,
  vigentes: Map<string, VigenteEmMemoria>,
  ctx: ContextoGrupo,
): Promise<ResultadoGrupo> {
  const existia = registroInicial !== null;
  let registro: Pessoa | null = registroInicial ? { ...registroInicial } : null;
  const r: ResultadoGrupo = {
    registro, criado: false, alterado: false, valores: [], rebaixados: [], revisoes: [], recusas: [], linhasAplicadas: 0, nascimentos: [], recalcularNivel: false, perfilAlterado: false,
  };
  // One literal with every field (no spreads): millions of these per load, and a single object shape keeps V8 fast.
  const porCampo = new Map<string, number>();
  const novo = (campo: string, valor: unknown, estado: EstadoValor, operacao: Operacao, versaoRegistro: number, decisao: Record<string, unknown>, chaveFonte: string | null): ValorNovo => {
    const posicao = porCampo.get(campo) ?? 0;
    porCampo.set(campo, posicao + 1);
    const n: ValorNovo = {
      posicao, campo, valor, estado, operacao, fonte: ctx.fonte, chaveFonte, ator: ctx.nomeAtor, tipoAtor: 'carga', observadoEm: ctx.observadoEmNoBanco, versaoRegistro, decisao,
    };
    r.valores.push(n);
    return n;
  };
  const rebaixar = (ref: RefValor, estado: EstadoValor) => {
    if ('novo' in ref) ref.novo.estado = estado;
    else r.rebaixados.push({ id: ref.banco, estado });
  };

  for (const l of linhas) {
    // 1. validar: the body (valid for the DTO by construction) and, on creation, the required fields.
    const corpo: Record<string, unknown> = linhaParaCorpo(l, ctx.fonte, ctx.hoje);
    const criar = registro === null;
    if (criar) {
      const faltando = OBRIGATORIOS_CRIACAO_PESSOA.filter(([campo]) => corpo[campo] === undefined || corpo[campo] === null);
      if (faltando.length > 0) {
        r.recusas.push({ linha: l.linha, motivo: 'campos-obrigatorios', detalhes: faltando.map(([path, message]) => ({ path, message })) });
        continue;
      }
    }
    // 2. decidir-pmcc
    const atual = registro ? (pessoaParaJson(registro) as unknown as Record<string, unknown>) : null;
    const mudancas = decidirMudancas({
      cad: CADASTRO_PESSOA, atual, campos: corpo, ator: ctx.ator, temEvidencia: false, observadoEm: ctx.observadoEm, vigentes: criar ? new Map() : vigentes,
    });
    // 1'. validar: the whole record as it would be.
    const aplicadas = mudancas.filter((m) => m.decisao.aplicar);
    const estado: Record<string, unknown> = { ...(atual ?? {}), ...Object.fromEntries(aplicadas.map((m) => [m.campo, m.para])) };
    const consultar: ConsultaRegistros = (cpfs) => Promise.resolve(ctx.consultarPais(cpfs, l.linha));
    const erros = await CADASTRO_PESSOA.validarRegistro(estado, consultar);
    if (erros.length > 0) {
      r.recusas.push({ linha: l.linha, motivo: 'registro-inconsistente', detalhes: erros });
      continue;
    }
    // Tolerant mode: a refusal without a kept alternative aborts only a creation.
    const recusasPmcc = mudancas.filter((m) => m.decisao.resultado === 'rejeitar' && !m.decisao.guardarAlternativa);
    if (recusasPmcc.length > 0 && criar) {
      r.recusas.push({ linha: l.linha, motivo: 'recusada-pela-pmcc', detalhes: recusasPmcc.map((m) => ({ path: m.campo, message: `${m.decisao.codigo}: ${m.decisao.mensagem}` })) });
      continue;
    }

    // 3. persistir
    r.linhasAplicadas += 1;
    const versaoAtual = registro?.versao ?? 0;
    let versao = versaoAtual;
    const propriedades = Object.assign({}, ...aplicadas.map((m) => CADASTRO_PESSOA.propriedades(m.campo, m.para))) as Partial<Pessoa>;
    if (criar) {
      versao = 1;
      registro = { ...registroNovo(cpf), ...propriedades, cpf, versao };
      r.criado = true;
      r.alterado = true;
    } else if (aplicadas.length > 0) {
      versao = versaoAtual + 1;
      registro = { ...registro!, ...propriedades, versao };
      r.alterado = true;
    }
    for (const m of mudancas) {
      const decisao = { resultado: m.decisao.resultado, codigo: m.decisao.codigo, mensagem: m.decisao.mensagem, regra: m.decisao.regra };
      let revisar: RefValor | null = null;
      if (m.decisao.aplicar) {
        const anterior = vigentes.get(m.campo);
        const estadoAnterior: EstadoValor = m.decisao.guardarAlternativa ? 'alternativo' : 'historico';
        let anteriorRef: RefValor | null = null;
        if (anterior) {
          rebaixar(anterior.ref, estadoAnterior);
          anteriorRef = anterior.ref;
        } else if (!criar && m.de !== null) {
          // A value from before provenance was kept: recorded so the history is complete (as persistir does).
          const legado = novo(m.campo, m.de, estadoAnterior, 'insercao', versaoAtual, { codigo: 'LEGADO' }, null);
          legado.fonte = 'legado';
          legado.ator = 'legado';
          legado.tipoAtor = 'gestor';
          legado.observadoEm = EPOCA;
          anteriorRef = { novo: legado };
        }
        const vigente = novo(m.campo, m.para, 'vigente', m.operacao, versao, decisao, l.chaveFonte);
        vigentes.set(m.campo, { fonte: ctx.fonte, observadoEm: ctx.observadoEmNoBanco, ref: { novo: vigente } });
        if (m.decisao.abrirRevisao) revisar = anteriorRef;
        if (existia && MOVEM_NIVEL.has(m.campo)) r.recalcularNivel = true;
        if (existia && DO_PERFIL.has(m.campo)) r.perfilAlterado = true;
      } else {
        const valor = novo(m.campo, m.para, m.decisao.guardarAlternativa ? 'alternativo' : 'descartado', m.operacao, versao, decisao, l.chaveFonte);
        if (m.decisao.abrirRevisao) revisar = { novo: valor };
      }
      if (revisar !== null) r.revisoes.push({ campo: m.campo, valor: revisar, motivo: m.decisao.mensagem, codigo: m.decisao.codigo });
    }
    if (criar || aplicadas.some((m) => m.campo === 'dataNascimento')) r.nascimentos.push({ linha: l.linha, data: registro!.dataNascimento });
  }
  r.registro = registro;
  return r;
}

/** The birth-date state of a record at row `linha` from its state before the load and its timeline in the load. */
export function nascimentoEm(inicial: EstadoNascimento, nascimentos: ReadonlyArray<{ linha: number; data: string }>, linha: number): EstadoNascimento {
  let estado = inicial;
  for (const n of nascimentos) if (n.linha < linha) estado = { existe: true, data: n.data };
  return estado;
}
