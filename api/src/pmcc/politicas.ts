/**
 * PMCC — Políticas de Manutenção dos Cadastros Centralizados, as data.
 *
 * One entry per field: who may insert, modify and delete it, by kind of actor (the citizen themself, a steward of
 * an organ, a batch source, a Keycloak event), plus the source precedence used by survivorship. Stewards read this
 * file (or `docs/pmcc.md`, rendered from it by `scripts/pmcc-doc.ts`); `decidir.ts` applies it; nothing else in
 * the code decides who may write a field. Changing a rule = editing this file and bumping `VERSAO_PMCC`.
 *
 * Source: the PMCC defaults table of the domain notes (every row below says which row it implements).
 */

export const VERSAO_PMCC = '2026-11-23.1';

/** Source systems, highest precedence first (domain notes, "Source precedence"). */
export const FONTES = {
  'receita-federal': { precedencia: 100, nome: 'Receita Federal (base CPF/CNPJ)' },
  sirc: { precedencia: 100, nome: 'Registro civil (SIRC, via convênio)' },
  gestor: { precedencia: 100, nome: 'Gestor de dados com evidência documental (conferência presencial)' },
  tse: { precedencia: 90, nome: 'TSE' },
  govbr: { precedencia: 80, nome: 'Gov.br' },
  keycloak: { precedencia: 80, nome: 'Evento do Login Único (Keycloak) que comprova o dado' },
  'saude-siga': { precedencia: 70, nome: 'Saúde (SIGA)' },
  fazenda: { precedencia: 60, nome: 'Fazenda' },
  'educacao-eol': { precedencia: 50, nome: 'Educação (EOL)' },
  'smads-bdc': { precedencia: 40, nome: 'SMADS (BDC)' },
  descomplica: { precedencia: 30, nome: 'Descomplica (ponto de captura autorizado)' },
  'outras-municipais': { precedencia: 30, nome: 'Outras bases municipais' },
  autodeclarado: { precedencia: 10, nome: 'Autodeclarado pelo cidadão' },
} as const satisfies Record<string, { precedencia: number; nome: string }>;
export type FonteId = keyof typeof FONTES;

export function ehFonte(valor: unknown): valor is FonteId {
  return typeof valor === 'string' && Object.hasOwn(FONTES, valor);
}

export const OPERACOES = ['insercao', 'modificacao', 'exclusao'] as const;
export type Operacao = (typeof OPERACOES)[number];

export const TIPOS_ATOR = ['cidadao', 'gestor', 'carga', 'evento-keycloak'] as const;
export type TipoAtor = (typeof TIPOS_ATOR)[number];

/**
 * What an actor kind may do for one field × operation:
 * - `nunca` — refused;
 * - `permitido` — accepted;
 * - `com-evidencia` — accepted only with documentary evidence in the request (steward);
 * - `solicitacao` — the citizen may only *request*: the value is kept as an alternative and a review item opened;
 * - `precedencia-maior` — a source wins only over a value from a lower-precedence source;
 * - `precedencia-maior-ou-igual` — higher wins; equal precedence → the more recent observation wins;
 * - `mais-recente` — any source; the more recent observation wins.
 * The citizen counts as the source `autodeclarado` when a rule compares precedence.
 */
export type Permissao = 'nunca' | 'permitido' | 'com-evidencia' | 'solicitacao' | 'precedencia-maior' | 'precedencia-maior-ou-igual' | 'mais-recente';

export interface RegraOperacao {
  readonly cidadao: Permissao;
  readonly gestor: Permissao;
  readonly carga: Permissao;
  readonly 'evento-keycloak': Permissao;
  /** When set, batch sources / events outside this list are refused for this operation. */
  readonly fontes?: readonly FonteId[];
  /** When set, only stewards of these organs. */
  readonly orgaos?: readonly string[];
}

export type Entidade = 'pessoa' | 'pessoa_juridica';

export interface PoliticaCampo {
  readonly entidade: Entidade;
  /** Field name as in the API JSON. */
  readonly campo: string;
  /** The row of the domain notes' PMCC table this implements. */
  readonly linha: string;
  /** Critical field: a losing conflicting value opens a steward review item. */
  readonly critico: boolean;
  readonly insercao: RegraOperacao;
  readonly modificacao: RegraOperacao;
  readonly exclusao: RegraOperacao;
  /** One line for the stewards' page. */
  readonly nota: string;
}

const r = (cidadao: Permissao, gestor: Permissao, carga: Permissao, evento: Permissao, extra: Partial<Pick<RegraOperacao, 'fontes' | 'orgaos'>> = {}): RegraOperacao => ({
  cidadao,
  gestor,
  carga,
  'evento-keycloak': evento,
  ...extra,
});
const NUNCA = r('nunca', 'nunca', 'nunca', 'nunca');

