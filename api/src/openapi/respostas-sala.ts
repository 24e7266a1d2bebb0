/**
 * Response-body schemas of the Sala de Espera routes (issue 13), built like respostas.ts and checked by the compiler
 * against the service's types (`VerificacoesDeTipoSala`).
 */
import { NOMES_DADOS } from '../sala-espera/requisitos.js';
import { SITUACOES_PEDIDO, type PedidoJson, type VisaoCidadao } from '../sala-espera/sala.service.js';
import { EVIDENCIA_CONTA } from './respostas.js';
import { anulavel, booleano, dataHora, inteiro, lista, nomeado, objeto, opcional, texto, umDe, uuid, type Confere, type Tipo, type Verdadeiro } from './esquema.js';

const PROPS_PEDIDO = {
  id: uuid(),
  cliente: texto(),
  nomeCliente: texto(),
  orgao: texto(),
  nivelExigido: inteiro({ minimum: 1, maximum: 5 }),
  dadosExigidos: lista(umDe(NOMES_DADOS)),
  situacao: umDe(SITUACOES_PEDIDO),
  dadosInformados: objeto({ cns: opcional(texto()), nis: opcional(texto()) }, { descricao: 'Dados complementares informados (para o cidadão, só os 4 últimos dígitos)' }),
  responsavel: anulavel(texto()),
  motivo: anulavel(texto()),
  documentos: lista(objeto({ id: uuid(), tipo: umDe(['application/pdf', 'image/jpeg', 'image/png']), tamanho: inteiro({ minimum: 1 }), nomeOriginal: texto(), enviadoEm: dataHora() })),
  criadoEm: dataHora(),
  atualizadoEm: dataHora(),
};
const PEDIDO_OBJ = objeto(PROPS_PEDIDO, { descricao: 'Pedido da Sala de Espera: o que o serviço exige, o que foi enviado e a situação' });
export const PEDIDO_SALA = nomeado('PedidoSala', PEDIDO_OBJ);

const VISAO_OBJ = objeto({
  pedido: PEDIDO_SALA,
  conta: objeto({
    nivel: inteiro({ minimum: 1, maximum: 5 }), dadosVerificados: lista(umDe(NOMES_DADOS)),
    sincronizada: booleano('Nenhuma mudança da conta espera para chegar ao Keycloak (nível e dados já valem no próximo login)'),
  }),
  faltam: objeto({ nivel: booleano('O nível da conta ainda é menor que o exigido'), dados: lista(umDe(NOMES_DADOS)) }),
  presencial: objeto({
    necessario: booleano('O pedido precisa de captura biométrica num posto Descomplica (nível 4)'),
    agendamento: anulavel(objeto({
      id: uuid(), ponto: texto(), nomePonto: texto(), endereco: texto(), inicio: dataHora(), horario: texto(), situacao: umDe(['agendado', 'cancelado', 'realizado'] as const),
    })),
    pontos: lista(objeto({ id: texto(), nome: texto(), endereco: texto(), horarios: lista(objeto({ valor: texto(), inicio: dataHora(), texto: texto() })) })),
  }, { descricao: 'Atendimento presencial no Descomplica SP: se é necessário, o agendamento, os horários livres' }),
}, { descricao: 'O pedido visto pelo cidadão, com o que ainda falta' });
export const VISAO_SALA = nomeado('VisaoSalaDeEspera', VISAO_OBJ);

export const FILA_SALA = objeto({ pedidos: lista(PEDIDO_SALA) });
const PEDIDO_GESTOR_OBJ = objeto({ ...PROPS_PEDIDO, cpf: texto({ pattern: '^[0-9]{11}$' }) });
export const PEDIDO_SALA_GESTOR = PEDIDO_GESTOR_OBJ;
const APROVACAO_OBJ = objeto({ ...PROPS_PEDIDO, nivel: inteiro({ minimum: 1, maximum: 5 }), sincronizacao: anulavel(objeto({ jobId: texto() })) });
export const APROVACAO_SALA = APROVACAO_OBJ;

const CAPTURA_OBJ = objeto({
  keycloakUserId: uuid(),
  nivelAnterior: inteiro({ minimum: 1, maximum: 5 }),
  nivel: inteiro({ minimum: 1, maximum: 5 }),
  agendamentoId: anulavel(uuid()),
  evidencia: EVIDENCIA_CONTA,
  sincronizacao: anulavel(objeto({ jobId: texto() })),
}, { descricao: 'A captura biométrica registrada (só o fato: posto, atendente, hora, referência), o nível antes e depois e o agendamento concluído' });
export const CAPTURA_BIOMETRICA = CAPTURA_OBJ;

/**
 * Each entry fails `tsc` if the schema and the type the handler returns differ in their fields.
 * @public exported so that tsc keeps it (only tsc reads it); knip skips `@public` exports.
 */
export type VerificacoesDeTipoSala = [
  Verdadeiro<Confere<Tipo<typeof PEDIDO_OBJ>, PedidoJson>>,
  Verdadeiro<Confere<Tipo<typeof VISAO_OBJ>, VisaoCidadao>>,
  Verdadeiro<Confere<Tipo<typeof FILA_SALA>, { pedidos: PedidoJson[] }>>,
  Verdadeiro<Confere<Tipo<typeof PEDIDO_GESTOR_OBJ>, PedidoJson & { cpf: string }>>,
  Verdadeiro<Confere<Tipo<typeof APROVACAO_OBJ>, PedidoJson & { nivel: number; sincronizacao: { jobId: string } | null }>>,
];
