import type { ValidationError } from 'class-validator';
import type { DetalheDeErro } from '../errors/api-error.js';

/**
 * Flattens class-validator errors into `[{ path, message }]` with pt-BR messages.
 * DTO decorators carry their own pt-BR messages; the built-in ones we translate are the whitelist rejection and the
 * nested-object check of `@ValidateNested`.
 */
export function detalhesDeValidacao(erros: readonly ValidationError[], prefixo = ''): DetalheDeErro[] {
  const out: DetalheDeErro[] = [];
  for (const erro of erros) {
    const path = prefixo ? `${prefixo}.${erro.property}` : erro.property;
    for (const [restricao, mensagem] of Object.entries(erro.constraints ?? {})) {
      const traduzida =
        restricao === 'whitelistValidation'
          ? `Campo não permitido: ${path}`
          : restricao === 'nestedValidation'
            ? `${path} deve conter objetos (cada item da lista deve ser um objeto JSON)`
            : mensagem;
      out.push({ path, message: traduzida });
    }
    if (erro.children && erro.children.length > 0) out.push(...detalhesDeValidacao(erro.children, path));
  }
  return out;
}
