/**
 * The OpenAPI 3.1 document, built from the code: request-body schemas are generated from the class-validator DTOs
 * (class-validator-jsonschema), and every route the Express app registers must have a row in `ROTAS` — a test
 * compares this table with `listarRotas(app)` both ways, so the document cannot drift from the code.
 */
import 'reflect-metadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { createRequire } from 'node:module';
// The DTO modules register their class-validator metadata when imported.
import '../biometria/biometria.dto.js';
import '../contas/conta.dto.js';
import '../pessoas/pessoa.dto.js';
import '../pessoas/pessoa-juridica.dto.js';
import '../entrada-unica/revisoes.routes.js';
import '../eventos-keycloak/evento.dto.js';
import '../carga/gestao/carga.dto.js';
import '../conhecimento/conhecimento.dto.js';
import '../mensagens/conversa.dto.js';
import { VERSAO_REGRAS } from '../compartilhamento/regras.js';
import { esquemasNomeados, type Esquema } from './esquema.js';
import * as E from './respostas.js';
import * as EC from './respostas-carga.js';
import * as ES from './respostas-sala.js';
import * as EM from './respostas-mensagens.js';

/** Who may call: drives `security` and the documented error answers. */
type Acesso = 'publico' | 'hmac' | 'referencia' | 'cidadao' | 'gestor' | 'central' | 'cmbd' | 'descomplica';

/** One documented answer: a description and, per media type, the schema of the body. */
interface Resposta {
  descricao: string;
  conteudo: Readonly<Record<string, Esquema<unknown>>>;
}

/** Error statuses a route may answer, each with the `Erro` body. */
type StatusErro = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 428 | 429 | 503;

export interface RotaDocumentada {
  metodo: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express syntax, as registered (`/pessoas/:cpf`). */
  caminho: string;
  resumo: string;
  tag: string;
  acesso: Acesso;
  /** Name of a DTO class (schema in components) for the JSON body. */
  corpo?: string;
  /** Query parameters. */
  consulta?: readonly string[];
  /** Supports `?dryRun=true` (Entrada Única: decision and diff, nothing written). */
  dryRun?: boolean;
  /** Non-error answers by status (2xx; `/health/ready` also 503), with their body schemas (respostas.ts). */
  respostas: Readonly<Record<string, Resposta>>;
  /** Error statuses the route answers (body: `Erro`). */
  erros: readonly StatusErro[];
}

const P = 'Pessoas (gestores)';
const PJ = 'Pessoas jurídicas (gestores)';
const R = 'Revisões (gestores)';
const C = 'Contas (equipe central)';
const ME = 'Cidadão (/me)';
const CMBD = 'CMBD';
const CL = 'Carga em lote (gestores centrais)';
const PUB = 'Público';
const SALA = 'Sala de Espera';
const MSG = 'Mensagens (gestores do órgão)';

const json = (descricao: string, esquema: Esquema<unknown>): Resposta => ({ descricao, conteudo: { 'application/json': esquema } });
const ok = (esquema: Esquema<unknown>, descricao = 'Sucesso') => ({ '200': json(descricao, esquema) });
const criado = (esquema: Esquema<unknown>, descricao = 'Criado') => ({ '201': json(descricao, esquema) });
const textual = (tipo: string, descricao: string, esquema: Esquema<unknown> = E.TEXTO) => ({ '200': { descricao, conteudo: { [tipo]: esquema } } });

/** Errors of a steward/CMBD route: every authenticated route may answer 401 (no/invalid token) and 403 (role). */
const AUT = [401, 403] as const;

