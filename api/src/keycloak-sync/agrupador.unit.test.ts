import { describe, expect, it } from '@jest/globals';
import { Agrupador } from './agrupador.js';

/** A sender whose batches stay open until the test answers them, recording what each batch carried. */
function remetenteControlado() {
  const lotes: Array<{ itens: number[]; responder: (r: Array<number | Error>) => void; falhar: (e: Error) => void }> = [];
  const enviar = (itens: number[]) =>
    new Promise<Array<number | Error>>((responder, falhar) => {
      lotes.push({ itens, responder, falhar });
    });
  return { lotes, enviar };
}

const tique = () => new Promise((r) => setImmediate(r));

describe('Agrupador (batches concurrent calls without holding any back)', () => {
  it('sends a lone call at once, as a batch of one', async () => {
    const r = remetenteControlado();
    const a = new Agrupador(r.enviar, { loteMax: 10, emVooMax: 1 });
    const p = a.executar(7);
    expect(r.lotes.map((l) => l.itens)).toEqual([[7]]);
    r.lotes[0].responder([70]);
    await expect(p).resolves.toBe(70);
  });

  it('calls arriving while the only slot is busy leave together when it frees, at most loteMax per batch', async () => {
    const r = remetenteControlado();
    const a = new Agrupador(r.enviar, { loteMax: 3, emVooMax: 1 });
    const ps = [1, 2, 3, 4, 5, 6].map((n) => a.executar(n));
    expect(r.lotes.map((l) => l.itens)).toEqual([[1]]);
    r.lotes[0].responder([10]);
    await tique();
    expect(r.lotes.map((l) => l.itens)).toEqual([[1], [2, 3, 4]]);
    r.lotes[1].responder([20, 30, 40]);
    await tique();
    expect(r.lotes.map((l) => l.itens)).toEqual([[1], [2, 3, 4], [5, 6]]);
    r.lotes[2].responder([50, 60]);
    await expect(Promise.all(ps)).resolves.toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('uses up to emVooMax slots before grouping', async () => {
    const r = remetenteControlado();
    const a = new Agrupador(r.enviar, { loteMax: 10, emVooMax: 2 });
    void a.executar(1);
    void a.executar(2);
    void a.executar(3);
    void a.executar(4);
    expect(r.lotes.map((l) => l.itens)).toEqual([[1], [2]]);
    r.lotes[1].responder([20]);
    await tique();
    expect(r.lotes.map((l) => l.itens)).toEqual([[1], [2], [3, 4]]);
  });

  it('an Error result fails that call alone; a failed request fails its whole batch and the next batch still goes', async () => {
    const r = remetenteControlado();
    const a = new Agrupador(r.enviar, { loteMax: 10, emVooMax: 1 });
    const p1 = a.executar(1);
    const p2 = a.executar(2);
    const p3 = a.executar(3);
    const p4 = a.executar(4);
    r.lotes[0].responder([10]);
    await tique();
    r.lotes[1].responder([20, new Error('usuário 3 não encontrado'), 40]);
    await expect(p1).resolves.toBe(10);
    await expect(p2).resolves.toBe(20);
    await expect(p3).rejects.toThrow('usuário 3 não encontrado');
    await expect(p4).resolves.toBe(40);

    const p5 = a.executar(5);
    const p6 = a.executar(6);
    const p7 = a.executar(7);
    r.lotes[2].falhar(new Error('Keycloak respondeu 503'));
    await expect(p5).rejects.toThrow('Keycloak respondeu 503');
    await tique();
    expect(r.lotes[3].itens).toEqual([6, 7]);
    r.lotes[3].falhar(new Error('Keycloak respondeu 503'));
    await expect(p6).rejects.toThrow('Keycloak respondeu 503');
    await expect(p7).rejects.toThrow('Keycloak respondeu 503');
  });

  it('a reply with the wrong number of results fails the batch', async () => {
    const r = remetenteControlado();
    const a = new Agrupador(r.enviar, { loteMax: 10, emVooMax: 1 });
    const p = a.executar(1);
    r.lotes[0].responder([10, 20]);
    await expect(p).rejects.toThrow('lote de 1 itens respondido com 2 resultados');
  });

  it('refuses nonsense limits', () => {
    const r = remetenteControlado();
    expect(() => new Agrupador(r.enviar, { loteMax: 0, emVooMax: 1 })).toThrow('loteMax deve ser um inteiro ≥ 1');
    expect(() => new Agrupador(r.enviar, { loteMax: 5, emVooMax: 1.5 })).toThrow('emVooMax deve ser um inteiro ≥ 1');
  });
});
