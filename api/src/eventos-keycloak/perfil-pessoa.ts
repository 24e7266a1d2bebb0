/**
 * What a Keycloak profile event says about the person's master record: a pure mapping from the event (type,
 * details, the user snapshot our listener takes inside Keycloak's transaction) and the person's current e-mails to
 * the body of an Entrada Única write (`PATCH` semantics, API field names), plus the provenance evidence.
 *
 * Where the new values come from: the event itself, not a later read of the user through the admin API. Keycloak
 * 26.7 puts what changed in the event details (`EventAuditingAttributeChangeListener`: `previous_email` /
 * `updated_email`, `previous_first_name` / `updated_first_name`, `previous_last_name` / `updated_last_name`,
 * `previous_<attr>` / `updated_<attr>` for the other attributes) and our listener adds the user as it was when the
 * event fired (`user`, incl. `emailVerified`). A later read would race with the user's next edit and would make
 * the event depend on Keycloak being reachable from the API; the snapshot is exactly the state the event describes.
 *
 * Only fields the user actually changed are proposed; the PMCC decides (for `evento-keycloak`: e-mails are
 * accepted when newer than the current value; the civil name and the birth date are refused with a reason).
 */
import type { EventoKeycloakDto } from './evento.dto.js';

/** Event types that can change the person's data (besides the account). */
const TIPOS_EVENTO_PERFIL = ['UPDATE_PROFILE', 'UPDATE_EMAIL', 'VERIFY_EMAIL'] as const;
export type TipoEventoPerfil = (typeof TIPOS_EVENTO_PERFIL)[number];

export function ehEventoDePerfil(tipo: string): tipo is TipoEventoPerfil {
  return (TIPOS_EVENTO_PERFIL as readonly string[]).includes(tipo);
}

export interface EmailPessoa {
  endereco: string;
  verificado: boolean;
}

export interface PessoaAtual {
  emails: readonly EmailPessoa[];
}

export interface PropostaDoEvento {
  /** Body for `entradaUnica` (API field names); `{}` when the event changes nothing in the person's data. */
  corpo: Record<string, unknown>;
  /** Provenance evidence recorded with every value (`valor_campo.evidencia`). Not documentary evidence. */
  evidencia: Record<string, unknown>;
}

function texto(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

const mesmoEndereco = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The person's e-mail list after the account's e-mail changed from `anterior` to `novo`: the previous account
 * address is replaced (it stays in the field's history), the new one goes first with Keycloak's verification flag,
 * the other addresses (from other sources) are kept. `null` when the list does not change.
 */
export function emailsComNovoEmail(atuais: readonly EmailPessoa[], anterior: string | null, novo: string | null, verificado: boolean): EmailPessoa[] | null {
  const resto = atuais.filter((e) => !(anterior && mesmoEndereco(e.endereco, anterior)) && !(novo && mesmoEndereco(e.endereco, novo)));
  const lista = novo ? [{ endereco: novo, verificado }, ...resto] : resto;
  return mesmaLista(atuais, lista) ? null : lista;
}

/** The list with `endereco` marked verified (added first when absent); `null` when nothing changes. */
export function emailsComVerificacao(atuais: readonly EmailPessoa[], endereco: string): EmailPessoa[] | null {
  const existe = atuais.some((e) => mesmoEndereco(e.endereco, endereco));
  const lista = existe
    ? atuais.map((e) => (mesmoEndereco(e.endereco, endereco) ? { endereco: e.endereco, verificado: true } : { endereco: e.endereco, verificado: e.verificado }))
    : [{ endereco, verificado: true }, ...atuais];
  return mesmaLista(atuais, lista) ? null : lista;
}

function mesmaLista(a: readonly EmailPessoa[], b: readonly EmailPessoa[]): boolean {
  return a.length === b.length && a.every((e, i) => e.endereco === b[i].endereco && e.verificado === b[i].verificado);
}

/** Keycloak joins multi-valued details with `##`; the first value is the one that matters here. */
function detalhe(detalhes: Record<string, unknown> | undefined, chave: string): { presente: boolean; valor: string | null } {
  if (!detalhes || !Object.hasOwn(detalhes, chave)) return { presente: false, valor: null };
  const bruto = detalhes[chave];
  return { presente: true, valor: texto(typeof bruto === 'string' ? bruto.split('##')[0] : bruto) };
}

export function propostaDoEvento(evento: Pick<EventoKeycloakDto, 'id' | 'type' | 'clientId' | 'details' | 'user'>, pessoa: PessoaAtual): PropostaDoEvento {
  const d = evento.details;
  const user = evento.user ?? null;
  const emailVerificado = user?.emailVerified === true;
  const corpo: Record<string, unknown> = {};
  const evidencia: Record<string, unknown> = {
    tipo: 'evento-keycloak',
    evento: evento.type,
    eventoId: evento.id,
    ...(evento.clientId ? { cliente: evento.clientId } : {}),
    ...(texto(d?.['context']) ? { contexto: texto(d?.['context']) } : {}),
    emailVerificado,
  };

  if (evento.type === 'VERIFY_EMAIL') {
    const endereco = detalhe(d, 'email').valor ?? texto(user?.email);
    if (endereco) {
      const emails = emailsComVerificacao(pessoa.emails, endereco);
      if (emails) corpo['emails'] = emails;
    }
    return { corpo, evidencia: { ...evidencia, emailVerificado: true } };
  }

  // UPDATE_PROFILE / UPDATE_EMAIL: only what the details say changed.
  const novoEmail = detalhe(d, 'updated_email');
  const emailAnterior = detalhe(d, 'previous_email');
  if (novoEmail.presente || emailAnterior.presente) {
    const novo = texto(user?.email) ?? novoEmail.valor;
    const emails = emailsComNovoEmail(pessoa.emails, emailAnterior.valor, novo, novo !== null && emailVerificado);
    if (emails) corpo['emails'] = emails;
  }

  if (evento.type === 'UPDATE_PROFILE') {
    const primeiro = detalhe(d, 'updated_first_name');
    const ultimo = detalhe(d, 'updated_last_name');
    if (primeiro.presente || ultimo.presente) {
      const nome = [texto(user?.firstName) ?? primeiro.valor, texto(user?.lastName) ?? ultimo.valor].filter((p): p is string => p !== null).join(' ');
      if (nome !== '') corpo['nome'] = nome;
    }
    const nascimento = detalhe(d, 'updated_data_nascimento');
    if (nascimento.presente && nascimento.valor) corpo['dataNascimento'] = nascimento.valor;
  }
  return { corpo, evidencia };
}