export const ROTAS: readonly RotaDocumentada[] = [
  { metodo: 'GET', caminho: '/health/live', resumo: 'O processo está de pé', tag: PUB, acesso: 'publico', respostas: ok(E.VIVO), erros: [] },
  {
    metodo: 'GET', caminho: '/health/ready', resumo: 'PostgreSQL, Redis e Keycloak respondem', tag: PUB, acesso: 'publico', erros: [],
    respostas: { ...ok(E.PRONTIDAO, 'Pronto: todas as dependências respondem'), '503': json('Não pronto: alguma dependência não respondeu (ver falhas)', E.PRONTIDAO) },
  },
  {
    metodo: 'POST', caminho: '/eventos/keycloak', resumo: 'Evento do Login Único (assinado com HMAC, ver docs/contracts.md)', tag: PUB, acesso: 'hmac', corpo: 'EventoKeycloakDto',
    respostas: { '202': json('Evento aceito (processado ou ignorado)', E.EVENTO_ACEITO) }, erros: [400, 401, 409, 413, 503],
  },
  { metodo: 'GET', caminho: '/openapi.json', resumo: 'Este documento', tag: PUB, acesso: 'publico', respostas: ok(E.DOCUMENTO_OPENAPI, 'Documento OpenAPI 3.1'), erros: [] },
  { metodo: 'GET', caminho: '/docs', resumo: 'Página da documentação (Swagger UI)', tag: PUB, acesso: 'publico', respostas: textual('text/html', 'Página HTML'), erros: [] },
  { metodo: 'GET', caminho: '/docs/inicializar.js', resumo: 'Script que aponta a página para este documento', tag: PUB, acesso: 'publico', respostas: textual('application/javascript', 'JavaScript'), erros: [] },

  { metodo: 'GET', caminho: '/me', resumo: 'Meus dados: o próprio registro (visão do cidadão), nível de confiança e evidências', tag: ME, acesso: 'cidadao', respostas: ok(E.MEUS_DADOS), erros: [...AUT, 404] },
  {
    metodo: 'PATCH', caminho: '/me/pessoa', resumo: 'Corrigir os próprios dados (Entrada Única, ator cidadão: a PMCC decide campo a campo)', tag: ME, acesso: 'cidadao', corpo: 'CamposPessoaDto', dryRun: true,
    respostas: ok(E.ESCRITA_CIDADAO, 'Escrita aplicada (ou simulada) com a decisão da PMCC por campo'), erros: [400, ...AUT, 404, 409, 422],
  },
  {
    metodo: 'GET', caminho: '/me/acessos', resumo: 'Quem acessou meus dados: leituras do próprio registro por órgãos e aplicações (órgão e papel, nunca o servidor), mais recentes primeiro',
    tag: ME, acesso: 'cidadao', consulta: ['limit', 'offset'], respostas: ok(E.ACESSOS), erros: [400, ...AUT, 404],
  },
  { metodo: 'GET', caminho: '/me/acessos.csv', resumo: 'Quem acessou meus dados, em CSV', tag: ME, acesso: 'cidadao', respostas: textual('text/csv', 'Todas as leituras (até 50.000), em CSV', E.CSV_ACESSOS), erros: [400, ...AUT, 404] },
  { metodo: 'GET', caminho: '/me/conversas', resumo: 'Mensagens: as conversas do cidadão com os órgãos, com as não lidas', tag: ME, acesso: 'cidadao', respostas: ok(EM.CONVERSAS), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/me/conversas', resumo: 'Abrir uma conversa com um órgão (assunto e primeira mensagem)', tag: ME, acesso: 'cidadao', corpo: 'NovaConversaDto',
    respostas: criado(EM.CONVERSA, 'Conversa aberta'), erros: [400, ...AUT, 404],
  },
  { metodo: 'GET', caminho: '/me/conversas/:id', resumo: 'Uma conversa do cidadão, com as mensagens (ficam lidas)', tag: ME, acesso: 'cidadao', respostas: ok(EM.CONVERSA), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/me/conversas/:id/mensagens', resumo: 'Escrever numa conversa do cidadão', tag: ME, acesso: 'cidadao', corpo: 'NovaMensagemDto',
    respostas: criado(EM.CONVERSA, 'Mensagem enviada'), erros: [400, ...AUT, 404, 422],
  },
  { metodo: 'GET', caminho: '/me/aviso-email', resumo: 'Aviso por e-mail de nova mensagem ou decisão: a escolha do cidadão', tag: ME, acesso: 'cidadao', respostas: ok(EM.AVISO_EMAIL), erros: [400, ...AUT, 404] },
  { metodo: 'PUT', caminho: '/me/aviso-email', resumo: 'Ligar ou desligar o aviso por e-mail', tag: ME, acesso: 'cidadao', corpo: 'AvisoEmailDto', respostas: ok(EM.AVISO_EMAIL), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/me/verificacao-conhecimento', resumo: 'Iniciar a verificação por perguntas sobre o próprio registro (vincula a conta ao cadastro: nível 3)', tag: ME, acesso: 'cidadao',
    respostas: criado(E.VERIFICACAO_INICIADA, 'Verificação iniciada (válida por 10 minutos)'), erros: [400, ...AUT, 404, 409, 422, 429, 503],
  },
  {
    metodo: 'POST', caminho: '/me/verificacao-conhecimento/:id/respostas', resumo: 'Responder a verificação por perguntas (todas certas: evidência `conhecimento`)', tag: ME, acesso: 'cidadao',
    corpo: 'RespostasConhecimentoDto', respostas: ok(E.RESULTADO_CONHECIMENTO, 'Resultado (aprovada ou não; a reprovação não diz qual resposta errou)'), erros: [400, ...AUT, 404, 409, 422, 429, 503],
  },

  { metodo: 'GET', caminho: '/sala-espera/pagina.css', resumo: 'Estilo da página da Sala de Espera', tag: SALA, acesso: 'publico', respostas: textual('text/css', 'CSS'), erros: [] },
  {
    metodo: 'GET', caminho: '/sala-espera', resumo: 'Página da Sala de Espera (pt-BR): o serviço que pediu, o que falta e por quê, como enviar, a situação do pedido (abre o pedido na primeira visita); erros em JSON, ou numa página para navegadores',
    tag: SALA, acesso: 'referencia', consulta: ['ref', 'aviso'], respostas: textual('text/html', 'Página HTML (pt-BR)'), erros: [400, 401, 409],
  },
  { metodo: 'GET', caminho: '/sala-espera/pedido', resumo: 'O pedido da Sala de Espera em JSON (abre o pedido na primeira visita)', tag: SALA, acesso: 'referencia', consulta: ['ref'], respostas: ok(ES.VISAO_SALA), erros: [400, 401, 409] },
  {
    metodo: 'POST', caminho: '/sala-espera/dados', resumo: 'Informar o Número SUS (cns) ou o NIS (nis), conferidos pelos dígitos verificadores: { ref, cns | nis } em JSON, ou o formulário da página (303 de volta a ela)',
    tag: SALA, acesso: 'referencia', respostas: ok(ES.VISAO_SALA), erros: [400, 401, 404, 422],
  },
  {
    metodo: 'POST', caminho: '/sala-espera/documentos', resumo: 'Enviar um documento (multipart: ref, documento — PDF, JPEG ou PNG até 5 MB, tipo conferido pelo conteúdo; guardado fora do banco)',
    tag: SALA, acesso: 'referencia', respostas: ok(ES.VISAO_SALA), erros: [400, 401, 404, 413],
  },
  {
    metodo: 'POST', caminho: '/sala-espera/agendamento', resumo: 'Agendar a captura da biometria num posto Descomplica (pedidos de nível 4): { ref, horario: "<posto>|<data e hora ISO>" } em JSON, ou o formulário da página (303 de volta a ela)',
    tag: SALA, acesso: 'referencia', respostas: ok(ES.VISAO_SALA), erros: [400, 401, 404, 409, 422],
  },
  {
    metodo: 'POST', caminho: '/sala-espera/agendamento/cancelar', resumo: 'Cancelar o agendamento no Descomplica: { ref } em JSON, ou o formulário da página',
    tag: SALA, acesso: 'referencia', respostas: ok(ES.VISAO_SALA), erros: [400, 401, 404],
  },
  {
    metodo: 'GET', caminho: '/sala-espera/documentos/:id', resumo: 'Um documento do próprio pedido', tag: SALA, acesso: 'referencia', consulta: ['ref'],
    respostas: { '200': { descricao: 'O arquivo (Content-Disposition: attachment)', conteudo: { 'application/pdf': E.TEXTO, 'image/jpeg': E.TEXTO, 'image/png': E.TEXTO } } }, erros: [400, 401, 404],
  },
  { metodo: 'GET', caminho: '/conversas', resumo: 'Mensagens dos cidadãos aos órgãos do gestor (todas, ou só as com mensagem não lida)', tag: MSG, acesso: 'gestor', consulta: ['situacao'], respostas: ok(EM.CONVERSAS), erros: [400, ...AUT] },
  { metodo: 'GET', caminho: '/conversas/:id', resumo: 'Uma conversa de um órgão do gestor, com as mensagens (leitura auditada, listada ao cidadão)', tag: MSG, acesso: 'gestor', respostas: ok(EM.CONVERSA), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/conversas/:id/mensagens', resumo: 'Responder ao cidadão (o aviso por e-mail, se ele quiser, sai depois)', tag: MSG, acesso: 'gestor', corpo: 'NovaMensagemDto',
    respostas: criado(EM.CONVERSA, 'Resposta enviada'), erros: [400, ...AUT, 404, 422],
  },
  { metodo: 'GET', caminho: '/sala-espera/fila', resumo: 'Fila da Sala de Espera dos órgãos do gestor (abertos, ou de uma situação)', tag: SALA, acesso: 'gestor', consulta: ['situacao'], respostas: ok(ES.FILA_SALA), erros: [400, ...AUT] },
  { metodo: 'GET', caminho: '/sala-espera/fila/:id', resumo: 'Um pedido da fila, com os dados informados por inteiro', tag: SALA, acesso: 'gestor', respostas: ok(ES.PEDIDO_SALA_GESTOR), erros: [400, ...AUT, 404] },
  {
    metodo: 'GET', caminho: '/sala-espera/fila/:id/documentos/:doc', resumo: 'Um documento de um pedido da fila', tag: SALA, acesso: 'gestor',
    respostas: { '200': { descricao: 'O arquivo (Content-Disposition: attachment)', conteudo: { 'application/pdf': E.TEXTO, 'image/jpeg': E.TEXTO, 'image/png': E.TEXTO } } }, erros: [400, ...AUT, 404],
  },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/assumir', resumo: 'Assumir a análise de um pedido', tag: SALA, acesso: 'gestor', respostas: ok(ES.PEDIDO_SALA), erros: [400, ...AUT, 404, 409] },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/recusar', resumo: 'Recusar o pedido, com o motivo em pt-BR (o cidadão o lê na página)', tag: SALA, acesso: 'gestor', respostas: ok(ES.PEDIDO_SALA), erros: [400, ...AUT, 404, 409] },
  { metodo: 'POST', caminho: '/sala-espera/fila/:id/complementar', resumo: 'Pedir mais ao cidadão, com o que falta em pt-BR', tag: SALA, acesso: 'gestor', respostas: ok(ES.PEDIDO_SALA), erros: [400, ...AUT, 404, 409] },
  {
    metodo: 'POST', caminho: '/sala-espera/fila/:id/aprovar', resumo: 'Aprovar com a evidência (o que foi conferido, quais documentos); sem registro no cadastro base, pessoa { nome, dataNascimento } o cria pela Entrada Única. O nível é recalculado e vai ao Keycloak com os dados complementares',
    tag: SALA, acesso: 'gestor', respostas: ok(ES.APROVACAO_SALA), erros: [400, ...AUT, 404, 409, 422],
  },
  {
    metodo: 'POST', caminho: '/biometria/capturas', resumo: 'Nível 4: um posto Descomplica registra que fez a captura biométrica de uma pessoa (CPF, posto, atendente, hora, referência da captura no sistema do posto — nunca o template). O nível é recalculado e vai ao Keycloak; conclui o agendamento da Sala de Espera',
    tag: SALA, acesso: 'descomplica', corpo: 'CapturaBiometricaDto', respostas: { '201': json('Registrada', ES.CAPTURA_BIOMETRICA) }, erros: [400, ...AUT, 404, 409, 413, 422],
  },

  { metodo: 'GET', caminho: '/compartilhamento/regras', resumo: `Regras de compartilhamento vigentes (versão ${VERSAO_REGRAS})`, tag: P, acesso: 'gestor', respostas: ok(E.REGRAS_COMPARTILHAMENTO), erros: [...AUT] },
  { metodo: 'GET', caminho: '/compartilhamento/minha-visao', resumo: 'Campos que o chamador pode receber (órgãos × cliente)', tag: P, acesso: 'gestor', respostas: ok(E.MINHA_VISAO), erros: [...AUT] },
  {
    metodo: 'GET', caminho: '/pessoas', resumo: 'Buscar por CPF, por nome + data de nascimento ou por nome da mãe (paginado)', tag: P, acesso: 'gestor',
    consulta: ['cpf', 'nome', 'dataNascimento', 'nomeMae', 'limit', 'offset'], respostas: ok(E.PAGINA_PESSOAS), erros: [400, ...AUT],
  },
  {
    metodo: 'POST', caminho: '/pessoas', resumo: 'Criar pessoa física (Entrada Única)', tag: P, acesso: 'gestor', corpo: 'CamposPessoaDto', dryRun: true,
    respostas: { ...criado(E.PESSOA_CRIADA, 'Criada (Location: /pessoas/{cpf}; ETag)'), ...ok(E.ESCRITA_PESSOA, 'Simulação (dryRun=true): nada gravado') }, erros: [400, ...AUT, 409, 422],
  },
  { metodo: 'GET', caminho: '/pessoas/:cpf', resumo: 'Ler pessoa (filtrada pelas regras de compartilhamento; ETag)', tag: P, acesso: 'gestor', respostas: ok(E.PESSOA_VISIVEL), erros: [400, ...AUT, 404] },
  {
    metodo: 'PATCH', caminho: '/pessoas/:cpf', resumo: 'Alterar campos (If-Match obrigatório; 409 se desatualizado)', tag: P, acesso: 'gestor', corpo: 'CamposPessoaDto', dryRun: true,
    respostas: ok(E.ESCRITA_PESSOA), erros: [400, ...AUT, 404, 409, 422, 428],
  },
  { metodo: 'DELETE', caminho: '/pessoas/:cpf', resumo: 'Inativar (exclusão lógica)', tag: P, acesso: 'gestor', dryRun: true, respostas: ok(E.ESCRITA_PESSOA), erros: [400, ...AUT, 404, 409] },
  { metodo: 'GET', caminho: '/pessoas/:cpf/historico/:campo', resumo: 'Histórico e proveniência de um campo', tag: P, acesso: 'gestor', respostas: ok(E.HISTORICO_PESSOA), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/pessoas-juridicas', resumo: 'Criar pessoa jurídica (Entrada Única)', tag: PJ, acesso: 'central', corpo: 'CamposPessoaJuridicaDto', dryRun: true,
    respostas: { ...criado(E.ESCRITA_PJ, 'Criada (Location: /pessoas-juridicas/{cnpj}; ETag)'), ...ok(E.SIMULACAO_CRIACAO_PJ, 'Simulação (dryRun=true): nada gravado') }, erros: [400, ...AUT, 409],
  },
  { metodo: 'GET', caminho: '/pessoas-juridicas/:cnpj', resumo: 'Ler pessoa jurídica', tag: PJ, acesso: 'central', respostas: ok(E.PESSOA_JURIDICA), erros: [400, ...AUT, 404] },
  {
    metodo: 'PATCH', caminho: '/pessoas-juridicas/:cnpj', resumo: 'Alterar pessoa jurídica', tag: PJ, acesso: 'central', corpo: 'CamposPessoaJuridicaDto', dryRun: true,
    respostas: ok(E.ESCRITA_PJ), erros: [400, ...AUT, 404, 409, 422, 428],
  },
  { metodo: 'GET', caminho: '/pessoas-juridicas/:cnpj/historico/:campo', resumo: 'Histórico de um campo da pessoa jurídica', tag: PJ, acesso: 'central', respostas: ok(E.HISTORICO_PJ), erros: [400, ...AUT, 404] },
  { metodo: 'GET', caminho: '/revisoes', resumo: 'Fila de revisão', tag: R, acesso: 'central', consulta: ['situacao', 'chave', 'limit', 'offset'], respostas: ok(E.PAGINA_REVISOES), erros: [400, ...AUT] },
  { metodo: 'POST', caminho: '/revisoes/:id/assumir', resumo: 'Assumir um item da fila', tag: R, acesso: 'central', respostas: ok(E.REVISAO), erros: [400, ...AUT, 404, 409] },
  {
    metodo: 'POST', caminho: '/revisoes/:id/resolver', resumo: 'Resolver um item (manter vigente ou adotar alternativo)', tag: R, acesso: 'central', corpo: 'ResolverRevisaoDto',
    respostas: ok(E.REVISAO), erros: [400, ...AUT, 404, 409, 422],
  },
  { metodo: 'GET', caminho: '/contas/:keycloakUserId', resumo: 'Conta do Login Único com evidências', tag: C, acesso: 'central', respostas: ok(E.CONTA), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/contas/:keycloakUserId/vinculo', resumo: 'Confirmar presencialmente o vínculo conta ↔ registro (nível 3)', tag: C, acesso: 'central', corpo: 'VinculoDto',
    respostas: ok(E.VINCULO_CONFIRMADO, 'Vínculo confirmado: a conta, a evidência registrada e o job de sincronização do nível'), erros: [400, ...AUT, 404, 409, 422],
  },

  {
    metodo: 'POST', caminho: '/cargas', resumo: 'Pedir a carga de um arquivo do diretório de entrada — texto delimitado, puro ou compactado com gzip (fila; o mesmo arquivo devolve o mesmo pedido)', tag: CL, acesso: 'central', corpo: 'NovaCargaDto',
    respostas: { '202': json('Pedido aceito (Location: /cargas/{id}); acompanhe em GET /cargas/{id}', EC.PEDIDO_ACEITO) }, erros: [400, ...AUT, 404, 422, 503],
  },
  { metodo: 'GET', caminho: '/cargas', resumo: 'Cargas recentes (situação, fase, registros, datas, diagnóstico) e os pedidos na fila', tag: CL, acesso: 'central', consulta: ['fonte', 'limit', 'offset'], respostas: ok(EC.PAGINA_CARGAS), erros: [400, ...AUT] },
  { metodo: 'GET', caminho: '/cargas/diagnostico', resumo: 'Diagnóstico de toda a base, nas categorias do processo de carga', tag: CL, acesso: 'central', respostas: ok(EC.DIAGNOSTICO_BASE), erros: [400, ...AUT] },
  { metodo: 'GET', caminho: '/cargas/painel', resumo: 'Página dos gestores: diagnóstico da base, fila e cargas recentes', tag: CL, acesso: 'central', respostas: textual('text/html', 'Página HTML (pt-BR)'), erros: [400, ...AUT] },
  { metodo: 'GET', caminho: '/cargas/:id', resumo: 'Um pedido de carga: situação, progresso, a carga e seu diagnóstico quando concluída', tag: CL, acesso: 'central', respostas: ok(EC.PEDIDO_CARGA), erros: [400, ...AUT, 404, 503] },
  {
    metodo: 'GET', caminho: '/revisoes-vinculo', resumo: 'Itens de revisão de vínculo (faixa cinzenta): pontuação, comparações, a linha e a candidata', tag: CL, acesso: 'central',
    consulta: ['situacao', 'limit', 'offset'], respostas: ok(EC.PAGINA_REVISOES_VINCULO), erros: [400, ...AUT],
  },
  {
    metodo: 'POST', caminho: '/revisoes-vinculo/:id/resolver', resumo: 'Resolver um item de vínculo: mesma pessoa (funde) ou pessoas diferentes (decisão que nenhuma carga desfaz)', tag: CL, acesso: 'central',
    corpo: 'ResolverRevisaoVinculoDto', respostas: ok(EC.REVISAO_VINCULO), erros: [400, ...AUT, 404, 409],
  },
  { metodo: 'GET', caminho: '/identidades/:id', resumo: 'Identidade (id dourado): linhas das fontes com vínculo, pontuação e comparações; decisões de gestores', tag: CL, acesso: 'central', respostas: ok(EC.IDENTIDADE), erros: [400, ...AUT, 404] },
  {
    metodo: 'POST', caminho: '/identidades/:id/fundir', resumo: 'Fundir outra identidade nesta (recusado se ambas têm CPF: correção de CPF é outro procedimento)', tag: CL, acesso: 'central',
    corpo: 'FundirIdentidadesDto', respostas: ok(EC.IDENTIDADE, 'A identidade com as linhas recebidas e a decisão registrada'), erros: [400, ...AUT, 404, 409],
  },
  {
    metodo: 'POST', caminho: '/identidades/:id/separar', resumo: 'Separar linhas desta identidade numa nova (pessoas diferentes)', tag: CL, acesso: 'central',
    corpo: 'SepararIdentidadeDto', respostas: criado(EC.SEPARACAO, 'Separadas (Location: /identidades/{nova})'), erros: [400, ...AUT, 404, 409],
  },

  { metodo: 'GET', caminho: '/dados-abertos/cmbd', resumo: 'CMBD publicado (página)', tag: CMBD, acesso: 'publico', respostas: textual('text/html', 'Página HTML'), erros: [] },
  { metodo: 'GET', caminho: '/dados-abertos/cmbd.csv', resumo: 'CMBD publicado (CSV)', tag: CMBD, acesso: 'publico', respostas: textual('text/csv', 'A última publicação, em CSV', E.CSV_CMBD), erros: [404] },
  { metodo: 'GET', caminho: '/dados-abertos/cmbd.jsonld', resumo: 'CMBD publicado (JSON-LD)', tag: CMBD, acesso: 'publico', respostas: textual('application/ld+json', 'A última publicação, em JSON-LD (DCAT)', E.JSONLD_CMBD), erros: [404] },
  {
    metodo: 'GET', caminho: '/dados-abertos/cmbd/:arquivo', resumo: 'Arquivo de uma publicação do CMBD', tag: CMBD, acesso: 'publico', erros: [404],
    respostas: { '200': { descricao: '`<campanha>.csv` ou `<campanha>.jsonld`', conteudo: { 'text/csv': E.CSV_CMBD, 'application/ld+json': E.JSONLD_CMBD } } },
  },
  { metodo: 'GET', caminho: '/dados-abertos/cmbd/pagina.css', resumo: 'Estilo da página do CMBD', tag: CMBD, acesso: 'publico', respostas: textual('text/css', 'CSS'), erros: [] },
  { metodo: 'GET', caminho: '/dados-abertos/cmbd/pagina.js', resumo: 'Script da página do CMBD', tag: CMBD, acesso: 'publico', respostas: textual('application/javascript', 'JavaScript'), erros: [] },
  { metodo: 'GET', caminho: '/cmbd/bases', resumo: 'Listar bases catalogadas', tag: CMBD, acesso: 'cmbd', consulta: ['sigla'], respostas: ok(E.BASES), erros: [400, ...AUT] },
  { metodo: 'POST', caminho: '/cmbd/bases', resumo: 'Catalogar base', tag: CMBD, acesso: 'cmbd', respostas: criado(E.BASE, 'Catalogada (Location: /cmbd/bases/{id})'), erros: [400, ...AUT, 409, 422] },
  { metodo: 'GET', caminho: '/cmbd/bases/:id', resumo: 'Ler base', tag: CMBD, acesso: 'cmbd', respostas: ok(E.BASE), erros: [400, ...AUT, 404] },
  { metodo: 'PATCH', caminho: '/cmbd/bases/:id', resumo: 'Alterar base', tag: CMBD, acesso: 'cmbd', respostas: ok(E.BASE), erros: [400, ...AUT, 404, 409, 422] },
  { metodo: 'DELETE', caminho: '/cmbd/bases/:id', resumo: 'Excluir base (recusado: uma base catalogada só é inativada)', tag: CMBD, acesso: 'cmbd', respostas: {}, erros: [400, ...AUT, 404, 422] },
  { metodo: 'POST', caminho: '/cmbd/bases/:id/confirmacao', resumo: 'Confirmar base na campanha', tag: CMBD, acesso: 'cmbd', respostas: ok(E.BASE), erros: [400, ...AUT, 404, 422] },
  { metodo: 'POST', caminho: '/cmbd/bases/:id/inativacao', resumo: 'Inativar base', tag: CMBD, acesso: 'cmbd', respostas: ok(E.BASE), erros: [400, ...AUT, 404, 422] },
  { metodo: 'POST', caminho: '/cmbd/bases/:id/transferencia', resumo: 'Transferir base a outro órgão', tag: CMBD, acesso: 'cmbd', respostas: ok(E.TRANSFERENCIA, 'A base de origem (inativa, transferidaPara) e a nova, do órgão de destino'), erros: [400, ...AUT, 404, 409, 422] },
  { metodo: 'GET', caminho: '/cmbd/bases/:id/versoes', resumo: 'Versões de uma base', tag: CMBD, acesso: 'cmbd', respostas: ok(E.VERSOES), erros: [400, ...AUT, 404] },
  { metodo: 'POST', caminho: '/cmbd/campanhas', resumo: 'Abrir campanha de atualização', tag: CMBD, acesso: 'cmbd', respostas: criado(E.CAMPANHA, 'Aberta (Location: /cmbd/campanhas/{codigo})'), erros: [400, ...AUT, 409, 422] },
  { metodo: 'GET', caminho: '/cmbd/campanhas/:codigo', resumo: 'Ler campanha', tag: CMBD, acesso: 'cmbd', respostas: ok(E.CAMPANHA), erros: [400, ...AUT, 404] },
  { metodo: 'POST', caminho: '/cmbd/campanhas/:codigo/encerramento', resumo: 'Encerrar campanha e publicar', tag: CMBD, acesso: 'cmbd', respostas: ok(E.ENCERRAMENTO, 'Encerrada e publicada'), erros: [400, ...AUT, 404, 422] },
  { metodo: 'POST', caminho: '/cmbd/campanhas/:codigo/lembretes', resumo: 'Enviar lembretes', tag: CMBD, acesso: 'cmbd', respostas: ok(E.LEMBRETES, 'Lembretes registrados hoje'), erros: [400, ...AUT, 404, 422] },
  { metodo: 'POST', caminho: '/cmbd/campanhas/:codigo/orgaos/:sigla/conclusao', resumo: 'Órgão conclui a campanha', tag: CMBD, acesso: 'cmbd', respostas: ok(E.CONCLUSAO), erros: [400, ...AUT, 404, 409, 422] },
  { metodo: 'GET', caminho: '/cmbd/campanhas/:codigo/orgaos/:sigla/lista', resumo: 'Lista de bases do órgão na campanha', tag: CMBD, acesso: 'cmbd', respostas: ok(E.LISTA_DE_TRABALHO), erros: [400, ...AUT, 404] },
  { metodo: 'POST', caminho: '/cmbd/campanhas/:codigo/orgaos/:sigla/pontos-focais', resumo: 'Designar pontos focais', tag: CMBD, acesso: 'cmbd', respostas: criado(E.PONTO_FOCAL, 'Ponto focal registrado'), erros: [400, ...AUT, 404, 409, 422] },
  { metodo: 'GET', caminho: '/cmbd/campanhas/:codigo/pendentes', resumo: 'Órgãos pendentes', tag: CMBD, acesso: 'cmbd', respostas: ok(E.PENDENTES), erros: [400, ...AUT, 404] },
  { metodo: 'POST', caminho: '/cmbd/importacao', resumo: 'Importar catálogo', tag: CMBD, acesso: 'cmbd', respostas: criado(E.IMPORTACAO, 'Importado'), erros: [400, ...AUT, 409, 413] },
  { metodo: 'GET', caminho: '/cmbd/orgaos', resumo: 'Listar órgãos', tag: CMBD, acesso: 'cmbd', respostas: ok(E.ORGAOS_CMBD), erros: [...AUT] },
  {
    metodo: 'PUT', caminho: '/cmbd/orgaos/:sigla', resumo: 'Cadastrar/alterar órgão', tag: CMBD, acesso: 'cmbd',
    respostas: { ...criado(E.ORGAO_REGISTRADO, 'Cadastrado'), ...ok(E.ORGAO_REGISTRADO, 'Alterado') }, erros: [400, ...AUT],
  },
  { metodo: 'GET', caminho: '/cmbd/relatorios/dados-pessoais', resumo: 'Relatório de bases com dados pessoais', tag: CMBD, acesso: 'cmbd', respostas: ok(E.RELATORIO_DADOS_PESSOAIS), erros: [...AUT] },
];

