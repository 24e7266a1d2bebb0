/**
 * Response-body schemas of the API (OpenAPI 3.1 components), built from the code's own constants (error names,
 * PMCC codes, situations, sharing rules, CSV columns, request DTO components for nested values) and checked BY THE
 * COMPILER against the types the handlers return (`VerificacoesDeTipo` at the end: a field added to or removed
 * from a handler's type without the schema breaks `tsc`). The integration test `respostas.int.test.ts` validates
 * real responses of every route against them with ajv.
 */
import type { ApiErrorJson } from '../errors/api-error.js';
import { NOMES_DE_ERRO } from '../errors/api-error.js';
import type { MeusDados } from '../me/me.service.js';
import { CABECALHO_CSV_ACESSOS, type PaginaAcessos } from '../portal/acessos.service.js';
import type { ResultadoResposta, VerificacaoIniciada } from '../conhecimento/conhecimento.service.js';
import { CAMPOS_PERGUNTA } from '../conhecimento/perguntas.js';
import { CAMPOS_PESSOA_JSON, REGRAS, type RegrasCompartilhamento } from '../compartilhamento/regras.js';
import type { Visao } from '../compartilhamento/filtrar.js';
import { ORGAOS } from '../auth/papeis.js';
import type { contaParaJson, evidenciaParaJson } from '../contas/conta.dto.js';
import { TIPOS_EVIDENCIA } from '../contas/evidencia.entity.js';
import { SITUACOES_CONTA } from '../contas/conta.entity.js';
import { CODIGOS_PMCC, type Decisao } from '../pmcc/decidir.js';
import type { PoliticaNegada } from '../pmcc/politica-negada.error.js';
import { OPERACOES, TIPOS_ATOR } from '../pmcc/politicas.js';
import { ESTADOS_CIVIS, GENEROS, type PessoaJson } from '../pessoas/pessoa.dto.js';
import { SITUACOES_PESSOA } from '../pessoas/pessoa.entity.js';
import type { PessoaJuridicaJson } from '../pessoas/pessoa-juridica.dto.js';
import { SITUACOES_PJ } from '../pessoas/pessoa-juridica.entity.js';
import type { PaginaPessoas, ValorCampoJson } from '../pessoas/pessoas.service.js';
import { ESTADOS_VALOR } from '../entrada-unica/valor-campo.entity.js';
import { RESOLUCOES, SITUACOES_REVISAO } from '../entrada-unica/revisao.entity.js';
import type { listarRevisoes, RevisaoJson } from '../entrada-unica/revisoes.service.js';
import type { verificarProntidao } from '../health/verificacoes.js';
import type { ResultadoEvento } from '../eventos-keycloak/eventos-keycloak.service.js';
import { FORMATOS, PERIODICIDADES, SITUACAO_MIGRACAO_NAO_SE_APLICA, SITUACOES, SITUACOES_MIGRACAO, TIPOS_ARMAZENAMENTO, TIPOS_REPRESENTACAO } from '../cmbd/base.dominio.js';
import type { BaseRegistro, VersaoJson } from '../cmbd/bases.repository.js';
import type { transferirBase } from '../cmbd/bases.service.js';
import type {
  CampanhaJson, concluirOrgao, importarBases, ListaDeTrabalho, listarOrgaos, Pendente, registrarLembretes, registrarPontoFocal,
} from '../cmbd/campanhas.service.js';
import { COLUNAS_CSV } from '../cmbd/publicacao.js';
import type { relatorioDadosPessoais } from '../cmbd/relatorio.js';
import {
  anulavel, booleano, componente, constante, data, dataHora, inteiro, lista, mapa, nomeado, objeto, opcional, parcial, qualquer, texto, umDe, uuid,
  type Confere, type Esquema, type Tipo, type Verdadeiro,
} from './esquema.js';

/** A DTO component (request schemas generated from class-validator), closed: a stored nested value has no extra keys. */
const dto = <T = Record<string, unknown>>(nome: string): Esquema<T> => ({ json: { type: 'object', ...componente<T>(nome).json, unevaluatedProperties: false } });
const cpf = () => texto({ pattern: '^[0-9]{11}$' });
const cnpj = () => texto({ pattern: '^[0-9A-Z]{12}[0-9]{2}$', description: 'CNPJ (alfanumérico), normalizado' });
const idNumerico = () => texto({ pattern: '^[1-9][0-9]*$' });

