/**
 * Seeded pseudo-random numbers for the synthetic data generator: SFC32 (Chris Doty-Humphrey's Small Fast Counter,
 * as in PractRand) seeded through SplitMix32. Same seed → same sequence on every machine and Node version.
 */
export class Aleatorio {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(semente: number) {
    let s = semente >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.proximo32();
  }

  private proximo32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  real(): number {
    return this.proximo32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  inteiro(n: number): number {
    return Math.floor(this.real() * n);
  }

  /** Uniform integer in [min, max]. */
  entre(min: number, max: number): number {
    return min + this.inteiro(max - min + 1);
  }

  chance(p: number): boolean {
    return this.real() < p;
  }

  escolher<T>(lista: readonly T[]): T {
    return lista[this.inteiro(lista.length)];
  }
}

/** A weighted list prepared for O(log n) draws. */
export class Ponderado<T> {
  private readonly acumulado: number[] = [];
  private readonly itens: T[] = [];
  private total = 0;

  constructor(pares: readonly (readonly [T, number])[]) {
    for (const [item, peso] of pares) {
      this.total += peso;
      this.acumulado.push(this.total);
      this.itens.push(item);
    }
  }

  sortear(r: Aleatorio): T {
    const x = r.real() * this.total;
    let lo = 0;
    let hi = this.acumulado.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.acumulado[m] > x) hi = m;
      else lo = m + 1;
    }
    return this.itens[lo];
  }
}
