/**
 * Step 3 — persistir (with provenance). Applies the accepted values to the record (one `versao` step), and for
 * every value written or offered appends a `valor_campo` row: the new current value (`vigente`), the replaced one
 * (`historico`, or `alternativo` when the PMCC keeps it as a losing conflicting value), losing values from other
 * sources (`alternativo`) and refused ones in tolerant mode (`descartado`). Opens the review items.
 */
import type { EntityManager } from 'typeorm';
import { ehViolacaoDeUnicidade } from '../db/data-source.js';
import type { ObjetoJson } from '../db/json.js';
import { Conflito } from '../errors/conflito.error.js';
import { fonteDoAtor, type Ator } from '../pmcc/decidir.js';
import type { Cadastro } from './cadastros.js';
import { Revisao } from './revisao.entity.js';
import type { MudancaCampo } from './tipos.js';
import { ValorCampo, type EstadoValor } from './valor-campo.entity.js';

export interface Proveniencia {
  ator: Ator;
  nomeAtor: string;
  chaveFonte: string | null;
  evidencia: Record<string, unknown> | null;
  observadoEm: string;
}

export function nomeDoAtor(ator: Ator): string {
  switch (ator.tipo) {
    case 'cidadao':
      return ator.cpf;
    case 'gestor':
      return ator.username;
    case 'carga':
      return `carga:${ator.fonte}${ator.lote ? `:${ator.lote}` : ''}`;
    case 'evento-keycloak':
      return `keycloak:${ator.fonte}`;
  }
}

export async function persistir(
  manager: EntityManager,
  cad: Cadastro,
  chave: string,
  criar: boolean,
  versaoAtual: number,
  mudancas: readonly MudancaCampo[],
  prov: Proveniencia,
): Promise<{ versao: number; revisoes: string[] }> {
  const aplicadas = mudancas.filter((m) => m.decisao.aplicar);
  const propriedades = Object.assign({}, ...aplicadas.map((m) => cad.propriedades(m.campo, m.para))) as Record<string, unknown>;
  let versao = versaoAtual;
  if (criar) {
    versao = 1;
    try {
      await manager.insert(cad.classe, { ...propriedades, [cad.chave]: chave, versao });
    } catch (err) {
      if (ehViolacaoDeUnicidade(err)) {
        throw new Conflito(cad.entidade === 'pessoa' ? 'Já existe pessoa com este CPF no cadastro base' : 'Já existe pessoa jurídica com este CNPJ no cadastro base');
      }
      throw err;
    }
  } else if (aplicadas.length > 0) {
    versao = versaoAtual + 1;
    await manager.update(cad.classe, { [cad.chave]: chave }, { ...propriedades, versao });
  }

  // ObjetoJson (Record<string, any>) is what the entity's jsonb column takes; the provenance carries Record<string, unknown>.
  const evidencia: ObjetoJson | null = prov.evidencia;
  const base = {
    entidade: cad.entidade,
    chave,
    fonte: fonteDoAtor(prov.ator),
    chaveFonte: prov.chaveFonte,
    evidencia,
    ator: prov.nomeAtor,
    tipoAtor: prov.ator.tipo,
    observadoEm: new Date(prov.observadoEm),
  };
  const revisoes: string[] = [];
  for (const m of mudancas) {
    const decisao: ObjetoJson = { resultado: m.decisao.resultado, codigo: m.decisao.codigo, mensagem: m.decisao.mensagem, regra: m.decisao.regra };
    let revisar: string | null = null;
    if (m.decisao.aplicar) {
      const anterior = await manager.findOne(ValorCampo, { where: { entidade: cad.entidade, chave, campo: m.campo, estado: 'vigente' } });
      const estadoAnterior: EstadoValor = m.decisao.guardarAlternativa ? 'alternativo' : 'historico';
      let anteriorId: string | null = anterior?.id ?? null;
      if (anterior) {
        await manager.update(ValorCampo, { id: anterior.id }, { estado: estadoAnterior });
      } else if (!criar && m.de !== null) {
        // A value from before provenance was kept: record it so the history is complete.
        const legado = await manager.insert(ValorCampo, {
          ...base, campo: m.campo, valor: m.de as ObjetoJson, estado: estadoAnterior, operacao: 'insercao', fonte: 'legado', chaveFonte: null, evidencia: null,
          ator: 'legado', tipoAtor: 'gestor', observadoEm: new Date('1970-01-01T00:00:00Z'), versaoRegistro: versaoAtual, decisao: { codigo: 'LEGADO' } as ObjetoJson,
        });
        anteriorId = String(legado.identifiers[0]['id']);
      }
      await manager.insert(ValorCampo, { ...base, campo: m.campo, valor: m.para as ObjetoJson, estado: 'vigente', operacao: m.operacao, versaoRegistro: versao, decisao });
      if (m.decisao.abrirRevisao) revisar = anteriorId;
    } else {
      const estado: EstadoValor = m.decisao.guardarAlternativa ? 'alternativo' : 'descartado';
      const r = await manager.insert(ValorCampo, { ...base, campo: m.campo, valor: m.para as ObjetoJson, estado, operacao: m.operacao, versaoRegistro: versao, decisao });
      if (m.decisao.abrirRevisao) revisar = String(r.identifiers[0]['id']);
    }
    if (revisar !== null) {
      const r = await manager.insert(Revisao, { entidade: cad.entidade, chave, campo: m.campo, valorCampoId: revisar, motivo: m.decisao.mensagem, codigo: m.decisao.codigo });
      revisoes.push(String(r.identifiers[0]['id']));
    }
  }
  return { versao, revisoes };
}