// Shared rule sets, named after the domain table's rows.
const IDENTIFICADOR = { critico: true, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: NUNCA, exclusao: NUNCA };
const NOME_CIVIL = {
  critico: true,
  insercao: r('nunca', 'permitido', 'permitido', 'nunca'),
  modificacao: r('solicitacao', 'com-evidencia', 'precedencia-maior', 'nunca'),
  exclusao: NUNCA,
};
const FONTE_OU_GESTOR = {
  critico: false,
  insercao: r('permitido', 'permitido', 'permitido', 'nunca'),
  modificacao: r('precedencia-maior-ou-igual', 'permitido', 'precedencia-maior-ou-igual', 'nunca'),
  exclusao: r('nunca', 'permitido', 'nunca', 'nunca'),
};
const FILIACAO = {
  critico: true,
  insercao: r('solicitacao', 'permitido', 'permitido', 'nunca'),
  modificacao: r('solicitacao', 'permitido', 'precedencia-maior', 'nunca'),
  exclusao: r('nunca', 'permitido', 'nunca', 'nunca'),
};
const CONTATO = {
  critico: false,
  insercao: r('permitido', 'permitido', 'permitido', 'permitido'),
  modificacao: r('permitido', 'permitido', 'mais-recente', 'mais-recente'),
  exclusao: r('permitido', 'permitido', 'nunca', 'nunca'),
};
const PROVA_DE_LOGIN = (fontes: readonly FonteId[], evento: Permissao, carga: Permissao) => ({
  critico: false,
  insercao: r('nunca', 'nunca', carga, evento, { fontes }),
  modificacao: r('nunca', 'nunca', carga, evento, { fontes }),
  exclusao: r('nunca', 'permitido', 'nunca', 'nunca'),
});