/** `/pessoas/:cpf` → `/pessoas/{cpf}` */
export function caminhoOpenApi(caminho: string): string {
  return caminho.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const ACESSO_DESCRICAO: Record<Acesso, string> = {
  publico: 'Público, sem autenticação.',
  hmac: 'Sem token: assinatura HMAC do Login Único (X-LUM-Signature).',
  referencia: 'Sem token: a referência assinada e de curta duração (`ref`) que o autenticador da Sala de Espera do Login Único entrega; só o pedido e os documentos da própria conta.',
  cidadao: 'Token do Login Único com o papel `cidadao`; sempre o próprio registro (nenhum CPF na requisição).',
  gestor: 'Token com papel de gestor (`gestor-cadastro`, `gestor-saude`, `gestor-fazenda`, `gestor-educacao`, `gestor-smads` ou `admin-cadastro`); respostas filtradas pelas regras de compartilhamento do órgão × cliente.',
  central: 'Token com `gestor-cadastro` ou `admin-cadastro`.',
  cmbd: 'Token com papéis do CMBD (`cmbd-cgm`, `cmbd-ponto-focal` + `cmbd-orgao-<sigla>`).',
  descomplica: 'Token da conta de serviço dos postos Descomplica: cliente `descomplica-biometria` (client credentials com private_key_jwt) e papel `registro-biometria`; nenhum outro cliente.',
};

const DESCRICAO_ERRO: Record<StatusErro, string> = {
  400: 'Dados inválidos (mensagem pt-BR, detalhes por campo)',
  401: 'Não autenticado',
  403: 'Papel ou regra de compartilhamento não permite',
  404: 'Não encontrado',
  409: 'Conflito (versão desatualizada, duplicado, estado atual não permite)',
  413: 'Corpo grande demais',
  415: 'Tipo de conteúdo ou codificação não suportados',
  422: 'Recusado pela regra de negócio / PMCC',
  428: 'Cabeçalho If-Match obrigatório',
  429: 'Muitas tentativas (limite por conta ou por IP, ou bloqueio após falhas repetidas); ver Retry-After',
  503: 'Indisponível no momento (condição transitória): tente de novo mais tarde',
};

function erro(descricao: string) {
  return { description: descricao, content: { 'application/json': { schema: { $ref: '#/components/schemas/Erro' } } } };
}

/** class-transformer's storage (the `@Type(() => Dto)` of nested fields), so nested bodies get their real schema. */
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: unknown };

