// INTERIM — replaced by the owner's version at merge
/**
 * Phase `particionando` (interim): decides nothing — no row is marked `cpf_de_outra_pessoa` and no pendente identity
 * is adopted. The linkage owner's version replaces this file.
 */
import type { ExecutarFase } from '../fases.js';

export const particionar: ExecutarFase = () => Promise.resolve({});
