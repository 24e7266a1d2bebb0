/**
 * What the citizen reads: field labels, application names and dates — pt-BR (dd/mm/aaaa, the API's own labels) and
 * English (`ROTULOS_CAMPO.en`, `NOMES_DA_APLICACAO.en`; dates as "8 Mar 1979", never a numeric day/month order that a
 * reader could swap). Dates and times are shown in São Paulo's time zone.
 */
import { catalogo, rotuloOuChave, type Idioma } from './idioma.js';

/** API field name → label on the "Perfil de Usuário" screen (pt-BR: also the labels of the API's own answers). */
const ROTULO_CAMPO_PT = {
  cpf: 'CPF',
  'conversa.assunto': 'Assunto da conversa',
  'conversa.mensagens': 'Mensagens da conversa',
  nome: 'Nome',
  nomeSocial: 'Nome social',
  genero: 'Sexo / gênero',
  dataNascimento: 'Data de nascimento',
  localNascimento: 'Cidade/UF de nascimento',
  rg: 'RG (número, dígito e UF)',
  tituloEleitor: 'Título de eleitor',
  cpfMae: 'CPF da mãe',
  nomeMae: 'Nome da mãe',
  cpfPai: 'CPF do pai',
  nomePai: 'Nome do pai',
  estadoCivil: 'Estado civil',
  obito: 'Óbito',
  obitoRegistro: 'Registro de óbito',
  emails: 'E-mail',
  telefones: 'Telefone',
  enderecos: 'Endereço',
  relacoesFamiliares: 'Relações familiares',
  biometria: 'Biometria',
  certificadoIcp: 'Certificado digital',
  vinculoGovbr: 'Vínculo gov.br',
  situacao: 'Situação do cadastro',
  versao: 'Versão do cadastro',
  criadoEm: 'Data de criação do cadastro',
  atualizadoEm: 'Data da última atualização',
  // audit-only names (accounts and the batch load's rows)
  username: 'Usuário do Login Único',
  cpfDeclarado: 'CPF informado no cadastro do Login Único',
  pessoaCpf: 'Vínculo da conta com o cadastro',
  nivelConfianca: 'Nível de confiança',
  evidencias: 'Comprovações de identidade',
};

/** Field labels in both languages (domain terms kept, glossed in English: "social name (nome social)"). */
export const ROTULOS_CAMPO = catalogo(ROTULO_CAMPO_PT, {
  cpf: 'CPF',
  'conversa.assunto': 'Subject of the conversation',
  'conversa.mensagens': 'Messages of the conversation',
  nome: 'Name',
  nomeSocial: 'Social name (nome social)',
  genero: 'Sex / gender',
  dataNascimento: 'Date of birth',
  localNascimento: 'Place of birth (city/state)',
  rg: 'RG identity card (number, check digit and state)',
  tituloEleitor: 'Voter ID (título de eleitor)',
  cpfMae: 'Mother\'s CPF',
  nomeMae: 'Mother\'s name',
  cpfPai: 'Father\'s CPF',
  nomePai: 'Father\'s name',
  estadoCivil: 'Marital status',
  obito: 'Death',
  obitoRegistro: 'Death record',
  emails: 'E-mail',
  telefones: 'Phone',
  enderecos: 'Address',
  relacoesFamiliares: 'Family relationships',
  biometria: 'Biometrics',
  certificadoIcp: 'Digital certificate',
  vinculoGovbr: 'gov.br link',
  situacao: 'Record status',
  versao: 'Record version',
  criadoEm: 'Record created on',
  atualizadoEm: 'Last updated on',
  username: 'Municipal Single Sign-On user name',
  cpfDeclarado: 'CPF given when the sign-in account was created',
  pessoaCpf: 'Link between the account and the register',
  nivelConfianca: 'Confidence level',
  evidencias: 'Proofs of identity',
});

/** A field's label in `idioma`; the field's own name when it has none. */
export function rotuloCampo(campo: string, idioma: Idioma): string {
  const r = ROTULOS_CAMPO[idioma];
  return Object.hasOwn(r, campo) ? r[campo as keyof typeof r] : campo;
}