// ---------- errors ----------

/**
 * The `Erro` component: registering it puts `#/components/schemas/Erro` (referenced by documento.ts) in the document.
 * @public its value is only registered and its type only read by `VerificacoesDeTipo` (knip skips `@public` exports).
 */
export const ERRO = nomeado('Erro', objeto({
  error: umDe(NOMES_DE_ERRO, 'Nome estável do erro: o cliente decide por ele, nunca pela mensagem'),
  message: texto({ description: 'pt-BR, pode ser mostrada ao usuário' }),
  id: uuid('Código do erro, registrado no log (informe ao suporte)'),
  details: lista(objeto({ path: texto({ description: 'Campo (vazio: o corpo todo)' }), message: texto() })),
  recusas: opcional(lista(objeto({ campo: texto(), operacao: umDe(OPERACOES), codigo: umDe(CODIGOS_PMCC), mensagem: texto(), regra: texto() }), {
    description: 'Só na recusa pela PMCC (422 de uma escrita pela Entrada Única): a regra que recusou cada campo',
  })),
}, { descricao: 'Corpo de toda resposta de erro (4xx/5xx)' }));

// ---------- health ----------

const VERIFICACAO = objeto({ status: umDe(['UP', 'DOWN'] as const), duracaoMs: inteiro({ minimum: 0 }), erro: opcional(texto()) });
export const VIVO = objeto({ status: constante('UP') });
export const PRONTIDAO = nomeado('Prontidao', objeto({
  status: umDe(['UP', 'DOWN'] as const),
  falhas: lista(texto()),
  checks: mapa(VERIFICACAO),
}, { descricao: 'Resultado das verificações de prontidão (200 UP, 503 DOWN)' }));

// ---------- Keycloak events ----------

export const EVENTO_ACEITO = objeto({
  id: texto(),
  tipo: texto(),
  resultado: umDe(['processado', 'ignorado'] as const),
  sincronizacao: anulavel(objeto({ jobId: texto() })),
}, { descricao: 'Evento aceito; `sincronizacao` é o job que envia o nível da conta ao Keycloak' });

// ---------- people ----------

const PROPS_PESSOA = {
  cpf: cpf(),
  nome: texto(),
  nomeSocial: anulavel(texto()),
  genero: anulavel(umDe(GENEROS)),
  dataNascimento: data(),
  localNascimento: anulavel(dto('LocalNascimentoDto')),
  rg: anulavel(dto('RgDto')),
  tituloEleitor: anulavel(texto({ pattern: '^[0-9]{12}$' })),
  cpfMae: anulavel(cpf()),
  nomeMae: anulavel(texto()),
  cpfPai: anulavel(cpf()),
  nomePai: anulavel(texto()),
  estadoCivil: anulavel(umDe(ESTADOS_CIVIS)),
  obito: booleano(),
  obitoRegistro: anulavel(dto('ObitoDto')),
  emails: lista(dto('EmailDto')),
  telefones: lista(dto('TelefoneDto')),
  enderecos: lista(dto('EnderecoDto')),
  relacoesFamiliares: lista(dto('RelacaoFamiliarDto')),
  biometria: anulavel(dto('ReferenciaDto')),
  certificadoIcp: anulavel(dto('ReferenciaDto')),
  vinculoGovbr: anulavel(dto('ReferenciaDto')),
  situacao: umDe(SITUACOES_PESSOA),
  versao: inteiro({ minimum: 0 }),
  criadoEm: dataHora(),
  atualizadoEm: dataHora(),
} satisfies Record<(typeof CAMPOS_PESSOA_JSON)[number], Esquema<unknown>>;

/** The whole record (`pessoaParaJson`). */
const PESSOA_COMPLETA = objeto(PROPS_PESSOA);

/** What a steward receives: the record filtered by the data-sharing rules of their organ × client (absent = not shared). */
export const PESSOA_VISIVEL = nomeado('PessoaVisivel', parcial(PESSOA_COMPLETA,
  'Registro de pessoa física filtrado pelas regras de compartilhamento (órgão × cliente): um campo fora da regra do chamador não vem na resposta'));

