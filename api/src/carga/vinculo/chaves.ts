// INTERIM — replaced by the owner's version at merge
/**
 * Blocking keys of one load record (interim, trivial): the first word of the name key with the birth year, and the
 * first word of the mother's name key. The linkage owner's version replaces this file.
 */
import type { RegistroCarga } from '../registro.js';

export function chavesDeBloqueio(r: RegistroCarga): { blocoNome: string | null; blocoMae: string | null } {
  const primeira = (s: string | null) => (s === null ? null : (s.split(' ')[0] ?? null));
  const nome = primeira(r.nomeChave);
  return {
    blocoNome: nome === null ? null : `${nome}|${r.dataNascimento?.slice(0, 4) ?? ''}`,
    blocoMae: primeira(r.nomeMaeChave),
  };
}
