/**
 * What the pipeline needs to know about each kind of record: entity, key, body DTO, required fields on creation,
 * the API field ↔ PMCC field names, the JSON function and the cross-field checks that need the whole record.
 */
import type { ClassConstructor } from 'class-transformer';
import { In, type EntityManager } from 'typeorm';
import type { DetalheDeErro } from '../errors/api-error.js';
import type { Entidade } from '../pmcc/politicas.js';
import { CAMPOS_PJ_API, CamposPessoaJuridicaDto, OBRIGATORIOS_CRIACAO_PJ, pessoaJuridicaParaJson } from '../pessoas/pessoa-juridica.dto.js';
import { PessoaJuridica } from '../pessoas/pessoa-juridica.entity.js';
import { CAMPOS_PESSOA_API, CamposPessoaDto, OBRIGATORIOS_CRIACAO_PESSOA, pessoaParaJson } from '../pessoas/pessoa.dto.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';

/**
 * What the whole-record checks read from other records: the birth dates of those of `cpfs` that have a record.
 * Entrada Única answers it from the database inside its transaction (`consultaNoBanco`); the batch merge
 * (`carga/fundir.ts`) answers it from what it read in bulk, as the database would be at that row.
 */
export type ConsultaRegistros = (cpfs: readonly string[]) => Promise<ReadonlyArray<{ readonly cpf: string; readonly dataNascimento: string }>>;

/** `ConsultaRegistros` on the database, through the caller's transaction. */
export function consultaNoBanco(manager: EntityManager): ConsultaRegistros {
  return (cpfs) => manager.find(Pessoa, { where: { cpf: In([...cpfs]) }, select: { cpf: true, dataNascimento: true } });
}

export interface Cadastro {
  entidade: Entidade;
  classe: ClassConstructor<object>;
  chave: 'cpf' | 'cnpj';
  dto: ClassConstructor<object>;
  obrigatorios: ReadonlyArray<readonly [string, string]>;
  /** API field names, in display order. */
  campos: readonly string[];
  /** API field → PMCC field (same name unless listed). */
  campoPmcc(campo: string): string;
  /** Column names for the audit row. */
  coluna(campo: string): string;
  paraJson(registro: object): Record<string, unknown>;
  /** Record property values derived from an API field (e.g. `obito` from `obitoRegistro`). */
  propriedades(campo: string, valor: unknown): Record<string, unknown>;
  /** Checks that need the whole record (and other records, read through `consultar`); [] when fine. */
  validarRegistro(estado: Record<string, unknown>, consultar: ConsultaRegistros): Promise<DetalheDeErro[]>;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const CADASTRO_PESSOA: Cadastro = {
  entidade: 'pessoa',
  classe: Pessoa,
  chave: 'cpf',
  dto: CamposPessoaDto,
  obrigatorios: OBRIGATORIOS_CRIACAO_PESSOA,
  campos: CAMPOS_PESSOA_API,
  campoPmcc: (c) => (c === 'obitoRegistro' ? 'obito' : c),
  coluna: snake,
  paraJson: (r) => pessoaParaJson(r as Pessoa) as unknown as Record<string, unknown>,
  propriedades: (campo, valor) => (campo === 'obitoRegistro' ? { obitoRegistro: valor, obito: valor !== null } : { [campo]: valor }),
  async validarRegistro(e, consultar) {
    const erros: DetalheDeErro[] = [];
    const cpf = e['cpf'] as string;
    const nascimento = e['dataNascimento'] as string | null;
    for (const [campo, rotulo] of [['cpfMae', 'mãe'], ['cpfPai', 'pai']] as const) {
      if (e[campo] && e[campo] === cpf) erros.push({ path: campo, message: `A pessoa não pode ser a própria ${rotulo === 'mãe' ? 'mãe' : 'pai'}` });
    }
    if (e['cpfMae'] && e['cpfMae'] === e['cpfPai']) erros.push({ path: 'cpfPai', message: 'CPF do pai igual ao CPF da mãe' });
    const pais = [e['cpfMae'], e['cpfPai']].filter((c): c is string => typeof c === 'string' && c !== cpf);
    if (pais.length > 0 && nascimento) {
      const registros = await consultar(pais);
      for (const p of registros) {
        if (p.dataNascimento >= nascimento) {
          const campo = p.cpf === e['cpfMae'] ? 'cpfMae' : 'cpfPai';
          erros.push({ path: campo, message: `${campo === 'cpfMae' ? 'A mãe' : 'O pai'} (nascimento ${p.dataNascimento}) deve ter nascido antes da pessoa (${nascimento})` });
        }
      }
    }
    const relacoes = (e['relacoesFamiliares'] as Array<{ cpf: string; tipo: string }> | null) ?? [];
    if (relacoes.some((r) => r.cpf === cpf)) erros.push({ path: 'relacoesFamiliares', message: 'Uma relação familiar não pode apontar para a própria pessoa' });
    const chaves = relacoes.map((r) => `${r.tipo}:${r.cpf}`);
    if (new Set(chaves).size !== chaves.length) erros.push({ path: 'relacoesFamiliares', message: 'Relação familiar repetida' });
    const obito = e['obitoRegistro'] as { data: string } | null;
    if (obito && nascimento && obito.data < nascimento) erros.push({ path: 'obitoRegistro.data', message: 'A data do óbito não pode ser anterior à data de nascimento' });
    return erros;
  },
};

export const CADASTRO_PJ: Cadastro = {
  entidade: 'pessoa_juridica',
  classe: PessoaJuridica,
  chave: 'cnpj',
  dto: CamposPessoaJuridicaDto,
  obrigatorios: OBRIGATORIOS_CRIACAO_PJ,
  campos: CAMPOS_PJ_API,
  campoPmcc: (c) => c,
  coluna: snake,
  paraJson: (r) => pessoaJuridicaParaJson(r as PessoaJuridica) as unknown as Record<string, unknown>,
  propriedades: (campo, valor) => ({ [campo]: valor }),
  validarRegistro(e) {
    const resp = (e['responsaveis'] as Array<{ cpf: string; papel: string }> | null) ?? [];
    const chaves = resp.map((r) => `${r.papel}:${r.cpf}`);
    return Promise.resolve(new Set(chaves).size !== chaves.length ? [{ path: 'responsaveis', message: 'Responsável repetido' }] : []);
  },
};

export function cadastroDe(entidade: Entidade): Cadastro {
  return entidade === 'pessoa' ? CADASTRO_PESSOA : CADASTRO_PJ;
}