export const POLITICAS: readonly PoliticaCampo[] = [
  // ── Pessoa Física ──
  { entidade: 'pessoa', campo: 'cpf', linha: 'CPF', ...IDENTIFICADOR, nota: 'Obrigatório, dígitos válidos, não pode ser padrão falso conhecido, único. Nunca alterado nem excluído: CPF errado se corrige por procedimento de junção/separação auditado.' },
  { entidade: 'pessoa', campo: 'nome', linha: 'nome (civil)', ...NOME_CIVIL, nota: 'Obrigatório. Alterado por fonte de precedência maior ou por gestor com evidência documental; o cidadão só pode solicitar. Nunca excluído.' },
  {
    entidade: 'pessoa', campo: 'nomeSocial', linha: 'nome social', critico: false,
    insercao: r('permitido', 'permitido', 'nunca', 'nunca'), modificacao: r('permitido', 'permitido', 'nunca', 'nunca'), exclusao: r('permitido', 'permitido', 'nunca', 'nunca'),
    nota: 'Somente o próprio cidadão ou um gestor incluem, alteram ou excluem.',
  },
  { entidade: 'pessoa', campo: 'genero', linha: 'gênero, estado civil', ...FONTE_OU_GESTOR, nota: 'Fonte ou gestor incluem; fonte de precedência maior ou igual (empate: a mais recente) ou gestor alteram; só gestor exclui.' },
  { entidade: 'pessoa', campo: 'estadoCivil', linha: 'gênero, estado civil', ...FONTE_OU_GESTOR, nota: 'Como gênero.' },
  { entidade: 'pessoa', campo: 'dataNascimento', linha: 'data de nascimento', ...NOME_CIVIL, nota: 'Obrigatória, não futura, idade plausível (≤ 130 anos). Alterada por fonte de precedência maior ou gestor com evidência; o cidadão só pode solicitar. Nunca excluída.' },
  { entidade: 'pessoa', campo: 'localNascimento', linha: 'gênero, estado civil', ...FONTE_OU_GESTOR, nota: 'Município e UF de nascimento; mesmas regras de gênero (a tabela não tem linha própria).' },
  { entidade: 'pessoa', campo: 'rg', linha: 'RG (número, dígito, UF) / título de eleitor', ...FONTE_OU_GESTOR, nota: 'Formato e UF emissora válidos. Fonte de precedência maior ou igual ou gestor alteram; só gestor exclui.' },
  { entidade: 'pessoa', campo: 'tituloEleitor', linha: 'RG (número, dígito, UF) / título de eleitor', ...FONTE_OU_GESTOR, nota: '12 dígitos, código de UF 01–28 e dígitos verificadores (regra especial SP/MG).' },
  { entidade: 'pessoa', campo: 'cpfMae', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, nota: 'CPF válido, diferente do da própria pessoa; mãe nascida antes quando conhecida. Fonte de precedência maior ou gestor alteram; o cidadão só solicita.' },
  { entidade: 'pessoa', campo: 'nomeMae', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, nota: 'Como CPF da mãe.' },
  { entidade: 'pessoa', campo: 'cpfPai', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, nota: 'Como CPF da mãe.' },
  { entidade: 'pessoa', campo: 'nomePai', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, nota: 'Como CPF da mãe.' },
  { entidade: 'pessoa', campo: 'relacoesFamiliares', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, critico: false, nota: 'Vínculos tipados com outras pessoas (CPF válido, nunca a própria pessoa); regras da filiação, sem revisão obrigatória.' },
  { entidade: 'pessoa', campo: 'emails', linha: 'e-mail, telefone, endereço', ...CONTATO, nota: 'Cidadão ou qualquer fonte incluem; cidadão, gestor (como fonte mais recente) ou a fonte mais recente alteram; cidadão ou gestor excluem.' },
  { entidade: 'pessoa', campo: 'telefones', linha: 'e-mail, telefone, endereço', ...CONTATO, nota: 'Como e-mail.' },
  { entidade: 'pessoa', campo: 'enderecos', linha: 'e-mail, telefone, endereço', ...CONTATO, nota: 'Como e-mail.' },
  {
    entidade: 'pessoa', campo: 'obito', linha: 'óbito', critico: true,
    insercao: r('nunca', 'com-evidencia', 'permitido', 'nunca', { fontes: ['sirc'] }),
    modificacao: r('nunca', 'permitido', 'nunca', 'nunca'),
    exclusao: r('nunca', 'com-evidencia', 'nunca', 'nunca'),
    nota: 'Somente do registro civil (SIRC) ou de gestor com a certidão. Alteração: gestor. Exclusão: gestor, só para corrigir erro, com evidência. Suspende o nível de confiança.',
  },
  { entidade: 'pessoa', campo: 'biometria', linha: 'biometria, certificado, vínculo gov.br', ...PROVA_DE_LOGIN(['descomplica'], 'nunca', 'permitido'), nota: 'Somente do ponto de captura autorizado (Descomplica); presença e referência da captura, nunca o template. Só gestor exclui.' },
  { entidade: 'pessoa', campo: 'certificadoIcp', linha: 'biometria, certificado, vínculo gov.br', ...PROVA_DE_LOGIN(['keycloak'], 'permitido', 'nunca'), nota: 'Somente do evento do Login Único que comprova a autenticação com certificado ICP-Brasil. Só gestor exclui.' },
  { entidade: 'pessoa', campo: 'vinculoGovbr', linha: 'biometria, certificado, vínculo gov.br', ...PROVA_DE_LOGIN(['keycloak'], 'permitido', 'nunca'), nota: 'Somente do evento do Login Único que comprova o vínculo gov.br. Só gestor exclui.' },
  {
    entidade: 'pessoa', campo: 'situacao', linha: '(situação — fora da tabela)', critico: false,
    insercao: NUNCA, modificacao: r('nunca', 'permitido', 'nunca', 'nunca'), exclusao: NUNCA,
    nota: 'Todo registro nasce ativo; só gestor inativa ou reativa. Exclusão física não existe (inativação lógica).',
  },
  // ── Pessoa Jurídica ──
  { entidade: 'pessoa_juridica', campo: 'cnpj', linha: 'CPF', ...IDENTIFICADOR, nota: 'CNPJ numérico ou alfanumérico (a partir de julho de 2026) com dígitos válidos; nunca alterado nem excluído.' },
  { entidade: 'pessoa_juridica', campo: 'razaoSocial', linha: 'nome (civil)', ...NOME_CIVIL, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: r('nunca', 'com-evidencia', 'precedencia-maior', 'nunca'), nota: 'Obrigatória; alterada por fonte de precedência maior ou gestor com evidência.' },
  { entidade: 'pessoa_juridica', campo: 'nomeFantasia', linha: 'gênero, estado civil', ...FONTE_OU_GESTOR, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: r('nunca', 'permitido', 'precedencia-maior-ou-igual', 'nunca'), nota: 'Fonte ou gestor.' },
  { entidade: 'pessoa_juridica', campo: 'situacao', linha: 'gênero, estado civil', ...FONTE_OU_GESTOR, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: r('nunca', 'permitido', 'precedencia-maior-ou-igual', 'nunca'), exclusao: NUNCA, nota: 'Situação cadastral (ativa, suspensa, inapta, baixada); nunca excluída.' },
  { entidade: 'pessoa_juridica', campo: 'endereco', linha: 'e-mail, telefone, endereço', ...CONTATO, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: r('nunca', 'permitido', 'mais-recente', 'nunca'), exclusao: r('nunca', 'permitido', 'nunca', 'nunca'), nota: 'Fonte mais recente ou gestor.' },
  { entidade: 'pessoa_juridica', campo: 'responsaveis', linha: 'CPF/nome da mãe, CPF do pai', ...FILIACAO, critico: false, insercao: r('nunca', 'permitido', 'permitido', 'nunca'), modificacao: r('nunca', 'permitido', 'precedencia-maior-ou-igual', 'nunca'), nota: 'Pessoas físicas responsáveis (CPF válido e papel).' },
];

export function politicaDe(entidade: Entidade, campo: string): PoliticaCampo | undefined {
  return POLITICAS.find((p) => p.entidade === entidade && p.campo === campo);
}
