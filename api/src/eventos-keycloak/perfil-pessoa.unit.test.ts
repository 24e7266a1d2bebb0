import { describe, expect, it } from '@jest/globals';
import { emailsComNovoEmail, emailsComVerificacao, ehEventoDePerfil, propostaDoEvento } from './perfil-pessoa.js';

const user = (o: Record<string, unknown> = {}) => ({ username: '52998224725', email: 'novo@exemplo.com', emailVerified: false, firstName: 'Mariana', lastName: 'da Silva', ...o });
const evento = (type: string, details: Record<string, unknown>, u: Record<string, unknown> | null = user()) => ({ id: 'ev-1', type, clientId: 'account', details, user: u });

describe('e-mail lists', () => {
  it('replaces the previous account address, puts the new one first and keeps the others', () => {
    const atuais = [{ endereco: 'outro@fonte.gov.br', verificado: true }, { endereco: 'Velho@Exemplo.com', verificado: true }];
    expect(emailsComNovoEmail(atuais, 'velho@exemplo.com', 'novo@exemplo.com', false)).toEqual([
      { endereco: 'novo@exemplo.com', verificado: false },
      { endereco: 'outro@fonte.gov.br', verificado: true },
    ]);
  });

  it('inserts into an empty list, and answers null when nothing changes', () => {
    expect(emailsComNovoEmail([], null, 'a@b.com', true)).toEqual([{ endereco: 'a@b.com', verificado: true }]);
    expect(emailsComNovoEmail([{ endereco: 'a@b.com', verificado: true }], 'x@y.com', 'a@b.com', true)).toBeNull();
  });

  it('verification marks the address (case-insensitive) or adds it verified', () => {
    expect(emailsComVerificacao([{ endereco: 'x@y.com', verificado: false }, { endereco: 'A@b.com', verificado: false }], 'a@B.com')).toEqual([
      { endereco: 'x@y.com', verificado: false },
      { endereco: 'A@b.com', verificado: true },
    ]);
    expect(emailsComVerificacao([], 'a@b.com')).toEqual([{ endereco: 'a@b.com', verificado: true }]);
    expect(emailsComVerificacao([{ endereco: 'a@b.com', verificado: true }], 'a@b.com')).toBeNull();
  });
});

describe('propostaDoEvento', () => {
  it('profile event types', () => {
    expect(['UPDATE_PROFILE', 'UPDATE_EMAIL', 'VERIFY_EMAIL'].every(ehEventoDePerfil)).toBe(true);
    expect(ehEventoDePerfil('REGISTER')).toBe(false);
  });

  it('UPDATE_PROFILE from the account console (Keycloak 26.7 details): e-mail and name, with the event as evidence', () => {
    const p = propostaDoEvento(
      evento('UPDATE_PROFILE', { context: 'ACCOUNT', previous_email: 'velho@exemplo.com', updated_email: 'novo@exemplo.com', previous_first_name: 'Maria', updated_first_name: 'Mariana' }),
      { emails: [{ endereco: 'velho@exemplo.com', verificado: true }] },
    );
    expect(p.corpo).toEqual({ emails: [{ endereco: 'novo@exemplo.com', verificado: false }], nome: 'Mariana da Silva' });
    expect(p.evidencia).toEqual({ tipo: 'evento-keycloak', evento: 'UPDATE_PROFILE', eventoId: 'ev-1', cliente: 'account', contexto: 'ACCOUNT', emailVerificado: false });
  });

  it('only what the details say changed: a last-name-only change proposes the name, not the e-mail', () => {
    const p = propostaDoEvento(evento('UPDATE_PROFILE', { previous_last_name: 'Silva', updated_last_name: 'da Silva' }), { emails: [] });
    expect(p.corpo).toEqual({ nome: 'Mariana da Silva' });
  });

  it('an attribute change with nothing for the person (e.g. locale) proposes nothing', () => {
    expect(propostaDoEvento(evento('UPDATE_PROFILE', { previous_locale: 'en', updated_locale: 'pt-BR' }), { emails: [] }).corpo).toEqual({});
    expect(propostaDoEvento(evento('UPDATE_PROFILE', {}), { emails: [] }).corpo).toEqual({});
  });

  it('birth date from the data_nascimento attribute (first of ##-joined values)', () => {
    const p = propostaDoEvento(evento('UPDATE_PROFILE', { previous_data_nascimento: '1980-05-17', updated_data_nascimento: '1980-05-18##x' }), { emails: [] });
    expect(p.corpo).toEqual({ dataNascimento: '1980-05-18' });
  });

  it('UPDATE_EMAIL (update-email required action) carries the verification flag of the snapshot; never a name', () => {
    const p = propostaDoEvento(
      evento('UPDATE_EMAIL', { previous_email: 'velho@exemplo.com', updated_email: 'novo@exemplo.com' }, user({ emailVerified: true, firstName: 'Outro' })),
      { emails: [{ endereco: 'velho@exemplo.com', verificado: true }] },
    );
    expect(p.corpo).toEqual({ emails: [{ endereco: 'novo@exemplo.com', verificado: true }] });
    expect(p.evidencia['emailVerificado']).toBe(true);
  });

  it('without a user snapshot the e-mail comes from the details', () => {
    const p = propostaDoEvento(evento('UPDATE_EMAIL', { previous_email: 'velho@exemplo.com', updated_email: 'novo@exemplo.com' }, null), { emails: [] });
    expect(p.corpo).toEqual({ emails: [{ endereco: 'novo@exemplo.com', verificado: false }] });
  });

  it('VERIFY_EMAIL marks the verified address', () => {
    const p = propostaDoEvento(evento('VERIFY_EMAIL', { email: 'novo@exemplo.com' }, user({ emailVerified: true })), { emails: [{ endereco: 'novo@exemplo.com', verificado: false }] });
    expect(p.corpo).toEqual({ emails: [{ endereco: 'novo@exemplo.com', verificado: true }] });
    expect(p.evidencia).toMatchObject({ evento: 'VERIFY_EMAIL', emailVerificado: true });
    expect(propostaDoEvento(evento('VERIFY_EMAIL', { email: 'novo@exemplo.com' }), { emails: [{ endereco: 'novo@exemplo.com', verificado: true }] }).corpo).toEqual({});
  });
});
