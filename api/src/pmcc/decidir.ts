/**
 * The PMCC decision for one field: a pure function of the policy, the actor, the operation and the current value's
 * provenance. No I/O, no clock (the caller passes the observation times).
 */
import { FONTES, type FonteId, type Operacao, type Permissao, type PoliticaCampo, type TipoAtor } from './politicas.js';

export type Ator =
  | { readonly tipo: 'cidadao'; readonly cpf: string }
  | { readonly tipo: 'gestor'; readonly username: string; readonly orgao: string }
  | { readonly tipo: 'carga'; readonly fonte: FonteId; readonly lote?: string }
  | { readonly tipo: 'evento-keycloak'; readonly fonte: FonteId };

/** The source system an actor writes as. */
export function fonteDoAtor(ator: Ator): FonteId {
  switch (ator.tipo) {
    case 'cidadao':
      return 'autodeclarado';
    case 'gestor':
      return 'gestor';
    default:
      return ator.fonte;
  }
}

export const CODIGOS_PMCC = [
  'ACEITO',
  'CAMPO_IMUTAVEL',
  'ATOR_NAO_AUTORIZADO',
  'FONTE_NAO_AUTORIZADA',
  'ORGAO_NAO_AUTORIZADO',
  'EVIDENCIA_OBRIGATORIA',
  'SOLICITACAO_DO_CIDADAO',
  'PRECEDENCIA_INFERIOR',
  'VALOR_MAIS_ANTIGO',
  'SOBRESCRITA_DE_CAMPO_CRITICO',
  'VARIANTE_DE_NOME',
] as const;
export type CodigoPmcc = (typeof CODIGOS_PMCC)[number];

export interface Decisao {
  readonly resultado: 'aceitar' | 'rejeitar' | 'aceitar-e-revisar';
  readonly codigo: CodigoPmcc;
  /** pt-BR, shown to the steward or citizen. */
  readonly mensagem: string;
  /** The value becomes the current one. */
  readonly aplicar: boolean;
  /** The value that does not become (or stops being) current is kept as an alternative. */
  readonly guardarAlternativa: boolean;
  /** A steward review item is opened. */
  readonly abrirRevisao: boolean;
  /** `<campo>.<operação>.<tipo de ator>=<permissão>`: which rule decided. */
  readonly regra: string;
}

export interface EntradaDecisao {
  readonly politica: PoliticaCampo;
  readonly operacao: Operacao;
  readonly ator: Ator;
  /** Documentary evidence came with the request. */
  readonly temEvidencia: boolean;
  /** When the source observed the new value (ISO 8601); a steward's or citizen's request: now. */
  readonly observadoEm: string;
  /** Provenance of the current value (modificação / exclusão). */
  readonly vigente?: { readonly fonte: string; readonly observadoEm: string } | null;
}

const NOMES_ATOR: Record<TipoAtor, string> = { cidadao: 'o cidadão', gestor: 'o gestor', carga: 'a carga em lote', 'evento-keycloak': 'o evento do Login Único' };
const NOMES_OPERACAO: Record<Operacao, string> = { insercao: 'incluir', modificacao: 'alterar', exclusao: 'excluir' };

function precedencia(fonte: string): number {
  return (FONTES as Record<string, { precedencia: number }>)[fonte]?.precedencia ?? 0;
}

