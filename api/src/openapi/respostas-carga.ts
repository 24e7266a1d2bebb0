/**
 * Response-body schemas of the batch-load routes for stewards (issue 11), built like respostas.ts and checked by the
 * compiler against the handlers' types (`VerificacoesDeTipoCarga`).
 */
import { SITUACOES_CARGA, SITUACOES_PEDIDO, type CargaJson, type DiagnosticoDaBaseJson, type ListaCargas, type PedidoCargaJson } from '../carga/gestao/cargas.service.js';
import type { CategoriasDiagnostico } from '../carga/gestao/categorias.js';
import {
  SITUACOES_IDENTIDADE, SITUACOES_REVISAO_VINCULO, TIPOS_DECISAO, VINCULOS,
  type IdentidadeJson, type LinhaVinculoJson, type PaginaRevisoesVinculo, type RevisaoVinculoJson, type SeparacaoJson,
} from '../carga/gestao/identidades.service.js';
import { FASES } from '../carga/fases.js';
import { MOTIVOS_ILEGIVEL } from '../carga/ler-fonte.js';
import { anulavel, booleano, data, dataHora, inteiro, lista, mapa, nomeado, objeto, opcional, qualquer, texto, umDe, type Confere, type Esquema, type Tipo, type Verdadeiro } from './esquema.js';

const id = () => texto({ pattern: '^[1-9][0-9]*$' });
const contagem = () => inteiro({ minimum: 0 });
/** A score (real). */
const numero = (): Esquema<number> => ({ json: { type: 'number' } });

const CATEGORIAS = nomeado('DiagnosticoCarga', objeto({
  registrosLidos: contagem(),
  cpfsUnicos: contagem(),
  cpfsValidos: contagem(),
  cpfsInvalidos: objeto({ valoresDistintos: contagem(), linhas: contagem(), porMotivo: mapa(objeto({ valoresDistintos: contagem(), linhas: contagem() }), { description: 'Valores distintos e registros por motivo da triagem (caractere, tamanho, repetido, sequencia-conhecida, digito)' }) }),
  semCpf: contagem(),
  cpfDeOutraPessoa: contagem(),
  cpfsDevolvidosAoTitular: inteiro({ minimum: 0, description: 'CPFs de responsável que a carga tirou do id dourado de uma criança e devolveu ao titular (registro mestre refeito a partir das linhas dele)' }),
  fundidos: contagem(),
  casadosSemCpf: contagem(),
  emQuarentena: contagem(),
  pendentes: contagem(),
  itensDeRevisaoAbertos: objeto({ campos: contagem(), vinculo: contagem() }),
  novasIdentidades: opcional(contagem()),
  linhasIlegiveis: opcional(objeto({
    total: contagem(),
    porMotivo: objeto({ colunas: contagem(), codificacao: contagem() }, { descricao: 'colunas: número de campos diferente do cabeçalho; codificacao: bytes que não são UTF-8 numa fonte declarada UTF-8' }),
    primeiras: lista(objeto({ linha: inteiro(), motivo: umDe(MOTIVOS_ILEGIVEL) }), { description: 'As 20 primeiras, pelo número da linha de dados (1 = a primeira depois do cabeçalho)' }),
  }, { descricao: 'Linhas não carregadas por não poderem ser lidas como o mapeamento diz' })),
  semChave: opcional(contagem()),
  chavesDuplicadas: opcional(contagem()),
  inalterados: opcional(contagem()),
}, { descricao: 'Diagnóstico nas categorias do documento de origem (registros lidos, CPFs únicos, válidos, inválidos/falsos, sem CPF, fundidos, casados sem CPF, itens de revisão abertos…)' }));

const PROGRESSO = objeto({ fase: umDe(FASES), feitas: contagem(), total: anulavel(contagem()) });

const CARGA_OBJ = objeto({
  id: id(),
  fonte: texto(),
  arquivo: texto(),
  situacao: umDe(SITUACOES_CARGA),
  fase: umDe(FASES),
  linhasConfirmadas: contagem(),
  cmbd: objeto({ sigla: texto(), fonteCarga: texto() }),
  iniciadaPor: texto(),
  iniciadaEm: dataHora(),
  atualizadaEm: dataHora(),
  concluidaEm: anulavel(dataHora()),
  erro: anulavel(texto()),
  diagnostico: anulavel(CATEGORIAS),
});
const CARGA = nomeado('Carga', CARGA_OBJ);

const PROPS_PEDIDO = {
  id: texto({ pattern: '^carga-[a-z][a-z0-9-]*-[0-9a-f]{16}$' }),
  fonte: texto(),
  arquivo: texto(),
  bytes: contagem(),
  situacao: umDe(SITUACOES_PEDIDO),
  progresso: anulavel(PROGRESSO),
  solicitadaPor: texto(),
  solicitadaEm: dataHora(),
  iniciadaEm: anulavel(dataHora()),
  terminadaEm: anulavel(dataHora()),
  erro: anulavel(texto()),
  carga: anulavel(CARGA),
};
const PEDIDO_OBJ = objeto(PROPS_PEDIDO);
export const PEDIDO_CARGA = nomeado('PedidoCarga', PEDIDO_OBJ);
export const PEDIDO_ACEITO = objeto({ ...PROPS_PEDIDO, resultado: umDe(['novo', 'existente', 'retomado'] as const, 'novo: pedido criado; existente: o mesmo arquivo já aguarda ou roda; retomado: o pedido que falhou voltou à fila') });
export const PAGINA_CARGAS = objeto({
  itens: lista(CARGA), limit: inteiro({ minimum: 1 }), offset: contagem(), proximoOffset: anulavel(contagem()),
  naFila: anulavel(lista(PEDIDO_CARGA, { description: 'Pedidos aguardando ou em andamento (null: a fila não respondeu)' })),
});
export const DIAGNOSTICO_BASE = objeto({ geradoEm: dataHora(), diagnostico: CATEGORIAS });

