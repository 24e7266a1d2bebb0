/**
 * Response-body schemas of Mensagens (issue 14: threads between citizens and organs), built like respostas.ts and
 * checked by the compiler against the service's types (`VerificacoesDeTipoMensagens`).
 */
import { ORGAOS } from '../auth/papeis.js';
import type { Conversa, ResumoConversa } from '../mensagens/conversas.service.js';
import { anulavel, booleano, dataHora, inteiro, lista, nomeado, objeto, texto, umDe, uuid, type Confere, type Tipo, type Verdadeiro } from './esquema.js';

const PROPS_RESUMO = {
  id: uuid(),
  orgao: umDe(ORGAOS),
  assunto: texto(),
  criadaEm: dataHora(),
  atualizadaEm: dataHora(),
  mensagens: inteiro({ minimum: 0 }),
  naoLidas: inteiro({ minimum: 0, description: 'Mensagens do outro lado ainda não lidas por quem pergunta' }),
};
const RESUMO_OBJ = objeto(PROPS_RESUMO, { descricao: 'Uma conversa (sem as mensagens)' });
const RESUMO = nomeado('ResumoConversa', RESUMO_OBJ);
const CONVERSA_OBJ = objeto({
  ...PROPS_RESUMO,
  itens: lista(objeto({
    numero: inteiro({ minimum: 1 }),
    autor: umDe(['cidadao', 'orgao'] as const),
    papel: anulavel(texto({ description: 'Papel do servidor (nunca o nome)' })),
    texto: texto(),
    enviadaEm: dataHora(),
    lida: booleano('Já lida por quem pergunta'),
  })),
}, { descricao: 'Uma conversa com as mensagens, em ordem' });
export const CONVERSA = nomeado('Conversa', CONVERSA_OBJ);
export const CONVERSAS = objeto({ conversas: lista(RESUMO) });
const AVISO_OBJ = objeto({ ativo: booleano('Receber um aviso por e-mail (sem conteúdo) de nova mensagem ou decisão') });
export const AVISO_EMAIL = AVISO_OBJ;

/**
 * Each entry fails `tsc` if the schema and the type the handler returns differ in their fields.
 * @public exported so that tsc keeps it (only tsc reads it); knip skips `@public` exports.
 */
export type VerificacoesDeTipoMensagens = [
  Verdadeiro<Confere<Tipo<typeof RESUMO_OBJ>, ResumoConversa>>,
  Verdadeiro<Confere<Tipo<typeof CONVERSA_OBJ>, Conversa>>,
  Verdadeiro<Confere<Tipo<typeof AVISO_OBJ>, { ativo: boolean }>>,
];