/**
 * A `string | null` property (null = delete the value) reflects as `Object`, which the generator turns into a
 * `$ref` to a schema that does not exist: those are the nullable text fields of the DTOs. Also drops the redundant
 * `not: { type: 'null' }` of `@IsDefined` properties that already have a non-null `type`.
 */
function corrigirAnulaveis(schemas: Record<string, unknown>): Record<string, unknown> {
  for (const schema of Object.values(schemas)) {
    const props = (schema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
    for (const prop of Object.values(props)) {
      // `@IsDefined` becomes `not: { type: 'null' }` beside a `type` that already excludes null: redundant (and
      // rejected by strict validators), dropped.
      if (typeof prop['type'] === 'string' && prop['type'] !== 'null' && JSON.stringify(prop['not']) === '{"type":"null"}') delete prop['not'];
      if (prop['$ref'] !== '#/components/schemas/Object') continue;
      delete prop['$ref'];
      prop['type'] = ['string', 'null'];
    }
  }
  return schemas;
}

let cache: Record<string, unknown> | null = null;

export function documentoOpenApi(): Record<string, unknown> {
  if (cache) return cache;
  const schemas = corrigirAnulaveis(validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage as never,
  }));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROTAS) {
    const parametros = [
      ...[...r.caminho.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.consulta ?? []).map((nome) => ({ name: nome, in: 'query', required: false, schema: { type: 'string' } })),
      ...(r.dryRun ? [{ name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' }, description: 'Simula: devolve a decisão da PMCC e o diff sem gravar' }] : []),
    ];
    const autenticada = r.acesso !== 'publico' && r.acesso !== 'hmac' && r.acesso !== 'referencia';
    const respostas: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.respostas)) {
      respostas[status] = { description: resp.descricao, content: Object.fromEntries(Object.entries(resp.conteudo).map(([tipo, e]) => [tipo, { schema: e.json }])) };
    }
    for (const status of r.erros) respostas[String(status)] = erro(DESCRICAO_ERRO[status]);
    (paths[caminhoOpenApi(r.caminho)] ??= {})[r.metodo.toLowerCase()] = {
      summary: r.resumo,
      description: ACESSO_DESCRICAO[r.acesso],
      tags: [r.tag],
      operationId: `${r.metodo.toLowerCase()}${caminhoOpenApi(r.caminho).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: autenticada ? [{ bearer: [] }] : [],
      ...(parametros.length ? { parameters: parametros } : {}),
      ...(r.corpo ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.corpo}` } } } } } : {}),
      responses: respostas,
    };
  }
  cache = {
    openapi: '3.1.0',
    info: {
      title: 'Login Único Municipal — Cadastro Base de Pessoas',
      version: '0.1.0',
      description:
        'API do cadastro base da Prefeitura de São Paulo. Toda escrita passa pela Entrada Única (PMCC); toda leitura ou escrita de dados pessoais é auditada numa cadeia de hashes. ' +
        `Regras de compartilhamento: versão ${VERSAO_REGRAS} (GET /compartilhamento/regras).`,
    },
    servers: [{ url: '/' }],
    tags: [...new Set(ROTAS.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token de acesso do Keycloak (realm prefeitura-sp, audiência lum-api)' } },
      schemas: {
        ...schemas,
        ...esquemasNomeados(),
      },
    },
  };
  return cache;
}
