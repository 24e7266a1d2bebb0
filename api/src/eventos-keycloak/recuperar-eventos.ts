/**
 * Keycloak → API, what the listener could not deliver: Keycloak stores the realm's user events (`eventsEnabled`,
 * `enabledEventTypes`) and admin events (`adminEventsEnabled`) in its own database, in the transaction of the
 * change. This recovery reads them through the admin REST API (service account role `view-events`) from a cursor
 * kept in `keycloak_eventos_cursor`, and applies each event the API has not seen (by event id — the listener sends
 * the same id, so an event delivered both ways is applied once):
 *
 * - user events of the handled types (REGISTER, IDENTITY_PROVIDER_FIRST_LOGIN, profile events, DELETE_ACCOUNT)
 *   through the same service as the signed webhook, with the user as Keycloak has it now. A stored event carries no
 *   token, so for a gov.br first sign-in (stored as the REGISTER of the brokered account: register_method=broker,
 *   identity_provider=govbr) the Gov.br id_token is read from the user's govbr link (the identity
 *   provider stores it: `storeToken`) and verified against Gov.br's keys like the listener's: the account gets its
 *   gov.br evidence and level as if the event had arrived at once. Gov.br's keys unreachable → this cycle fails and
 *   the next one tries again; a stored token that no longer verifies (or none) → the account is recorded without the
 *   evidence (its next gov.br sign-in brings it), and that is audited;
 * - admin events on users: DELETE marks the account `excluida`; UPDATE compares the user's enabled flag with the
 *   account (an operator disabling a user marks `desativada_no_keycloak`, re-enabling clears it; a disable the
 *   worker made for a death record is not an operator's).
 *
 * The cursor moves to the newest event read minus `margemMs` (events of transactions that commit late can carry an
 * older time); ids make re-reading harmless. The first run starts at that moment: events older than the first run
 * are not read (the reconciliation compares the accounts themselves).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { Conta } from '../contas/conta.entity.js';
import { ehViolacaoDeUnicidade } from '../db/data-source.js';
import { Conflito } from '../errors/conflito.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import type { VerificadorGovbr } from '../govbr/id-token.js';
import type { KeycloakLeituraPort, KeycloakUsersPort } from '../keycloak-sync/keycloak-users.port.js';
import { OPCOES_ESTRITAS, validarCorpo } from '../validation/validar.js';
import { EventoKeycloak } from './evento-keycloak.entity.js';
import { EventoKeycloakDto, TIPOS_EVENTO_TRATADOS } from './evento.dto.js';
import { excluirConta, processarEventoKeycloak } from './eventos-keycloak.service.js';

export interface DepsRecuperacao {
  dataSource: DataSource;
  keycloak: KeycloakUsersPort & KeycloakLeituraPort;
  realm: string;
  logger: { error(obj: object, msg: string): void; info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Verifies a recovered gov.br first sign-in's id_token (the listener's path uses the same verifier). */
  verificarGovbr: VerificadorGovbr;
  agoraMs?: () => number;
  /** How far back each read starts before the newest event already read (ms). */
  margemMs?: number;
}

export interface ResultadoRecuperacao {
  /** Events applied now (not seen before), by kind. */
  usuario: number;
  admin: number;
}

const PAGINA = 200;

/** Where the next read starts: the cursor minus the margin, or — on the very first run — the moment it runs. */
async function lerCursor(dataSource: DataSource, fonte: string, agoraMs: number, margemMs: number): Promise<{ ate: number; desde: number }> {
  const criado = await dataSource.query<Array<{ fonte: string }>>(
    `INSERT INTO keycloak_eventos_cursor (fonte, ate_ms) VALUES ($1, $2) ON CONFLICT (fonte) DO NOTHING RETURNING fonte`, [fonte, agoraMs]);
  const [l] = await dataSource.query<Array<{ ate_ms: string }>>(`SELECT ate_ms FROM keycloak_eventos_cursor WHERE fonte = $1`, [fonte]);
  const ate = Number(l.ate_ms);
  return { ate, desde: criado.length > 0 ? ate : ate - margemMs };
}

async function gravarCursor(dataSource: DataSource, fonte: string, ateMs: number): Promise<void> {
  await dataSource.query(`UPDATE keycloak_eventos_cursor SET ate_ms = GREATEST(ate_ms, $2) WHERE fonte = $1`, [fonte, ateMs]);
}

async function jaVisto(dataSource: DataSource, id: string): Promise<boolean> {
  return dataSource.manager.existsBy(EventoKeycloak, { id });
}