/** What a citizen receives of their own record: exactly the fields of `REGRAS.cidadao`. */
const CAMPOS_CIDADAO = [...REGRAS.cidadao.campos];
const PESSOA_DO_CIDADAO = nomeado('PessoaDoCidadao', {
  json: {
    ...objeto(Object.fromEntries(CAMPOS_CIDADAO.map((c) => [c, PROPS_PESSOA[c]])) as typeof PROPS_PESSOA).json,
    description: `O próprio registro do cidadão: os campos da regra \`cidadao\` (versão ${REGRAS.versao} das regras de compartilhamento)`,
  },
});

const DECISAO_NA_RESPOSTA = objeto({
  campo: texto(),
  operacao: umDe(OPERACOES),
  resultado: umDe(['aceitar', 'rejeitar', 'aceitar-e-revisar'] as const),
  codigo: umDe(CODIGOS_PMCC),
  mensagem: texto(),
  regra: texto(),
  aplicado: booleano(),
  de: qualquer('Valor anterior'),
  para: qualquer('Valor pedido'),
});
const ESCRITA = {
  decisoes: lista(DECISAO_NA_RESPOSTA, { description: 'Decisão da PMCC campo a campo (só os campos que o chamador pode ver)' }),
  revisoesAbertas: lista(idNumerico(), { description: 'Itens abertos na fila de revisão' }),
  sincronizacoes: lista(texto()),
};
export const ESCRITA_PESSOA = nomeado('EscritaPessoa', objeto({ dryRun: opcional(constante(true)), registro: PESSOA_VISIVEL, ...ESCRITA },
  { descricao: 'Resultado de uma escrita pela Entrada Única (ou da simulação, com dryRun: true)' }));
/** `POST /pessoas` (201): the record at the top level (first version of the route), decisions beside it. */
export const PESSOA_CRIADA = nomeado('PessoaCriada', {
  json: {
    ...objeto({ ...PROPS_PESSOA, decisoes: ESCRITA.decisoes, revisoesAbertas: ESCRITA.revisoesAbertas }).json,
    required: ['decisoes', 'revisoesAbertas'],
    description: 'Registro criado (filtrado pelas regras de compartilhamento) e as decisões da PMCC',
  },
});

export const PAGINA_PESSOAS = objeto({
  itens: lista(PESSOA_VISIVEL), limit: inteiro({ minimum: 1 }), offset: inteiro({ minimum: 0 }), proximoOffset: anulavel(inteiro({ minimum: 0 })),
});

const DECISAO_GRAVADA = objeto({
  resultado: opcional(umDe(['aceitar', 'rejeitar', 'aceitar-e-revisar'] as const)),
  codigo: texto({ description: `Código PMCC (${CODIGOS_PMCC.join(', ')}) ou LEGADO para o valor anterior à Entrada Única` }),
  mensagem: opcional(texto()),
  regra: opcional(texto()),
});
const VALOR_CAMPO = nomeado('ValorCampo', objeto({
  id: idNumerico(),
  valor: qualquer('O valor (JSON), como gravado'),
  estado: umDe(ESTADOS_VALOR),
  operacao: umDe(OPERACOES),
  fonte: texto(),
  chaveFonte: anulavel(texto()),
  evidencia: anulavel(dto('EvidenciaDto')),
  ator: texto(),
  tipoAtor: umDe(TIPOS_ATOR),
  observadoEm: dataHora(),
  registradoEm: dataHora(),
  versaoRegistro: inteiro({ minimum: 0 }),
  decisao: DECISAO_GRAVADA,
}, { descricao: 'Um valor que o campo teve ou que lhe foi oferecido, com proveniência' }));
export const HISTORICO_PESSOA = objeto({ cpf: cpf(), campo: texto(), valores: lista(VALOR_CAMPO) });
export const HISTORICO_PJ = objeto({ cnpj: cnpj(), campo: texto(), valores: lista(VALOR_CAMPO) });

