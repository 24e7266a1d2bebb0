/** The 27 federative units (26 states + DF). */
export const UFS = ['AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO'] as const;
export type Uf = (typeof UFS)[number];

export function ehUf(valor: unknown): valor is Uf {
  return typeof valor === 'string' && (UFS as readonly string[]).includes(valor);
}