export async function recuperarEventos(deps: DepsRecuperacao): Promise<ResultadoRecuperacao> {
  const agora = (deps.agoraMs ?? Date.now)();
  const margem = deps.margemMs ?? 120_000;
  const r: ResultadoRecuperacao = { usuario: 0, admin: 0 };

  // user events
  const cursorU = await lerCursor(deps.dataSource, 'usuario', agora, margem);
  let maisNovoU = cursorU.ate;
  for (let primeiro = 0; ; primeiro += PAGINA) {
    const pagina = await deps.keycloak.listarEventos({ tipos: TIPOS_EVENTO_TRATADOS, desdeMs: cursorU.desde, primeiro, maximo: PAGINA });
    for (const e of pagina) {
      if (!e.id || !e.type || !e.userId) continue;
      maisNovoU = Math.max(maisNovoU, e.time ?? 0);
      if (await jaVisto(deps.dataSource, e.id)) continue;
      const u = e.type === 'DELETE_ACCOUNT' ? undefined : await deps.keycloak.buscarUsuario(e.userId);
      const cpf = u?.attributes?.['cpf'] as unknown;
      const payload = {
        id: e.id, type: e.type, realm: deps.realm, clientId: e.clientId ?? null, userId: e.userId, time: e.time ?? null, ipAddress: e.ipAddress ?? null,
        details: e.details ?? {},
        user: u
          ? { username: u.username ?? null, email: u.email ?? null, emailVerified: u.emailVerified ?? false, firstName: u.firstName ?? null, lastName: u.lastName ?? null,
              attributes: Array.isArray(cpf) ? { cpf: cpf as string[] } : {} }
          : null,
      };
      // Keycloak stores a new brokered account's creation as REGISTER (register_method=broker, identity_provider).
      const idTokenGovbr = (e.type === 'REGISTER' || e.type === 'IDENTITY_PROVIDER_FIRST_LOGIN') && e.details?.['identity_provider'] === 'govbr' && u
        ? await deps.keycloak.lerIdTokenGovbr(e.userId) : undefined;
      const aplicar = async (comGovbr: boolean) => {
        const bruto = comGovbr && idTokenGovbr !== undefined ? { ...payload, govbr: { idToken: idTokenGovbr } } : payload;
        const evento = await validarCorpo(EventoKeycloakDto, bruto, { ...OPCOES_ESTRITAS, forbidNonWhitelisted: false });
        await processarEventoKeycloak({ dataSource: deps.dataSource, logger: deps.logger, verificarGovbr: deps.verificarGovbr }, evento, { ...bruto, recuperado: true });
      };
      try {
        try {
          await aplicar(true);
        } catch (err) {
          if (!(err instanceof DadosInvalidos) || idTokenGovbr === undefined) throw err;
          // The stored id_token no longer verifies (e.g. Gov.br rotated its keys meanwhile): the account without it.
          deps.logger.warn({ eventoId: e.id, contaId: e.userId, motivo: err.message }, 'primeiro login gov.br recuperado sem evidência: id_token armazenado não confere');
          await aplicar(false);
        }
        r.usuario++;
      } catch (err) {
        if (!(err instanceof Conflito)) throw err; // delivered meanwhile by the listener
      }
    }
    if (pagina.length < PAGINA) break;
  }
  await gravarCursor(deps.dataSource, 'usuario', maisNovoU);

  // admin events on users
  const cursorA = await lerCursor(deps.dataSource, 'admin', agora, margem);
  let maisNovoA = cursorA.ate;
  for (let primeiro = 0; ; primeiro += PAGINA) {
    const pagina = await deps.keycloak.listarEventosAdmin({ operacoes: ['DELETE', 'UPDATE'], desdeMs: cursorA.desde, primeiro, maximo: PAGINA });
    for (const e of pagina) {
      const m = /^users\/([0-9a-f-]{36})$/.exec(e.resourcePath ?? '');
      if (!e.id || !m) continue;
      maisNovoA = Math.max(maisNovoA, e.time ?? 0);
      if (await jaVisto(deps.dataSource, e.id)) continue;
      if (await aplicarEventoAdmin(deps, e.id, e.operationType === 'DELETE' ? 'DELETE' : 'UPDATE', m[1])) r.admin++;
    }
    if (pagina.length < PAGINA) break;
  }
  await gravarCursor(deps.dataSource, 'admin', maisNovoA);
  if (r.usuario + r.admin > 0) deps.logger.info({ ...r }, 'eventos do Keycloak recuperados');
  return r;
}

/** One admin event on a user, in one transaction with its id row (a repeated id writes nothing). */
async function aplicarEventoAdmin(deps: DepsRecuperacao, id: string, operacao: 'DELETE' | 'UPDATE', contaId: string): Promise<boolean> {
  const usuario = operacao === 'UPDATE' ? await deps.keycloak.buscarUsuario(contaId) : undefined;
  const contexto = { ator: 'keycloak-admin', cliente: null, finalidade: 'evento-keycloak' };
  try {
    await deps.dataSource.transaction(async (manager: EntityManager) => {
      await manager.insert(EventoKeycloak, manager.create(EventoKeycloak, { id, tipo: `ADMIN_${operacao}_USER`, userId: contaId, payload: { id, operacao, resourcePath: `users/${contaId}` } }));
      const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
      if (!conta) return;
      if (operacao === 'DELETE' || !usuario) {
        if (conta.situacao !== 'excluida') await excluirConta(manager, contaId, id, contexto);
        return;
      }
      const desativadaPorOperador = usuario.enabled === false && !conta.desativadaPorObito;
      if (desativadaPorOperador !== conta.desativadaNoKeycloak) {
        await manager.update(Conta, { keycloakUserId: contaId }, { desativadaNoKeycloak: desativadaPorOperador });
        await registrarAuditoria(manager, {
          ...contexto, acao: desativadaPorOperador ? 'conta.desativada-no-keycloak' : 'conta.reativada-no-keycloak', pessoaCpf: conta.pessoaCpf,
          campos: ['desativada_no_keycloak'], detalhe: { contaId, eventoId: id },
        });
      }
    });
    return true;
  } catch (err) {
    if (ehViolacaoDeUnicidade(err)) return false;
    throw err;
  }
}
