/**
 * Realm roles the API understands (declared in realm-export/prefeitura-sp.json → roles.realm) and the organ each
 * steward role stands for. The organ is what the data-sharing rules (compartilhamento/regras.ts) and PMCC
 * (`Ator.orgao`) are keyed by.
 */

export const PAPEL_CIDADAO = 'cidadao';
export const PAPEL_ADMIN_CADASTRO = 'admin-cadastro';

/** Organs whose stewards read the master record. `cadastro` is the central steward team (all fields). */
export const ORGAOS = ['cadastro', 'saude', 'fazenda', 'educacao', 'smads'] as const;
export type Orgao = (typeof ORGAOS)[number];

/** Steward role → organ. `admin-cadastro` administers the record and belongs to the central team. */
const ORGAO_DO_PAPEL: Readonly<Record<string, Orgao>> = {
  'gestor-cadastro': 'cadastro',
  'gestor-saude': 'saude',
  'gestor-fazenda': 'fazenda',
  'gestor-educacao': 'educacao',
  'gestor-smads': 'smads',
  [PAPEL_ADMIN_CADASTRO]: 'cadastro',
};

/** Every role that opens the stewards' API (each then limited by its organ's sharing rule and by PMCC). */
export const PAPEIS_GESTOR: readonly string[] = Object.keys(ORGAO_DO_PAPEL);

/** Organs of a set of realm roles, in ORGAOS order, without repeats. */
export function orgaosDosPapeis(roles: readonly string[]): Orgao[] {
  const tem = new Set(roles.map((r) => ORGAO_DO_PAPEL[r]).filter((o): o is Orgao => o !== undefined));
  return ORGAOS.filter((o) => tem.has(o));
}
