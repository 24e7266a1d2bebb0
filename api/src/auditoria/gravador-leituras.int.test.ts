/** The read-audit group commit against real PostgreSQL: batches concurrent reads, and fails them all together. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { GravadorLeituras } from './gravador-leituras.js';
import type { RegistroAuditoria } from './auditoria.service.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const contar = async () => (await db.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM auditoria'))[0].n;

describe('GravadorLeituras', () => {
  it('writes 250 concurrent read records in batches; each promise resolves only once its row is committed', async () => {
    const gravador = new GravadorLeituras(db.dataSource, { esperaMs: 5, maxLote: 100 });
    const antes = await contar();
    await Promise.all(Array.from({ length: 250 }, (_, i) => gravador.registrar({
      ator: `leitor.${i}`, acao: 'pessoa.lida', pessoaCpf: '52998224725', campos: ['cpf', 'nome'], cliente: 'portal-gestor',
      finalidade: 'gestao-cadastro', detalhe: { encontrada: true, i },
    })));
    expect(await contar()).toBe(antes + 250);
    const [linha] = await db.dataSource.query<Record<string, unknown>[]>(`SELECT campos, detalhe, cliente FROM auditoria WHERE ator = 'leitor.7'`);
    expect(linha).toEqual({ campos: ['cpf', 'nome'], detalhe: { encontrada: true, i: 7 }, cliente: 'portal-gestor' });
  });

  it('a batch that cannot be written fails every read in it, and writes none of them', async () => {
    const gravador = new GravadorLeituras(db.dataSource, { esperaMs: 20, maxLote: 100 });
    const antes = await contar();
    const bom: RegistroAuditoria = { ator: 'leitor.ok', acao: 'pessoa.lida' };
    const ruim = { ator: null, acao: 'pessoa.lida' } as unknown as RegistroAuditoria; // violates NOT NULL
    const resultados = await Promise.allSettled([gravador.registrar(bom), gravador.registrar(ruim), gravador.registrar(bom)]);
    expect(resultados.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await contar()).toBe(antes);
  });

  it('while a batch is being written, later reads wait for its commit and go together in the next batch', async () => {
    const gravador = new GravadorLeituras(db.dataSource, { esperaMs: 2, maxLote: 100 });
    // Hold the first batch's INSERT: another transaction keeps a lock that conflicts with it.
    const trava = db.dataSource.createQueryRunner();
    await trava.connect();
    await trava.startTransaction();
    await trava.query('LOCK TABLE auditoria IN EXCLUSIVE MODE');
    const registrar = (ator: string) => gravador.registrar({ ator, acao: 'pessoa.lida', detalhe: { teste: 'em-voo' } });
    const primeira = registrar('em-voo.0');
    await new Promise((r) => setTimeout(r, 50));
    const depois: Promise<void>[] = [];
    for (let i = 1; i <= 10; i++) {
      depois.push(registrar(`em-voo.${i}`));
      await new Promise((r) => setTimeout(r, 10)); // each far longer than esperaMs
    }
    await trava.commitTransaction();
    await trava.release();
    await Promise.all([primeira, ...depois]);
    const transacoes = await db.dataSource.query<{ linhas: number }[]>(
      `SELECT count(*)::int AS linhas FROM auditoria WHERE detalhe->>'teste' = 'em-voo' GROUP BY em ORDER BY min(id)`,
    );
    expect(transacoes.map((t) => t.linhas)).toEqual([1, 10]);
  });
});
