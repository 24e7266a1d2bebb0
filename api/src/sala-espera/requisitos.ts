/**
 * What a relying party may require of an account before the Login Único lets a sign-in through (issue 13): a
 * minimum confidence level and complementary data. Declared per client in the realm file
 * (`lum.sala.nivel-minimo`, `lum.sala.dados`, `lum.sala.orgao`), enforced by the Keycloak authenticator
 * `lum-sala-espera` (keycloak/…/sala/), explained to the citizen by the Sala de Espera page.
 */
import { ORGAOS, type Orgao } from '../auth/papeis.js';

const ATRIBUTO_NIVEL_MINIMO = 'lum.sala.nivel-minimo';
const ATRIBUTO_DADOS = 'lum.sala.dados';
const ATRIBUTO_ORGAO = 'lum.sala.orgao';
/** Keycloak user attribute (admin-only) with the complementary data the record holds verified, comma-separated. */
export const ATRIBUTO_DADOS_CONTA = 'dados_complementares';

/** The complementary data a client may require, with what the citizen reads about each. */
export const DADOS_COMPLEMENTARES = {
  cns: {
    nome: 'Número SUS (Cartão Nacional de Saúde — CNS)',
    porque: 'identifica você no Sistema Único de Saúde: é com ele que a Saúde encontra seu prontuário, suas vacinas e seus agendamentos',
    comoObter: 'está no seu Cartão SUS, no aplicativo Meu SUS Digital ou em qualquer Unidade Básica de Saúde',
  },
  nis: {
    nome: 'NIS (Número de Identificação Social — PIS/PASEP/NIT)',
    porque: 'identifica você no Cadastro Único e nos programas sociais: é com ele que a Assistência Social encontra seus benefícios',
    comoObter: 'está no cartão do Bolsa Família, na carteira de trabalho, no extrato do FGTS ou em qualquer CRAS',
  },
} as const;
export type DadoComplementar = keyof typeof DADOS_COMPLEMENTARES;
export const NOMES_DADOS = Object.keys(DADOS_COMPLEMENTARES) as DadoComplementar[];

export const ehDadoComplementar = (x: unknown): x is DadoComplementar => typeof x === 'string' && (NOMES_DADOS as string[]).includes(x);
export const ehOrgao = (x: unknown): x is Orgao => typeof x === 'string' && (ORGAOS as readonly string[]).includes(x);

/** The requirement declared by a client's attributes, or the problems with it (pt-BR), for the static realm check. */
export function problemasDoRequisito(atributos: Readonly<Record<string, unknown>>): string[] {
  const p: string[] = [];
  const nivel = atributos[ATRIBUTO_NIVEL_MINIMO];
  if (nivel === undefined) p.push(`${ATRIBUTO_NIVEL_MINIMO}: ausente (todo cliente de login declara o nível mínimo, de 1 a 5)`);
  else if (typeof nivel !== 'string' || !/^[1-5]$/.test(nivel)) p.push(`${ATRIBUTO_NIVEL_MINIMO}: deve ser um nível de 1 a 5 (${typeof nivel === 'string' ? nivel : JSON.stringify(nivel)})`);
  const dados = atributos[ATRIBUTO_DADOS];
  if (dados !== undefined) {
    const nomes = typeof dados === 'string' ? dados.split(',').map((d) => d.trim()) : [];
    const ruins = nomes.filter((d) => !ehDadoComplementar(d));
    if (typeof dados !== 'string' || ruins.length > 0 || nomes.length === 0) p.push(`${ATRIBUTO_DADOS}: dados desconhecidos (${ruins.join(', ') || (typeof dados === 'string' ? dados : JSON.stringify(dados))}); conhecidos: ${NOMES_DADOS.join(', ')}`);
  }
  const orgao = atributos[ATRIBUTO_ORGAO];
  if (orgao === undefined) p.push(`${ATRIBUTO_ORGAO}: ausente (o órgão que analisa os pedidos da Sala de Espera)`);
  else if (!ehOrgao(orgao)) p.push(`${ATRIBUTO_ORGAO}: órgão desconhecido (${typeof orgao === 'string' ? orgao : JSON.stringify(orgao)}); conhecidos: ${ORGAOS.join(', ')}`);
  return p;
}