const PESSOA_JURIDICA_OBJ = objeto({
  cnpj: cnpj(),
  razaoSocial: texto(),
  nomeFantasia: anulavel(texto()),
  situacao: umDe(SITUACOES_PJ),
  endereco: anulavel(dto('EnderecoDto')),
  responsaveis: lista(dto('ResponsavelDto')),
  versao: inteiro({ minimum: 0 }),
  criadoEm: dataHora(),
  atualizadoEm: dataHora(),
});
export const PESSOA_JURIDICA = nomeado('PessoaJuridica', PESSOA_JURIDICA_OBJ);
export const ESCRITA_PJ = nomeado('EscritaPessoaJuridica', objeto({ dryRun: opcional(constante(true)), registro: PESSOA_JURIDICA, ...ESCRITA },
  { descricao: 'Resultado de uma escrita pela Entrada Única (ou da simulação de uma alteração, com dryRun: true)' }));
/** A simulated CREATION: the would-be record holds only the fields the PMCC accepted, the key and `versao`. */
export const SIMULACAO_CRIACAO_PJ = nomeado('SimulacaoCriacaoPessoaJuridica', objeto({ dryRun: constante(true), registro: parcial(PESSOA_JURIDICA_OBJ), ...ESCRITA },
  { descricao: 'Simulação de criação (dryRun=true): o registro como ficaria — só os campos aceitos pela PMCC, a chave e a versão' }));

// ---------- sharing rules ----------

const REGRA = objeto({ campos: lista(umDe(CAMPOS_PESSOA_JSON)), finalidade: texto() });
export const REGRAS_COMPARTILHAMENTO = objeto({
  versao: texto(),
  orgaos: mapa(REGRA, { propertyNames: { enum: [...ORGAOS] } }),
  clientes: mapa(REGRA),
  cidadao: REGRA,
}, { descricao: 'Campos da pessoa que cada órgão, cliente e o próprio cidadão podem receber (negação por padrão)' });
export const MINHA_VISAO = objeto({
  orgaos: lista(umDe(ORGAOS)),
  cliente: anulavel(texto()),
  campos: lista(umDe(CAMPOS_PESSOA_JSON)),
  versaoRegras: texto(),
});

// ---------- citizen (/me) ----------

export const MEUS_DADOS = objeto({
  conta: objeto({
    nivelConfianca: umDe([1, 2, 3, 4, 5] as const),
    vinculada: booleano('A conta está vinculada a um registro do cadastro por evidência'),
    evidencias: lista(objeto({ tipo: umDe(TIPOS_EVIDENCIA), registradoEm: dataHora() })),
  }),
  pessoa: anulavel(PESSOA_DO_CIDADAO),
});
/** "Quem acessou meus dados" (portal/acessos.service.ts). */
export const ACESSOS = objeto({
  vinculada: booleano('A conta está vinculada a um registro do cadastro (sem vínculo não há registro, nem leituras dele)'),
  total: inteiro({ minimum: 0 }),
  limit: inteiro({ minimum: 1 }),
  offset: inteiro({ minimum: 0 }),
  itens: lista(objeto({
    id: texto({ pattern: '^[0-9]+$' }),
    em: dataHora(),
    quando: texto({ pattern: '^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}$', description: 'dd/mm/aaaa hh:mm, horário de São Paulo' }),
    oQue: texto(),
    orgao: texto({ description: 'Órgão (nunca o nome ou o CPF do servidor)' }),
    papel: texto({ description: 'Papel do servidor no órgão' }),
    aplicacao: texto(),
    campos: lista(texto()),
    finalidade: texto(),
  })),
});

const DECISAO_PMCC = objeto({
  resultado: umDe(['aceitar', 'rejeitar', 'aceitar-e-revisar'] as const),
  codigo: umDe(CODIGOS_PMCC),
  mensagem: texto(),
  aplicar: booleano(),
  guardarAlternativa: booleano(),
  abrirRevisao: booleano(),
  regra: texto(),
});
export const ESCRITA_CIDADAO = objeto({
  dryRun: booleano(),
  versao: inteiro({ minimum: 0 }),
  pessoa: PESSOA_DO_CIDADAO,
  mudancas: lista(objeto({ campo: texto(), operacao: umDe(OPERACOES), decisao: DECISAO_PMCC })),
  revisoesAbertas: lista(idNumerico()),
});

