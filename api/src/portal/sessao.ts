/**
 * The portal's server-side session, in Redis: the browser holds only a random 256-bit id in an HttpOnly cookie; the
 * tokens (access, refresh, id) never reach the browser. Each session expires after `INATIVIDADE_S` without use and
 * `DURACAO_MAXIMA_S` after sign-in, whatever happens; signing in gives a new id (no session fixation).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Aviso } from './html.js';
import type { Idioma } from './idioma.js';

const COOKIE_SESSAO = 'lum_portal_sessao';
const INATIVIDADE_S = 30 * 60;
const DURACAO_MAXIMA_S = 8 * 60 * 60;

export interface TokensDaSessao {
  acesso: string;
  renovacao: string | null;
  id: string | null;
  /** ms since the epoch (system clock: token lifetimes are Keycloak's, not the domain clock's). */
  expiraEm: number;
}

interface DadosSessao {
  /** Synchronizer token of every form (CSRF). */
  csrf: string;
  criadaEm: number;
  idioma: Idioma;
  /** An authorization request under way: PKCE verifier, state, nonce and where to go back. */
  login?: { state: string; verificador: string; nonce: string; volta: string };
  tokens?: TokensDaSessao;
  /** One-time notice shown on the next page (after a redirect). */
  aviso?: Aviso;
}

export interface Sessao {
  id: string;
  dados: DadosSessao;
}

const ID_VALIDO = /^[A-Za-z0-9_-]{43}$/;

function novoId(): string {
  return randomBytes(32).toString('base64url');
}

function lerCookie(req: Request, nome: string): string | undefined {
  const cabecalho = req.headers.cookie;
  if (!cabecalho) return undefined;
  for (const parte of cabecalho.split(';')) {
    const eq = parte.indexOf('=');
    if (eq > 0 && parte.slice(0, eq).trim() === nome) return parte.slice(eq + 1).trim();
  }
  return undefined;
}

export class SessoesPortal {
  constructor(
    private readonly redis: Redis,
    private readonly prefixo: string,
    private readonly cookieSeguro: boolean,
  ) {}

  private chave(id: string): string {
    return `${this.prefixo}:portal:sessao:${id}`;
  }

  /** The request's session, or a new (unsaved) one. */
  async carregar(req: Request): Promise<Sessao> {
    const id = lerCookie(req, COOKIE_SESSAO);
    if (id && ID_VALIDO.test(id)) {
      const bruto = await this.redis.get(this.chave(id));
      if (bruto) {
        const dados = JSON.parse(bruto) as DadosSessao;
        // A notice saved before notices carried their language was written in pt-BR.
        if (dados.aviso) dados.aviso = { ...dados.aviso, idioma: (dados.aviso as Partial<Aviso>).idioma ?? 'pt-BR' };
        if (Date.now() - dados.criadaEm < DURACAO_MAXIMA_S * 1000) return { id, dados };
        await this.redis.del(this.chave(id));
      }
    }
    return { id: novoId(), dados: { csrf: randomBytes(32).toString('base64url'), criadaEm: Date.now(), idioma: 'pt-BR' } };
  }

  async salvar(res: Response, sessao: Sessao): Promise<void> {
    const restante = Math.ceil((DURACAO_MAXIMA_S * 1000 - (Date.now() - sessao.dados.criadaEm)) / 1000);
    await this.redis.set(this.chave(sessao.id), JSON.stringify(sessao.dados), 'EX', Math.max(1, Math.min(INATIVIDADE_S, restante)));
    res.append('Set-Cookie', `${COOKIE_SESSAO}=${sessao.id}; Path=/; HttpOnly; SameSite=Lax${this.cookieSeguro ? '; Secure' : ''}`);
  }

  /** After sign-in: the same data under a new id, a new CSRF token, the old id gone. */
  async renovarId(sessao: Sessao): Promise<Sessao> {
    await this.redis.del(this.chave(sessao.id));
    return { id: novoId(), dados: { ...sessao.dados, csrf: randomBytes(32).toString('base64url'), criadaEm: Date.now() } };
  }

  async encerrar(res: Response, sessao: Sessao): Promise<void> {
    await this.redis.del(this.chave(sessao.id));
    res.append('Set-Cookie', `${COOKIE_SESSAO}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${this.cookieSeguro ? '; Secure' : ''}`);
  }
}

/** Constant-time comparison of the form's CSRF token with the session's. */
export function csrfConfere(sessao: Sessao, enviado: unknown): boolean {
  if (typeof enviado !== 'string') return false;
  const a = Buffer.from(enviado);
  const b = Buffer.from(sessao.dados.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
