/**
 * The evidence summary (lastro) written into the Keycloak user attribute `lastro` next to `nivel_confianca`, read by
 * the protocol mapper `lum-verified-claims` (keycloak/…/mapeador/) to build the OpenID Connect for Identity Assurance
 * `verified_claims` claim. Format v1, compact JSON, keys in this order:
 *
 *   {"v":1,"cpf":"52998224725","nome":"Ana Lima","evidencias":[{"tipo":"vinculo-confirmado-gestor","verificadoEm":"2026-11-16T15:00:00.000Z","detalhe":"RG"}]}
 *
 * - `cpf`, `nome`: the master record the account is tied to by evidence (its CPF and civil name) — the verified claims;
 * - `evidencias`: the evidence that ties the account to that record, oldest first (same instant: by type), each with
 *   its type, when it was recorded (ISO 8601, UTC, milliseconds) and an optional short `detalhe` (the document type
 *   a steward checked in person). One entry per kind — type and detail — at its latest time: every gov.br sign-in
 *   appends a row of evidence, and the summary must stay small (the attribute holds at most 2,048 characters), so a
 *   kind verified again moves to its newest time instead of adding an entry;
 * - no summary (null) while the account is not tied to a record: nothing is verified about it.
 *
 * The same format is parsed in Java (`Lastro.java`); test/vetores/lastro.json is the vector both sides test against.
 */
import type { EntityManager } from 'typeorm';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia, type TipoEvidencia } from '../contas/evidencia.entity.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';

const VERSAO_LASTRO = 1;

export interface EntradaLastro {
  readonly conta: { readonly pessoaCpf: string | null };
  readonly pessoa: { readonly cpf: string; readonly nome: string } | null;
  readonly evidencias: readonly { readonly tipo: TipoEvidencia; readonly pessoaCpf: string | null; readonly registradoEm: Date; readonly detalhe: unknown }[];
}

/** The short detail an evidence type carries into the summary (never personal data beyond the verified claims). */
function detalheDe(tipo: TipoEvidencia, detalhe: unknown): string | undefined {
  if (tipo !== 'vinculo-confirmado-gestor' || typeof detalhe !== 'object' || detalhe === null) return undefined;
  const documento = (detalhe as { documento?: { tipo?: unknown } }).documento;
  return typeof documento?.tipo === 'string' ? documento.tipo : undefined;
}

/** The `lastro` attribute value, or null when the account is not tied to a record by evidence. Pure. */
export function resumoDoLastro(entrada: EntradaLastro): string | null {
  const cpf = entrada.conta.pessoaCpf;
  if (cpf === null || entrada.pessoa === null || entrada.pessoa.cpf !== cpf) return null;
  const porEspecie = new Map<string, { tipo: TipoEvidencia; verificadoEm: string; detalhe: string | undefined }>();
  for (const e of entrada.evidencias) {
    if (e.pessoaCpf !== cpf) continue;
    const item = { tipo: e.tipo, verificadoEm: e.registradoEm.toISOString(), detalhe: detalheDe(e.tipo, e.detalhe) };
    const especie = `${item.tipo}\u0000${item.detalhe ?? ''}`;
    const anterior = porEspecie.get(especie);
    if (!anterior || anterior.verificadoEm < item.verificadoEm) porEspecie.set(especie, item);
  }
  const evidencias = [...porEspecie.values()]
    .sort((a, b) => (a.verificadoEm === b.verificadoEm ? a.tipo.localeCompare(b.tipo) : a.verificadoEm.localeCompare(b.verificadoEm)));
  if (evidencias.length === 0) return null;
  return JSON.stringify({
    v: VERSAO_LASTRO,
    cpf,
    nome: entrada.pessoa.nome,
    evidencias: evidencias.map((e) => ({ tipo: e.tipo, verificadoEm: e.verificadoEm, ...(e.detalhe !== undefined ? { detalhe: e.detalhe } : {}) })),
  });
}

/** Reads what `resumoDoLastro` needs for one account and builds it (null for an unknown account). */
export async function lerResumoDoLastro(manager: EntityManager, contaId: string): Promise<string | null> {
  const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, select: { keycloakUserId: true, pessoaCpf: true } });
  if (!conta?.pessoaCpf) return null;
  const [pessoa, evidencias] = await Promise.all([
    manager.findOne(Pessoa, { where: { cpf: conta.pessoaCpf }, select: { cpf: true, nome: true } }),
    manager.find(Evidencia, { where: { contaId } }),
  ]);
  return resumoDoLastro({ conta, pessoa, evidencias });
}