export const VERIFICACAO_INICIADA = objeto({
  id: uuid('Id da verificação (para enviar as respostas)'),
  expiraEm: dataHora('Até quando as respostas são aceitas'),
  perguntas: lista(objeto({
    id: texto({ pattern: '^p[1-9]$' }),
    campo: umDe(CAMPOS_PERGUNTA, 'Dado do cadastro sobre o qual é a pergunta'),
    enunciado: texto(),
    opcoes: lista(objeto({ id: texto({ pattern: '^[a-e]$' }), texto: texto() }), { minItems: 5, maxItems: 5 }),
  }), { minItems: 3, maxItems: 4 }),
  tentativasRestantes: inteiro({ minimum: 1, maximum: 3, description: 'Verificações com erro que ainda cabem antes do bloqueio de 24 h' }),
}, { descricao: 'Verificação por perguntas iniciada: escolha uma opção em cada pergunta (a resposta certa não vem aqui)' });
export const RESULTADO_CONHECIMENTO = objeto({
  aprovada: booleano('Todas as respostas conferem com o cadastro base'),
  mensagem: texto({ description: 'pt-BR; na reprovação não diz qual resposta estava errada' }),
  nivelConfianca: umDe([1, 2, 3, 4, 5] as const),
  tentativasRestantes: inteiro({ minimum: 0, maximum: 3 }),
  bloqueadaAte: anulavel(dataHora('Na terceira reprovação: até quando novas verificações são recusadas')),
  sincronizacao: anulavel(objeto({ jobId: texto() })),
});

// ---------- review queue ----------

export const REVISAO = nomeado('Revisao', objeto({
  id: idNumerico(),
  entidade: umDe(['pessoa', 'pessoa_juridica'] as const),
  chave: texto(),
  campo: texto(),
  codigo: texto(),
  motivo: texto(),
  situacao: umDe(SITUACOES_REVISAO),
  responsavel: anulavel(texto()),
  resolucao: anulavel(umDe(RESOLUCOES)),
  justificativa: anulavel(texto()),
  alternativa: anulavel(objeto({ id: idNumerico(), valor: qualquer(), fonte: texto(), ator: texto(), observadoEm: dataHora(), estado: umDe(ESTADOS_VALOR) })),
  criadaEm: dataHora(),
  assumidaEm: anulavel(dataHora()),
  resolvidaEm: anulavel(dataHora()),
}));
export const PAGINA_REVISOES = objeto({ itens: lista(REVISAO), limit: inteiro({ minimum: 1 }), offset: inteiro({ minimum: 0 }), proximoOffset: anulavel(inteiro({ minimum: 0 })) });

// ---------- accounts ----------

export const EVIDENCIA_CONTA = objeto({
  id: uuid(), tipo: umDe(TIPOS_EVIDENCIA), pessoaCpf: anulavel(cpf()), detalhe: mapa(qualquer()), registradoPor: texto(), registradoEm: dataHora(),
});
const PROPS_CONTA = {
  keycloakUserId: uuid(),
  username: anulavel(texto()),
  cpfDeclarado: anulavel(cpf()),
  pessoaCpf: anulavel(cpf()),
  nivelConfianca: umDe([1, 2, 3, 4, 5] as const),
  nivelVersao: inteiro({ minimum: 0 }),
  nivelSincronizadoVersao: anulavel(inteiro({ minimum: 0 })),
  situacao: umDe(SITUACOES_CONTA),
  criadoEm: dataHora(),
  atualizadoEm: dataHora(),
  evidencias: lista(EVIDENCIA_CONTA),
};
export const CONTA = nomeado('Conta', objeto(PROPS_CONTA));
export const VINCULO_CONFIRMADO = objeto({ ...PROPS_CONTA, evidencia: EVIDENCIA_CONTA, sincronizacao: anulavel(objeto({ jobId: texto() })) });

// ---------- CMBD ----------