/** OAuth client id → the application's name (realm-export/prefeitura-sp.json). */
const NOME_DA_APLICACAO_PT = {
  'portal-cidadao': 'Portal do Cidadão',
  'sgm-governo': 'Sistemas da Secretaria de Governo Municipal (SGM)',
  'sf-fazenda': 'Sistemas da Secretaria da Fazenda (SF)',
  'sms-saude': 'Sistemas da Secretaria Municipal da Saúde (SIGA)',
  'smads-assistencia': 'Sistemas da SMADS (BDC)',
  'sme-educacao': 'Sistemas da Secretaria Municipal de Educação (EOL)',
  'smit-inovacao': 'Sistemas da SMIT',
  descomplica: 'Descomplica SP',
  'parceiro-externo': 'Aplicação parceira externa',
  'lum-api': 'Cadastro Base (processo interno)',
};

export const NOMES_DA_APLICACAO = catalogo(NOME_DA_APLICACAO_PT, {
  'portal-cidadao': 'Citizen Portal (Portal do Cidadão)',
  'sgm-governo': 'Municipal Government Office systems (SGM)',
  'sf-fazenda': 'Municipal Finance Department systems (SF)',
  'sms-saude': 'Municipal Health Department systems (SIGA)',
  'smads-assistencia': 'Social Assistance Department systems (SMADS, BDC)',
  'sme-educacao': 'Municipal Education Department systems (EOL)',
  'smit-inovacao': 'Innovation and Technology Department systems (SMIT)',
  descomplica: 'Descomplica SP',
  'parceiro-externo': 'External partner application',
  'lum-api': 'Citizen Register (internal process)',
});

/** An application's name in `idioma`; its client id when it has none. */
export function nomeDaAplicacao(cliente: string, idioma: Idioma): string {
  return rotuloOuChave(NOMES_DA_APLICACAO, idioma, cliente);
}

const FORMATO = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** dd/mm/aaaa hh:mm in São Paulo. */
function dataHoraBr(d: Date): string {
  const p = Object.fromEntries(FORMATO.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p['day']}/${p['month']}/${p['year']} ${p['hour']}:${p['minute']}`;
}

const MESES_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A moment in São Paulo: pt-BR `dd/mm/aaaa hh:mm`; English `5 Dec 2026 14:30` (the month in letters: no day/month swap). */
export function dataHora(d: Date, idioma: Idioma): string {
  if (idioma === 'pt-BR') return dataHoraBr(d);
  const p = Object.fromEntries(FORMATO.formatToParts(d).map((x) => [x.type, x.value]));
  return `${Number(p['day'])} ${MESES_EN[Number(p['month']) - 1]} ${p['year']} ${p['hour']}:${p['minute']}`;
}

/** A calendar date `aaaa-mm-dd`: pt-BR `dd/mm/aaaa`, English `8 Mar 1979`; anything else unchanged. */
export function data(iso: string, idioma: Idioma): string {
  if (idioma === 'pt-BR') return dataBr(iso);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const mes = m ? MESES_EN[Number(m[2]) - 1] : undefined;
  return m && mes ? `${Number(m[3])} ${mes} ${m[1]}` : iso;
}

/** A calendar date `aaaa-mm-dd` → `dd/mm/aaaa` (no time zone involved); anything else unchanged. */
function dataBr(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * A date typed in the form → `aaaa-mm-dd`, or null when it has neither accepted shape. Both shapes are taken in both
 * languages (the pt-BR form shows `dd/mm/aaaa`, the English one `aaaa-mm-dd`), so a form posted after a language
 * switch still parses.
 */
export function dataIsoDoFormulario(digitada: string): string | null {
  const v = digitada.trim();
  const br = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (br) return `${br[3]}-${br[2]}-${br[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
}

/** 11 digits → 000.000.000-00. */
export function cpfFormatado(cpf: string): string {
  return /^\d{11}$/.test(cpf) ? `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}` : cpf;
}
