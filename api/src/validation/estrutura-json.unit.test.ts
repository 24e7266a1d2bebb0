import { describe, expect, it } from '@jest/globals';
import { problemaDeEstruturaJson } from './estrutura-json.js';

/** `{"a":{"a":…1…}}` with `n` objects, parsed (JSON.parse does not recurse; JSON.stringify would). */
const aninhado = (n: number, abre = '{"a":', fecha = '}') => JSON.parse(`${abre.repeat(n)}1${fecha.repeat(n)}`) as unknown;
const problema = (v: unknown) => {
  const p = problemaDeEstruturaJson(v);
  return p && { status: p.status, message: p.message, details: p.details };
};

describe('problemaDeEstruturaJson', () => {
  it('32 levels pass, 33 are refused with the place named', () => {
    expect(problema(aninhado(32))).toBeNull();
    expect(problema(aninhado(33))).toEqual({
      status: 400,
      message: 'O corpo JSON passa de 32 níveis de objetos ou listas aninhados',
      details: [{ path: 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a', message: 'O corpo JSON passa de 32 níveis de objetos ou listas aninhados' }],
    });
    expect(problema(aninhado(33, '[', ']'))?.details[0]?.path).toBe('0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0');
  });

  it('does not recurse: 100,000 levels answer the same 400, no RangeError', () => {
    expect(problema(aninhado(100_000))?.message).toBe('O corpo JSON passa de 32 níveis de objetos ou listas aninhados');
    expect(problema(aninhado(100_000, '[', ']'))?.message).toBe('O corpo JSON passa de 32 níveis de objetos ou listas aninhados');
  });

  it('keys of Object.prototype are refused wherever they are, as unknown fields', () => {
    expect(problema(JSON.parse('{"__proto__":{"x":1}}'))).toEqual({ status: 400, message: 'Campo não permitido: __proto__', details: [{ path: '__proto__', message: 'Campo não permitido: __proto__' }] });
    expect(problema({ emails: [{ endereco: 'a@b.c' }, { constructor: 1 }] })?.details).toEqual([{ path: 'emails.1.constructor', message: 'Campo não permitido: emails.1.constructor' }]);
    for (const k of ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__']) {
      expect(problema({ rg: { [k]: 1 } })?.message).toBe(`Campo não permitido: rg.${k}`);
    }
    // Only own keys of the body count: ordinary fields and values that merely look like those names pass.
    expect(problema({ nome: 'constructor', tipo: '__proto__', prototype_: 1 })).toBeNull();
  });

  it('lists of more than 1,000 items and objects of more than 1,000 fields are refused', () => {
    expect(problema({ emails: Array.from({ length: 1000 }, () => 0) })).toBeNull();
    expect(problema({ emails: Array.from({ length: 1001 }, () => 0) })?.message).toBe('A lista emails passa de 1000 itens');
    expect(problema(Array.from({ length: 1001 }, () => 0))?.message).toBe('O corpo JSON passa de 1000 itens');
    const campos = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i]));
    expect(problema(campos(1000))).toBeNull();
    expect(problema(campos(1001))?.message).toBe('O corpo JSON passa de 1000 campos');
    expect(problema({ rg: campos(1001) })?.message).toBe('O objeto rg passa de 1000 campos');
  });

  it('a NUL character or a lone surrogate in a text or a key is refused, naming the field', () => {
    expect(problema({ nome: 'a\u0000b' })).toEqual({
      status: 400, message: 'O campo nome contém o caractere nulo (U+0000), que não é aceito em texto',
      details: [{ path: 'nome', message: 'O campo nome contém o caractere nulo (U+0000), que não é aceito em texto' }],
    });
    expect(problema({ emails: [{ endereco: '\u0000' }] })?.message).toBe('O campo emails.0.endereco contém o caractere nulo (U+0000), que não é aceito em texto');
    expect(problema({ 'a\u0000': 1 })?.message).toBe('O campo a\u0000 contém o caractere nulo (U+0000), que não é aceito em texto');
    expect(problema('\u0000')?.message).toBe('O corpo JSON contém o caractere nulo (U+0000), que não é aceito em texto');
    const surrogate = 'O campo nome contém um caractere Unicode inválido (metade de um par substituto, \\uD800–\\uDFFF, sem a outra metade)';
    for (const nome of ['\uDC00Ana', 'Ana\uD800', 'a\uD800b', '\uDC00\uD800']) expect(problema({ nome })?.message).toBe(surrogate);
    expect(problema(JSON.parse('{"nome":"\\udc00"}'))?.message).toBe(surrogate);
    expect(problema({ nome: '𝕏 \uD835\uDD4F 🏳️‍🌈' })).toBeNull();
    // Other control characters are the DTOs' business (their "texto ilegível" rules), not this check's.
    expect(problema({ nome: 'a\u0001b' })).toBeNull();
  });

  it('scalars and ordinary bodies pass', () => {
    for (const v of [null, true, 1, 'x', [], {}, { nome: 'Ana', emails: [{ endereco: 'a@b.c', verificado: false }], rg: { numero: '1', uf: 'SP' } }]) expect(problema(v)).toBeNull();
  });
});