const PROPS_BASE_DADOS = {
  sigla: texto(),
  secaoResponsavel: texto(),
  codigoProdam: texto(),
  titulo: texto(),
  categoriaTematica: texto(),
  palavrasChave: lista(texto()),
  resumo: texto(),
  historico: texto(),
  serieHistorica: texto(),
  periodicidade: umDe(PERIODICIDADES),
  procedencia: texto(),
  extensaoGeografica: texto(),
  nivelDesagregacao: texto(),
  situacao: umDe(SITUACOES),
  inativaDesde: anulavel(data()),
  sigilo: booleano(),
  sigiloBaseLegal: anulavel(texto()),
  formasDisponibilizacao: lista(texto()),
  enderecoAcesso: texto(),
  tipoArmazenamento: umDe(TIPOS_ARMAZENAMENTO),
  sgbd: texto(),
  formato: umDe(FORMATOS),
  extensaoArquivo: texto(),
  ambienteProducao: texto(),
  tiposRepresentacao: lista(umDe(TIPOS_REPRESENTACAO)),
  escala: texto(),
  sistemaReferencia: texto(),
  baseCartografica: texto(),
  possuiDadosPessoais: booleano(),
  fonteCarga: anulavel(texto()),
  situacaoMigracao: umDe([...SITUACOES_MIGRACAO, SITUACAO_MIGRACAO_NAO_SE_APLICA]),
  cronogramaMigracao: anulavel(data()),
};
const PROPS_BASE = {
  id: uuid(),
  orgao: texto(),
  ...PROPS_BASE_DADOS,
  transferidaPara: anulavel(texto()),
  transferidaDe: anulavel(uuid()),
  revisadaNaCampanha: anulavel(texto()),
  versao: inteiro({ minimum: 1 }),
  criadoEm: dataHora(),
  atualizadoEm: dataHora(),
};
export const BASE = nomeado('BaseCmbd', objeto(PROPS_BASE, { descricao: 'Base catalogada no CMBD' }));
export const BASES = lista(BASE);
export const TRANSFERENCIA = objeto({ origem: BASE, destino: BASE });
export const VERSOES = lista(objeto({
  versao: inteiro({ minimum: 1 }), acao: texto(), ator: texto(), em: dataHora(), campanha: anulavel(texto()), campos: lista(texto()),
  dados: mapa(qualquer(), { description: 'A base como ficou nesta versão' }),
}));
const ORGAO = objeto({ sigla: texto(), nome: texto() });
export const ORGAOS_CMBD = lista(ORGAO);
export const ORGAO_REGISTRADO = ORGAO;
const ORGAO_NA_CAMPANHA = objeto({
  sigla: texto(), nome: texto(), concluidaEm: anulavel(dataHora()), concluidaPor: anulavel(texto()), pendentes: inteiro({ minimum: 0 }), total: inteiro({ minimum: 0 }),
});
export const CAMPANHA = nomeado('CampanhaCmbd', objeto({
  codigo: texto({ pattern: '^[0-9]{4}-[12]$' }),
  situacao: umDe(['ABERTA', 'ENCERRADA'] as const),
  prazo: data(),
  abertaEm: dataHora(),
  abertaPor: texto(),
  encerradaEm: anulavel(dataHora()),
  orgaos: lista(ORGAO_NA_CAMPANHA),
}));
export const CONCLUSAO = ORGAO_NA_CAMPANHA;
export const PONTO_FOCAL = objeto({ id: idNumerico(), nome: texto(), email: texto({ format: 'email' }), username: anulavel(texto()) });
export const LISTA_DE_TRABALHO = objeto({
  campanha: texto(),
  sigla: texto(),
  concluidaEm: anulavel(dataHora()),
  pendentes: inteiro({ minimum: 0 }),
  bases: lista(objeto({ ...PROPS_BASE, revisadaNestaCampanha: booleano() })),
});
export const PENDENTES = lista(objeto({
  sigla: texto(), nome: texto(), pendentes: inteiro({ minimum: 0 }), pontosFocais: lista(objeto({ nome: texto(), email: texto() })), lembretes: inteiro({ minimum: 0 }),
}));
export const LEMBRETES = objeto({
  dia: data(), registrados: lista(objeto({ sigla: texto(), destinatarios: lista(texto()), canal: umDe(['e-mail', 'oficio-sei'] as const) })),
});
export const ENCERRAMENTO = objeto({
  campanha: texto(), publicadaEm: dataHora(), bases: inteiro({ minimum: 0 }), participantes: lista(ORGAO), naoParticipantes: lista(ORGAO),
});
export const IMPORTACAO = objeto({ importadas: inteiro({ minimum: 0 }), orgaosCriados: lista(texto()) });
export const RELATORIO_DADOS_PESSOAIS = objeto({
  geradoEm: dataHora(),
  total: inteiro({ minimum: 0 }),
  porSituacao: mapa(inteiro({ minimum: 0 }), { propertyNames: { enum: [...SITUACOES_MIGRACAO] } }),
  bases: lista(objeto({
    id: uuid(), sigla: texto(), orgao: texto(), titulo: texto(), situacao: umDe(SITUACOES), sgbd: texto(), tipoArmazenamento: umDe(TIPOS_ARMAZENAMENTO),
    fonteCarga: anulavel(texto()), situacaoMigracao: umDe([...SITUACOES_MIGRACAO, SITUACAO_MIGRACAO_NAO_SE_APLICA]), cronogramaMigracao: anulavel(data()),
    atrasada: booleano('Prazo de migração vencido e migração não concluída'),
    carga: anulavel(objeto({
      cargas: inteiro({ minimum: 0 }),
      emAndamento: inteiro({ minimum: 0 }),
      ultimaConcluida: anulavel(objeto({
        id: idNumerico(), fonte: texto(), concluidaEm: dataHora(), registrosLidos: inteiro({ minimum: 0 }), cpfsValidos: inteiro({ minimum: 0 }),
        cpfsInvalidos: inteiro({ minimum: 0 }), semCpf: inteiro({ minimum: 0 }),
      })),
    }, { descricao: 'Cargas em lote desta base (casadas pela sigla e fonteCarga do mapeamento da fonte); null: nenhuma carga registrada' })),
  })),
});

