/**
 * Step 1 — validar. The same checks for every path: the body through the record's DTO (types, formats, check
 * digits, unknown fields, unreadable text), the fields required on creation, and — once the current record is
 * known — the checks that need the whole record (parents born earlier, nobody is their own parent…).
 */
import type { EntityManager } from 'typeorm';
import type { DetalheDeErro } from '../errors/api-error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { validarCorpo } from '../validation/validar.js';
import { consultaNoBanco, type Cadastro } from './cadastros.js';

export interface CorpoValidado {
  /** Field values by API name; `null` = delete. Plain JSON (no class instances). */
  campos: Record<string, unknown>;
  evidencia: Record<string, unknown> | null;
}

export async function validarCorpoDoPedido(cad: Cadastro, tipo: 'criar' | 'alterar', corpo: unknown): Promise<CorpoValidado> {
  let detalhes: DetalheDeErro[] = [];
  let instancia: object | null = null;
  try {
    instancia = await validarCorpo(cad.dto, corpo);
  } catch (err) {
    if (!(err instanceof DadosInvalidos) || typeof corpo !== 'object' || corpo === null || Array.isArray(corpo)) throw err;
    detalhes = [...err.details];
  }
  if (tipo === 'criar') {
    const bruto = corpo as Record<string, unknown>;
    const faltando = cad.obrigatorios.filter(([campo]) => bruto[campo] === undefined || bruto[campo] === null).map(([path, message]) => ({ path, message }));
    if (faltando.length > 0) {
      const ordem = (p: string) => {
        const i = cad.campos.indexOf(p.split('.')[0]);
        return i < 0 ? cad.campos.length : i;
      };
      detalhes = [...faltando, ...detalhes.filter((d) => !faltando.some((f) => f.path === d.path))].sort((a, b) => ordem(a.path) - ordem(b.path));
    }
  }
  if (detalhes.length > 0 || instancia === null) throw new DadosInvalidos(detalhes);
  const plano = JSON.parse(JSON.stringify(instancia)) as Record<string, unknown>;
  // JSON drops `undefined` but keeps explicit nulls (deletions).
  for (const [k, v] of Object.entries(instancia)) if (v === null) plano[k] = null;
  const { evidencia, ...campos } = plano;
  return { campos, evidencia: (evidencia as Record<string, unknown> | undefined) ?? null };
}

/** Cross-field checks on the record as it would be after the write. */
export async function validarEstado(cad: Cadastro, estado: Record<string, unknown>, manager: EntityManager): Promise<void> {
  const erros = await cad.validarRegistro(estado, consultaNoBanco(manager));
  if (erros.length > 0) throw new DadosInvalidos(erros);
}