const LINHA = objeto({
  fonte: texto(), chave: texto(), cargaId: id(), triagem: umDe(['base-unica', 'sem-cpf', 'cpf-invalido'] as const), motivo: anulavel(texto()),
  cpf: anulavel(texto({ pattern: '^[0-9]{11}$' })), cpfDeOutraPessoa: booleano(), nome: anulavel(texto()), nomeSocial: anulavel(texto()), nomeMae: anulavel(texto()),
  nomePai: anulavel(texto()), dataNascimento: anulavel(data()), dataObito: anulavel(data()), sexo: anulavel(umDe(['M', 'F'] as const)), obito: anulavel(booleano()),
  municipio: anulavel(texto()), uf: anulavel(texto()), identidadeId: anulavel(id()), vinculo: anulavel(umDe(VINCULOS)),
  pontuacao: anulavel(numero()),
  comparacoes: qualquer('Comparação por campo (níveis e pesos) que levou à decisão, como o vínculo a gravou'),
  problemas: lista(objeto({ campo: texto(), codigo: texto(), valor: anulavel(texto()) }), {
    description: 'O que a carga anotou sobre a linha: valor que não pôde usar (ex.: data-invalida), linha recusada pela fusão (linha-recusada), '
      + 'CPF devolvido ao dono (cpf-do-responsavel); vazia quando nada',
  }),
});
const LINHA_VINCULO = nomeado('LinhaVinculo', LINHA);
const REF_LINHA = objeto({ fonte: texto(), chave: texto() });
const DECISAO = objeto({
  id: id(), tipo: umDe(TIPOS_DECISAO), identidadeA: id(), identidadeB: id(), linhas: lista(REF_LINHA), gestor: texto(), justificativa: texto(), criadaEm: dataHora(),
});
const IDENTIDADE_OBJ = objeto({
  id: id(),
  cpf: anulavel(texto({ pattern: '^[0-9]{11}$' })),
  situacao: umDe(SITUACOES_IDENTIDADE),
  fundidaEm: anulavel(id()),
  fundidas: lista(id()),
  cargaId: anulavel(id()),
  criadaEm: dataHora(),
  totalLinhas: contagem(),
  linhas: lista(LINHA_VINCULO),
  decisoes: lista(DECISAO),
}, { descricao: 'Identidade (id dourado): as linhas das fontes ligadas a ela, com a pontuação e as comparações de cada vínculo, e as decisões de gestores' });
export const IDENTIDADE = nomeado('Identidade', IDENTIDADE_OBJ);
export const SEPARACAO = objeto({ origem: IDENTIDADE, nova: IDENTIDADE });

const CANDIDATA = objeto({
  id: id(), cpf: anulavel(texto({ pattern: '^[0-9]{11}$' })), situacao: umDe(SITUACOES_IDENTIDADE), fundidaEm: anulavel(id()), totalLinhas: contagem(), linhas: lista(LINHA_VINCULO),
});
const REVISAO_VINCULO_OBJ = objeto({
  id: id(),
  situacao: umDe(SITUACOES_REVISAO_VINCULO),
  cargaId: id(),
  pontuacao: numero(),
  comparacoes: qualquer('Comparação da linha com a candidata, campo a campo (níveis e pesos)'),
  linha: anulavel(LINHA_VINCULO),
  candidata: anulavel(CANDIDATA),
  resolucao: anulavel(umDe(TIPOS_DECISAO)),
  responsavel: anulavel(texto()),
  justificativa: anulavel(texto()),
  criadaEm: dataHora(),
  resolvidaEm: anulavel(dataHora()),
}, { descricao: 'Item de revisão de vínculo: uma linha cuja melhor candidata ficou na faixa cinzenta' });
export const REVISAO_VINCULO = nomeado('RevisaoVinculo', REVISAO_VINCULO_OBJ);
export const PAGINA_REVISOES_VINCULO = objeto({ itens: lista(REVISAO_VINCULO), limit: inteiro({ minimum: 1 }), offset: contagem(), proximoOffset: anulavel(contagem()) });

/**
 * Each entry fails `tsc` if the schema and the type the handler returns differ in their fields.
 * @public exported so that tsc keeps it (only tsc reads it); knip skips `@public` exports.
 */
export type VerificacoesDeTipoCarga = [
  Verdadeiro<Confere<Tipo<typeof CATEGORIAS>, CategoriasDiagnostico>>,
  Verdadeiro<Confere<Tipo<typeof CARGA_OBJ>, CargaJson>>,
  Verdadeiro<Confere<Tipo<typeof PEDIDO_OBJ>, PedidoCargaJson>>,
  Verdadeiro<Confere<Tipo<typeof PAGINA_CARGAS>, ListaCargas>>,
  Verdadeiro<Confere<Tipo<typeof DIAGNOSTICO_BASE>, DiagnosticoDaBaseJson>>,
  Verdadeiro<Confere<Tipo<typeof LINHA>, LinhaVinculoJson>>,
  Verdadeiro<Confere<Tipo<typeof IDENTIDADE_OBJ>, IdentidadeJson>>,
  Verdadeiro<Confere<Tipo<typeof SEPARACAO>, SeparacaoJson>>,
  Verdadeiro<Confere<Tipo<typeof REVISAO_VINCULO_OBJ>, RevisaoVinculoJson>>,
  Verdadeiro<Confere<Tipo<typeof PAGINA_REVISOES_VINCULO>, PaginaRevisoesVinculo>>,
];
