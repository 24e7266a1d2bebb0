import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ObjetoJson } from '../db/json.js';

export const SITUACOES_PESSOA = ['ativa', 'inativa'] as const;
export type SituacaoPessoa = (typeof SITUACOES_PESSOA)[number];

/**
 * Master record of a natural person (Cadastro Base de Pessoas), keyed by CPF.
 * Every field of the source documents; each field's provenance and history live in `valor_campo` (see
 * `api/src/entrada-unica/`). Composite fields (RG, local de nascimento, óbito, contatos, endereços, relações) are
 * jsonb validated by the DTOs; the API shape is `pessoaParaJson`.
 */
@Entity({ name: 'pessoa' })
export class Pessoa {
  /** 11 digits, check digits valid (PMCC: never modified, never deleted). */
  @PrimaryColumn({ type: 'char', length: 11 })
  cpf: string;

  @Column({ type: 'text' })
  nome: string;

  /** `AAAA-MM-DD` (PostgreSQL `date`, kept as a string: no time zone games). */
  @Column({ name: 'data_nascimento', type: 'date' })
  dataNascimento: string;

  @Column({ type: 'boolean', default: false })
  obito: boolean;

  @Column({ type: 'text', default: 'ativa' })
  situacao: SituacaoPessoa;

  /** Incremented on every change of the record. */
  @Column({ type: 'integer', default: 1 })
  versao: number;

  @Column({ name: 'nome_social', type: 'text', nullable: true })
  nomeSocial: string | null;

  @Column({ type: 'text', nullable: true })
  genero: string | null;

  @Column({ name: 'estado_civil', type: 'text', nullable: true })
  estadoCivil: string | null;

  /** `{ municipio, uf }` */
  @Column({ name: 'local_nascimento', type: 'jsonb', nullable: true })
  localNascimento: ObjetoJson | null;

  /** `{ numero, digito, uf }` */
  @Column({ type: 'jsonb', nullable: true })
  rg: ObjetoJson | null;

  @Column({ name: 'titulo_eleitor', type: 'char', length: 12, nullable: true })
  tituloEleitor: string | null;

  @Column({ name: 'cpf_mae', type: 'char', length: 11, nullable: true })
  cpfMae: string | null;

  @Column({ name: 'nome_mae', type: 'text', nullable: true })
  nomeMae: string | null;

  @Column({ name: 'cpf_pai', type: 'char', length: 11, nullable: true })
  cpfPai: string | null;

  @Column({ name: 'nome_pai', type: 'text', nullable: true })
  nomePai: string | null;

  /** `{ data, fonte, certidao }`; `obito` is true exactly when this is set (kept for the level function). */
  @Column({ name: 'obito_registro', type: 'jsonb', nullable: true })
  obitoRegistro: ObjetoJson | null;

  /** `[{ endereco, verificado }]` */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  emails: ObjetoJson[];

  /** `[{ numero, tipo, verificado }]` */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  telefones: ObjetoJson[];

  /** `[{ cep, logradouro, numero, complemento, bairro, municipio, uf, desde }]` */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  enderecos: ObjetoJson[];

  /** `[{ tipo, cpf }]`: typed links to other persons. */
  @Column({ name: 'relacoes_familiares', type: 'jsonb', default: () => "'[]'::jsonb" })
  relacoesFamiliares: ObjetoJson[];

  /** Presence and reference of a capture, never a template: `{ pontoCaptura, referencia, capturadaEm }`. */
  @Column({ type: 'jsonb', nullable: true })
  biometria: ObjetoJson | null;

  @Column({ name: 'certificado_icp', type: 'jsonb', nullable: true })
  certificadoIcp: ObjetoJson | null;

  @Column({ name: 'vinculo_govbr', type: 'jsonb', nullable: true })
  vinculoGovbr: ObjetoJson | null;

  @CreateDateColumn({ name: 'criado_em', type: 'timestamptz' })
  criadoEm: Date;

  @UpdateDateColumn({ name: 'atualizado_em', type: 'timestamptz' })
  atualizadoEm: Date;
}