/** Decides whether `ator` may perform `operacao` on the field of `politica`. */
export function decidir(e: EntradaDecisao): Decisao {
  const { politica, operacao, ator } = e;
  const regraOp = politica[operacao];
  const permissao: Permissao = regraOp[ator.tipo];
  const regra = `${politica.campo}.${operacao}.${ator.tipo}=${permissao}`;
  const campo = politica.campo;
  const aceitar: Decisao = { resultado: 'aceitar', codigo: 'ACEITO', mensagem: 'Aceito', aplicar: true, guardarAlternativa: false, abrirRevisao: false, regra };
  const rejeitar = (codigo: CodigoPmcc, mensagem: string, guardarAlternativa = false): Decisao => {
    // A losing conflicting value on a critical field: kept, and a steward looks at it.
    if (guardarAlternativa && politica.critico) {
      return { resultado: 'aceitar-e-revisar', codigo, mensagem: `${mensagem}; o valor foi guardado como alternativo e enviado à fila de revisão`, aplicar: false, guardarAlternativa: true, abrirRevisao: true, regra };
    }
    return { resultado: 'rejeitar', codigo, mensagem, aplicar: false, guardarAlternativa, abrirRevisao: false, regra };
  };

  if (Object.values({ c: regraOp.cidadao, g: regraOp.gestor, l: regraOp.carga, k: regraOp['evento-keycloak'] }).every((p) => p === 'nunca')) {
    return rejeitar('CAMPO_IMUTAVEL', `O campo ${campo} não pode ser ${operacao === 'exclusao' ? 'excluído' : operacao === 'modificacao' ? 'alterado' : 'incluído'} por ninguém (PMCC)`);
  }
  if (permissao === 'nunca') {
    return rejeitar('ATOR_NAO_AUTORIZADO', `Pela PMCC, ${NOMES_ATOR[ator.tipo]} não pode ${NOMES_OPERACAO[operacao]} o campo ${campo}`);
  }
  if ((ator.tipo === 'carga' || ator.tipo === 'evento-keycloak') && regraOp.fontes && !regraOp.fontes.includes(ator.fonte)) {
    return rejeitar('FONTE_NAO_AUTORIZADA', `Pela PMCC, o campo ${campo} só pode ser alterado pelas fontes ${regraOp.fontes.join(', ')} (recebido de ${ator.fonte})`);
  }
  if (ator.tipo === 'gestor' && regraOp.orgaos && !regraOp.orgaos.includes(ator.orgao)) {
    return rejeitar('ORGAO_NAO_AUTORIZADO', `Pela PMCC, o campo ${campo} só pode ser alterado por gestores de ${regraOp.orgaos.join(', ')}`);
  }

  switch (permissao) {
    case 'permitido':
      return aceitar;
    case 'com-evidencia':
      return e.temEvidencia ? aceitar : rejeitar('EVIDENCIA_OBRIGATORIA', `Para ${NOMES_OPERACAO[operacao]} o campo ${campo} é obrigatório informar a evidência documental (evidencia.tipo e evidencia.numero)`);
    case 'solicitacao':
      return {
        resultado: 'aceitar-e-revisar',
        codigo: 'SOLICITACAO_DO_CIDADAO',
        mensagem: `O cidadão não altera o campo ${campo} diretamente: a solicitação foi registrada e será analisada por um gestor`,
        aplicar: false,
        guardarAlternativa: true,
        abrirRevisao: true,
        regra,
      };
    case 'precedencia-maior':
    case 'precedencia-maior-ou-igual':
    case 'mais-recente': {
      const vigente = e.vigente;
      if (!vigente || operacao === 'insercao') return aceitar;
      const nova = precedencia(fonteDoAtor(ator));
      const atual = precedencia(vigente.fonte);
      const maisRecente = e.observadoEm > vigente.observadoEm;
      let vence: boolean;
      let codigo: CodigoPmcc = 'PRECEDENCIA_INFERIOR';
      if (permissao === 'mais-recente') {
        vence = maisRecente || e.observadoEm === vigente.observadoEm;
        codigo = 'VALOR_MAIS_ANTIGO';
      } else if (nova > atual) vence = true;
      else if (nova === atual && permissao === 'precedencia-maior-ou-igual') {
        vence = maisRecente;
        codigo = 'VALOR_MAIS_ANTIGO';
      } else vence = false;
      if (!vence) {
        return rejeitar(
          codigo,
          codigo === 'VALOR_MAIS_ANTIGO'
            ? `O valor de ${campo} recebido de ${fonteDoAtor(ator)} é mais antigo que o vigente (de ${vigente.fonte})`
            : `A fonte ${fonteDoAtor(ator)} tem precedência ${nova === atual ? 'igual' : 'menor'} que a do valor vigente de ${campo} (${vigente.fonte})`,
          true,
        );
      }
      if (politica.critico) {
        // The winner applies; the value it replaces is a losing conflicting value on a critical field.
        return {
          resultado: 'aceitar-e-revisar',
          codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO',
          mensagem: `O valor de ${campo} de ${fonteDoAtor(ator)} substituiu o de ${vigente.fonte}; o anterior foi guardado como alternativo e enviado à fila de revisão`,
          aplicar: true,
          guardarAlternativa: true,
          abrirRevisao: true,
          regra,
        };
      }
      return aceitar;
    }
  }
}
