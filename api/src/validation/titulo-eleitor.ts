/**
 * Título de eleitor: 12 digits = 8-digit sequence + 2-digit UF code (01 SP … 28 ZZ/exterior) + 2 check digits.
 * DV1 = Σ seq[i]·(2…9) mod 11; DV2 = (uf[0]·7 + uf[1]·8 + DV1·9) mod 11; a remainder of 10 gives 0, and for
 * titles issued in SP (01) and MG (02) a remainder of 0 gives 1 (TSE Res. 20.132/1998 art. 10; the algorithm
 * used by the TSE and the Receita). Pure functions.
 */

/** UF codes of the electoral register, 01–28. */
const UF_TITULO: Readonly<Record<string, string>> = {
  '01': 'SP', '02': 'MG', '03': 'RJ', '04': 'RS', '05': 'BA', '06': 'PR', '07': 'CE', '08': 'PE', '09': 'SC', '10': 'GO',
  '11': 'MA', '12': 'PB', '13': 'PA', '14': 'ES', '15': 'PI', '16': 'RN', '17': 'AL', '18': 'MT', '19': 'MS', '20': 'DF',
  '21': 'SE', '22': 'AM', '23': 'RO', '24': 'AC', '25': 'AP', '26': 'RR', '27': 'TO', '28': 'ZZ',
};

export function normalizarTituloEleitor(valor: string): string {
  return valor.replace(/[.\-/\s]/g, '');
}

function ajustar(resto: number, uf: string): number {
  if (resto === 10) return 0;
  if (resto === 0 && (uf === '01' || uf === '02')) return 1;
  return resto;
}

/** The two check digits for an 8-digit sequence and a 2-digit UF code. */
export function digitosVerificadoresTitulo(sequencial: string, uf: string): string {
  let soma = 0;
  for (let i = 0; i < 8; i++) soma += Number(sequencial[i]) * (i + 2);
  const d1 = ajustar(soma % 11, uf);
  const d2 = ajustar((Number(uf[0]) * 7 + Number(uf[1]) * 8 + d1 * 9) % 11, uf);
  return `${d1}${d2}`;
}

/** Why a normalised título is invalid (pt-BR), or null when it is valid. */
export function motivoTituloInvalido(titulo: string): string | null {
  if (!/^\d{12}$/.test(titulo)) return 'título de eleitor deve ter 12 dígitos';
  const uf = titulo.slice(8, 10);
  if (!(uf in UF_TITULO)) return `título de eleitor com código de UF inexistente (${uf}; válidos: 01 a 28)`;
  if (digitosVerificadoresTitulo(titulo.slice(0, 8), uf) !== titulo.slice(10)) return 'título de eleitor com dígitos verificadores inválidos';
  return null;
}

export function ehTituloEleitorValido(titulo: string): boolean {
  return motivoTituloInvalido(titulo) === null;
}
