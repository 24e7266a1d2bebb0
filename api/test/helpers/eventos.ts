import { randomUUID } from 'node:crypto';
import { assinarEvento } from '../../src/eventos-keycloak/assinatura.js';

export const SEGREDO_EVENTOS_TESTE = 'segredo-de-teste-dos-eventos';

export interface EventoTeste {
  id: string;
  type: string;
  realm: string;
  clientId: string;
  userId: string;
  time: number;
  details: Record<string, unknown>;
  user: { username: string; email?: string; firstName?: string; lastName?: string; attributes?: Record<string, string[]> } | null;
}

export function eventoRegister(cpf: string, sobrescrever: Partial<EventoTeste> = {}): EventoTeste {
  return {
    id: randomUUID(),
    type: 'REGISTER',
    realm: 'prefeitura-sp',
    clientId: 'portal-cidadao',
    userId: randomUUID(),
    time: Date.now(),
    details: { username: cpf, register_method: 'form' },
    user: { username: cpf, email: `${cpf}@exemplo.test`, firstName: 'Ana', lastName: 'Souza', attributes: { cpf: [cpf] } },
    ...sobrescrever,
  };
}

/** Headers exactly as the Keycloak listener sends them. */
export function cabecalhosAssinados(corpo: string, opcoes: { segredo?: string; timestamp?: number; eventId?: string } = {}): Record<string, string> {
  const ts = String(opcoes.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'x-lum-timestamp': ts,
    'x-lum-signature': assinarEvento(opcoes.segredo ?? SEGREDO_EVENTOS_TESTE, ts, corpo),
    ...(opcoes.eventId ? { 'x-lum-event-id': opcoes.eventId } : {}),
  };
}
