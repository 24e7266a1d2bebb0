/** Nível de confiança: 1 (nothing verified) … 5 (ICP-Brasil certificate). */
export type NivelConfianca = 1 | 2 | 3 | 4 | 5;
