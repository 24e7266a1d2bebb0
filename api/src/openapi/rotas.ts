/**
 * The routes actually registered in an Express 5 app (router 2.x layers), walked from `app.router`, including
 * routers mounted under a path. The OpenAPI document and the authorization matrix are both checked against it.
 */
import type { Express } from 'express';

export interface RotaRegistrada {
  /** Upper case: GET, POST, PATCH, PUT, DELETE. */
  metodo: string;
  /** Express syntax: `/pessoas/:cpf`. */
  caminho: string;
}

interface Camada {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Camada[] };
  rawPath?: unknown;
}

function juntar(prefixo: string, caminho: string): string {
  const c = `${prefixo}/${caminho}`.replace(/\/+/g, '/');
  return c.length > 1 ? c.replace(/\/$/, '') : c;
}

function percorrer(pilha: readonly Camada[], prefixo: string, saida: RotaRegistrada[]): void {
  for (const camada of pilha) {
    if (camada.route) {
      const caminhos = Array.isArray(camada.route.path) ? camada.route.path : [camada.route.path];
      for (const metodo of Object.keys(camada.route.methods)) {
        if (metodo === '_all' || metodo === 'head' || metodo === 'options') continue;
        for (const c of caminhos) saida.push({ metodo: metodo.toUpperCase(), caminho: juntar(prefixo, c) });
      }
    } else if (camada.handle?.stack) {
      const montagem = typeof camada.rawPath === 'string' ? camada.rawPath : '/';
      percorrer(camada.handle.stack, juntar(prefixo, montagem), saida);
    }
  }
}

/** Every (method, path) registered, sorted, without repeats. */
export function listarRotas(app: Express): RotaRegistrada[] {
  const raiz = (app as unknown as { router: { stack: Camada[] } }).router;
  const saida: RotaRegistrada[] = [];
  percorrer(raiz.stack, '/', saida);
  const vistos = new Map(saida.map((r) => [`${r.metodo} ${r.caminho}`, r]));
  return [...vistos.values()].sort((a, b) => (a.caminho === b.caminho ? a.metodo.localeCompare(b.metodo) : a.caminho.localeCompare(b.caminho)));
}
