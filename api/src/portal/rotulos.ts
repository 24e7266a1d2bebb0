/**
 * What the citizen reads: field labels, application names and Brazilian date formats (dd/mm/aaaa), in pt-BR.
 * Dates and times are shown in São Paulo's time zone.
 */

/** API field name → label on the "Perfil de Usuário" screen. */
export const ROTULO_CAMPO: Readonly<Record<string, string>> = {
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

/** OAuth client id → the application's name (realm-export/prefeitura-sp.json). */
export const NOME_DA_APLICACAO: Readonly<Record<string, string>> = {
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

const FORMATO = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** dd/mm/aaaa hh:mm in São Paulo. */
export function dataHoraBr(d: Date): string {
  const p = Object.fromEntries(FORMATO.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p['day']}/${p['month']}/${p['year']} ${p['hour']}:${p['minute']}`;
}

/** A calendar date `aaaa-mm-dd` → `dd/mm/aaaa` (no time zone involved); anything else unchanged. */
export function dataBr(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `dd/mm/aaaa` → `aaaa-mm-dd`, or null when it is not a well-formed date of that shape. */
export function dataIsoDeBr(br: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(br.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

/** 11 digits → 000.000.000-00. */
export function cpfFormatado(cpf: string): string {
  return /^\d{11}$/.test(cpf) ? `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}` : cpf;
}