// ---------- open data ----------

/** The published CSV: UTF-8, header = the manual's column names (`COLUNAS_CSV`), CRLF. */
const cabecalhoCsv = COLUNAS_CSV.map((c) => (/[",\n\r]/.test(c.nome) ? `"${c.nome.replace(/"/g, '""')}"` : c.nome)).join(',');
const escaparRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const CSV_CMBD = texto({ pattern: `^${escaparRegex(cabecalhoCsv)}\\r\\n`, description: 'CSV (RFC 4180, vírgula, CRLF) com as colunas do manual do CMBD' });
export const CSV_ACESSOS = texto({ pattern: `^\uFEFF?${escaparRegex(CABECALHO_CSV_ACESSOS)}\r\n`, description: 'CSV (ponto e vírgula, CRLF, UTF-8 com BOM)' });
const NOME_ORG = objeto({ 'cmbd:sigla': texto(), 'foaf:name': texto() });
export const JSONLD_CMBD = objeto({
  '@context': mapa(texto()),
  '@id': texto({ format: 'uri' }),
  '@type': constante('dcat:Catalog'),
  'dct:title': texto(),
  'dct:description': texto(),
  'dct:publisher': objeto({ '@type': constante('foaf:Organization'), 'foaf:name': texto() }),
  'dct:language': constante('pt-BR'),
  'dct:issued': objeto({ '@value': dataHora(), '@type': constante('xsd:dateTime') }),
  'cmbd:campanha': texto(),
  'cmbd:orgaosParticipantes': lista(NOME_ORG),
  'cmbd:orgaosNaoParticipantes': lista(NOME_ORG),
  'dcat:distribution': lista(objeto({ '@type': constante('dcat:Distribution'), 'dcat:downloadURL': texto({ format: 'uri' }), 'dcat:mediaType': texto() })),
  'dcat:dataset': lista(objeto({ '@id': texto({ pattern: '^urn:uuid:' }), '@type': constante('dcat:Dataset'), 'dct:identifier': uuid(), 'dct:title': texto() }, { aberto: true })),
}, { descricao: 'Catálogo DCAT (JSON-LD) da publicação' });

// ---------- the document itself, static pages ----------

export const DOCUMENTO_OPENAPI = objeto({
  openapi: constante('3.1.0'), info: mapa(qualquer()), servers: lista(mapa(qualquer())), tags: lista(mapa(qualquer())), paths: mapa(mapa(qualquer())), components: mapa(qualquer()),
});
export const TEXTO = texto({ minLength: 1 });

// ---------- compile-time checks against the handlers' types ----------

type Retorno<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;

/**
 * Each entry fails `tsc` if the schema and the type the handler returns differ in their fields.
 * @public exported so that tsc keeps it (only tsc reads it); knip skips `@public` exports.
 */
export type VerificacoesDeTipo = [
  Verdadeiro<Confere<Omit<Tipo<typeof ERRO>, 'recusas'>, ApiErrorJson>>,
  Verdadeiro<Confere<Tipo<typeof ERRO>, ReturnType<PoliticaNegada['toJSON']>>>,
  Verdadeiro<Confere<Tipo<typeof PRONTIDAO>, Retorno<typeof verificarProntidao>>>,
  Verdadeiro<Confere<Omit<Tipo<typeof EVENTO_ACEITO>, 'sincronizacao'>, Omit<ResultadoEvento, 'sincronizar'>>>,
  Verdadeiro<Confere<Tipo<typeof PESSOA_COMPLETA>, PessoaJson>>,
  Verdadeiro<Confere<Tipo<typeof PAGINA_PESSOAS>, PaginaPessoas>>,
  Verdadeiro<Confere<Tipo<typeof VALOR_CAMPO>, ValorCampoJson>>,
  Verdadeiro<Confere<Tipo<typeof PESSOA_JURIDICA_OBJ>, PessoaJuridicaJson>>,
  Verdadeiro<Confere<Tipo<typeof REGRAS_COMPARTILHAMENTO>, RegrasCompartilhamento>>,
  Verdadeiro<Confere<Omit<Tipo<typeof MINHA_VISAO>, 'orgaos' | 'cliente'>, Visao>>,
  Verdadeiro<Confere<Tipo<typeof MEUS_DADOS>, MeusDados>>,
  Verdadeiro<Confere<Tipo<typeof MEUS_DADOS>['conta'], MeusDados['conta']>>,
  Verdadeiro<Confere<Tipo<typeof ACESSOS>, PaginaAcessos>>,
  Verdadeiro<Confere<Tipo<typeof VERIFICACAO_INICIADA>, VerificacaoIniciada>>,
  Verdadeiro<Confere<Omit<Tipo<typeof RESULTADO_CONHECIMENTO>, 'sincronizacao'>, ResultadoResposta>>,
  Verdadeiro<Confere<Tipo<typeof DECISAO_PMCC>, Decisao>>,
  Verdadeiro<Confere<Tipo<typeof REVISAO>, RevisaoJson>>,
  Verdadeiro<Confere<Tipo<typeof PAGINA_REVISOES>, Retorno<typeof listarRevisoes>>>,
  Verdadeiro<Confere<Tipo<typeof CONTA>, ReturnType<typeof contaParaJson>>>,
  Verdadeiro<Confere<Tipo<typeof EVIDENCIA_CONTA>, ReturnType<typeof evidenciaParaJson>>>,
  Verdadeiro<Confere<Tipo<typeof BASE>, BaseRegistro>>,
  Verdadeiro<Confere<Tipo<typeof TRANSFERENCIA>, Retorno<typeof transferirBase>>>,
  Verdadeiro<Confere<Tipo<typeof VERSOES>, VersaoJson[]>>,
  Verdadeiro<Confere<Tipo<typeof ORGAOS_CMBD>, Retorno<typeof listarOrgaos>>>,
  Verdadeiro<Confere<Tipo<typeof CAMPANHA>, CampanhaJson>>,
  Verdadeiro<Confere<Tipo<typeof CONCLUSAO>, Retorno<typeof concluirOrgao>>>,
  Verdadeiro<Confere<Tipo<typeof PONTO_FOCAL>, Retorno<typeof registrarPontoFocal>>>,
  Verdadeiro<Confere<Tipo<typeof LISTA_DE_TRABALHO>, ListaDeTrabalho>>,
  Verdadeiro<Confere<Tipo<typeof PENDENTES>, Pendente[]>>,
  Verdadeiro<Confere<Tipo<typeof LEMBRETES>, Retorno<typeof registrarLembretes>>>,
  Verdadeiro<Confere<Tipo<typeof IMPORTACAO>, Retorno<typeof importarBases>>>,
  Verdadeiro<Confere<Tipo<typeof RELATORIO_DADOS_PESSOAIS>, Retorno<typeof relatorioDadosPessoais>>>,
];
