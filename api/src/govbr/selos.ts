/**
 * Gov.br reliability seals ("selos de confiabilidade") and account levels, as data
 * (../shared/reference/govbr-login-unico.md §5, Portaria SEDGGME nº 2.154/2021).
 */

/** Gov.br account level, in the city's words (the id_token says bronze/silver/gold, the legacy API 1/2/3). */
export type NivelGovbr = 'bronze' | 'prata' | 'ouro';

export interface Selo {
  readonly id: string;
  readonly codigo: string;
  readonly nivel: NivelGovbr;
  /** pt-BR, shown to the citizen and the stewards. */
  readonly descricao: string;
  /** A biometric validation (facial or fingerprint). */
  readonly biometrico: boolean;
}

const selo = (id: string, codigo: string, nivel: NivelGovbr, descricao: string, biometrico = false): Selo => ({ id, codigo, nivel, descricao, biometrico });

const BANCOS: ReadonlyArray<readonly [string, string, string]> = [
  ['602', 'bb', 'Banco do Brasil'], ['603', 'banrisul', 'Banrisul'], ['604', 'bradesco', 'Bradesco'], ['605', 'caixa', 'Caixa'],
  ['606', 'brb', 'BRB'], ['607', 'sicoob', 'Sicoob'], ['608', 'santander', 'Santander'], ['609', 'agibank', 'Agibank'],
  ['610', 'itau', 'Itaú'], ['618', 'mercantil', 'Mercantil'], ['624', 'sicred', 'Sicredi'], ['625', 'picpay', 'PicPay/Original'],
  ['626', 'nubank', 'Nubank'], ['627', 'btg', 'BTG Pactual'], ['628', 'inter', 'Inter'], ['629', 'c6', 'C6'], ['630', 'bmg', 'BMG'],
];

/** The catalogue, by id. An id not listed here is kept as received and counts for nothing. */
export const SELOS: ReadonlyMap<string, Selo> = new Map(
  [
    selo('101', 'kba_previdencia', 'bronze', 'Perguntas sobre dados previdenciários (INSS/CNIS)'),
    selo('201', 'cadastro_basico', 'bronze', 'Dados pessoais conferidos com a base de CPF da Receita Federal'),
    selo('501', 'balcao_sat_previdencia', 'bronze', 'Balcão presencial do INSS'),
    selo('502', 'balcao_denatran', 'bronze', 'Balcão presencial do Detran'),
    selo('503', 'balcao_correios', 'bronze', 'Balcão presencial dos Correios'),
    selo('504', 'balcao', 'bronze', 'Balcão presencial gov.br'),
    selo('601', 'balcao_nai_previdencia', 'bronze', 'Balcão NAI da Previdência'),
    selo('301', 'servidor_publico', 'prata', 'Base de servidores públicos federais (SIGEPE)'),
    selo('401', 'biovalid_facial', 'prata', 'Biometria facial conferida com a foto da CNH (Senatran)', true),
    ...BANCOS.map(([id, banco, nome]) => selo(id, `${banco}_internet_banking`, 'prata', `Validação pelo internet banking (${nome})`)),
    selo('701', 'tse_facial', 'ouro', 'Biometria facial conferida com a base do TSE', true),
    selo('702', 'biometria_digital', 'ouro', 'Biometria digital (impressão digital)', true),
    selo('801', 'certificado_digital', 'ouro', 'Certificado digital ICP-Brasil (pessoa física)'),
    selo('901', 'cin_facial', 'ouro', 'Biometria facial da Carteira de Identidade Nacional (CIN)', true),
  ].map((s) => [s.id, s]),
);

/** The seal that is an ICP-Brasil certificate (policy switch "seal 801 counts toward level 5"). */
export const SELO_CERTIFICADO_ICP = '801';

const ORDEM: Record<NivelGovbr, number> = { bronze: 1, prata: 2, ouro: 3 };

/** The account level the seals give: the highest seal level (bronze with none — every account starts bronze). */
export function nivelDosSelos(ids: readonly string[]): NivelGovbr {
  let nivel: NivelGovbr = 'bronze';
  for (const id of ids) {
    const s = SELOS.get(id);
    if (s && ORDEM[s.nivel] > ORDEM[nivel]) nivel = s.nivel;
  }
  return nivel;
}

/** `reliability_info.level` (bronze/silver/gold) or the legacy API's ids (1/2/3) in the city's words; null if unknown. */
export function nivelGovbrDe(valor: unknown): NivelGovbr | null {
  switch (typeof valor === 'string' ? valor.toLowerCase() : valor) {
    case 'bronze': case '1': case 1: return 'bronze';
    case 'silver': case 'prata': case '2': case 2: return 'prata';
    case 'gold': case 'ouro': case '3': case 3: return 'ouro';
    default: return null;
  }
}

/** And back: the id_token's word for a level. */
export const NIVEL_NO_ID_TOKEN: Record<NivelGovbr, string> = { bronze: 'bronze', prata: 'silver', ouro: 'gold' };
/** The legacy `niveis` API's id for a level. */
export const NIVEL_NA_API_LEGADA: Record<NivelGovbr, string> = { bronze: '1', prata: '2', ouro: '3' };
