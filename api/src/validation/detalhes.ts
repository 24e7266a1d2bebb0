import type { ValidationError } from 'class-validator';
import type { DetalheDeErro } from '../errors/api-error.js';

/**
 * Flattens class-validator errors into `[{ path, message }]` with pt-BR messages.
 * DTO decorators carry their own pt-BR messages; the only built-in one we translate is the whitelist rejection.
 */
export function detalhesDeValidacao(erros: readonly ValidationError[], prefixo = ''): DetalheDeErro[] {
  const out: DetalheDeErro[] = [];
  for (const erro of erros) {
    const path = prefixo ? `${prefixo}.${erro.property}` : erro.property;
    for (const [restricao, mensagem] of Object.entries(erro.constraints ?? {})) {
      out.push({ path, message: restricao === 'whitelistValidation' ? `Campo não permitido: ${path}` : mensagem });
    }
    if (erro.children && erro.children.length > 0) out.push(...detalhesDeValidacao(erro.children, path));
  }
  return out;
}
