/**
 * The audit hash chain against real PostgreSQL: a clean chain verifies, a row modified or deleted by a superuser
 * with the append-only trigger disabled is found and named, 50 concurrent writers keep a single chain, and the
 * asynchronous sealer links late commits and flags a stalled backlog.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verificarAuditoria } from '../../../scripts/audit-verify.js';
import { AncorasEmArquivo } from './ancora.js';
import { registrarAuditoria } from './auditoria.service.js';
import { GENESE, iniciarSelador, selarAuditoria, verificarCadeia } from './cadeia.js';

const abertos: TestDatabase[] = [];
async function banco(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  abertos.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(abertos.splice(0).map((d) => d.drop()));
});
afterAll(async () => {
  await Promise.all(abertos.splice(0).map((d) => d.drop()));
});

async function escrever(db: TestDatabase, n: number): Promise<string[]> {
  for (let i = 0; i < n; i++) {
    await db.dataSource.transaction((m) =>
      registrarAuditoria(m, {
        ator: `gestor.${i}`, acao: 'pessoa.lida', pessoaCpf: '52998224725', campos: ['nome', 'cpf'], cliente: 'portal-gestor',
        finalidade: 'gestao-cadastro', detalhe: { i, texto: 'ação — ç ã 🙂', aninhado: { b: 1, a: [1, 'x', null] }, nada: undefined },
      }),
    );
  }
  await selarAuditoria(db.dataSource);
  const ids = await db.dataSource.query<{ id: string }[]>('SELECT id::text AS id FROM auditoria ORDER BY selo');
  return ids.map((r) => r.id);
}

/** As the postgres superuser, with the append-only trigger off for this transaction only. */
async function adulterar(db: TestDatabase, sql: string, params: unknown[]): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    const [{ superuser }] = await m.query<{ superuser: boolean }[]>(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
    expect(superuser).toBe(true);
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(sql, params);
  });
}

describe('audit hash chain', () => {
  it('a clean chain verifies; every row links to the previous one, the first to the genesis', async () => {
    const db = await banco();
    const ids = await escrever(db, 7);
    const r = await verificarCadeia(db.dataSource, { lote: 3 });
    expect(r).toMatchObject({ ok: true, linhasVerificadas: 7, ultimoId: ids[6], quebra: null });
    const linhas = await db.dataSource.query<{ hash_anterior: string; hash: string }[]>('SELECT hash_anterior, hash FROM auditoria ORDER BY selo');
    expect(linhas[0].hash_anterior).toBe(GENESE);
    for (let i = 1; i < linhas.length; i++) expect(linhas[i].hash_anterior).toBe(linhas[i - 1].hash);
    expect(r.ultimoHash).toBe(linhas[6].hash);
  });

  it('the app role still cannot UPDATE or DELETE (trigger)', async () => {
    const db = await banco();
    await escrever(db, 1);
    await expect(db.dataSource.query(`UPDATE auditoria SET ator = 'x'`)).rejects.toThrow(/somente inserção/);
    await expect(db.dataSource.query(`DELETE FROM auditoria`)).rejects.toThrow(/somente inserção/);
    // Only the sealing of an unsealed row gets through: re-sealing, or sealing while changing content, does not.
    await expect(db.dataSource.query(`UPDATE auditoria SET selo = selo + 100`)).rejects.toThrow(/somente inserção/);
    await db.dataSource.transaction((m) => registrarAuditoria(m, { ator: 'y', acao: 'pessoa.lida' }));
    await expect(
      db.dataSource.query(`UPDATE auditoria SET selo = 999, hash = repeat('a', 64), hash_anterior = repeat('b', 64), ator = 'z' WHERE selo IS NULL`),
    ).rejects.toThrow(/somente inserção/);
  });

  it.each([
    ['ator', `UPDATE auditoria SET ator = 'outra.pessoa' WHERE id = $1::bigint`],
    ['campos', `UPDATE auditoria SET campos = '{nome}' WHERE id = $1::bigint`],
    ['detalhe', `UPDATE auditoria SET detalhe = detalhe || '{"i": 99}' WHERE id = $1::bigint`],
    ['em', `UPDATE auditoria SET em = em - interval '1 microsecond' WHERE id = $1::bigint`],
  ])('a row whose %s was modified by a superuser is named as the first broken link', async (_campo, sql) => {
    const db = await banco();
    const ids = await escrever(db, 6);
    const [{ hash }] = await db.dataSource.query<{ hash: string }[]>('SELECT hash FROM auditoria WHERE id = $1::bigint', [ids[3]]);
    await adulterar(db, sql, [ids[3]]);
    const r = await verificarCadeia(db.dataSource);
    expect(r.ok).toBe(false);
    expect(r.linhasVerificadas).toBe(3);
    expect(r.quebra).toMatchObject({ id: ids[3], tipo: 'hash', encontrado: hash });
    expect(r.quebra!.esperado).not.toBe(hash);
    expect(r.quebra!.mensagem).toContain(`auditoria id ${ids[3]}`);
  });

  it('a row modified together with its own hash is still found: the next row no longer links to it', async () => {
    const db = await banco();
    const ids = await escrever(db, 5);
    // Rewrite row 2's content and recompute its hash correctly (an attacker who knows the algorithm).
    const { calcularHash, SQL_EM_CANONICO } = await import('./cadeia.js');
    const [l] = await db.dataSource.query<Record<string, unknown>[]>(
      `SELECT id::text AS id, ${SQL_EM_CANONICO} AS em, ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe, hash_anterior FROM auditoria WHERE id = $1::bigint`,
      [ids[2]],
    );
    const novo = calcularHash(l.hash_anterior as string, {
      id: l.id as string, em: l.em as string, ator: 'falsario', acao: l.acao as string, pessoaCpf: l.pessoa_cpf as string,
      campos: l.campos as string[], cliente: l.cliente as string, finalidade: l.finalidade as string, detalhe: l.detalhe,
    });
    await adulterar(db, `UPDATE auditoria SET ator = 'falsario', hash = $2 WHERE id = $1::bigint`, [ids[2], novo]);
    const r = await verificarCadeia(db.dataSource);
    expect(r.quebra).toMatchObject({ id: ids[3], tipo: 'hash_anterior', esperado: novo });
  });

  it('a deleted row is found: the row after the gap is named, with the expected and found hash_anterior', async () => {
    const db = await banco();
    const ids = await escrever(db, 6);
    const [{ hash: hashDe1 }] = await db.dataSource.query<{ hash: string }[]>('SELECT hash FROM auditoria WHERE id = $1::bigint', [ids[1]]);
    const [{ hash: hashDe2 }] = await db.dataSource.query<{ hash: string }[]>('SELECT hash FROM auditoria WHERE id = $1::bigint', [ids[2]]);
    await adulterar(db, `DELETE FROM auditoria WHERE id = $1::bigint`, [ids[2]]);
    const r = await verificarCadeia(db.dataSource);
    expect(r).toMatchObject({ ok: false, linhasVerificadas: 2, ultimoId: ids[1] });
    expect(r.quebra).toMatchObject({ id: ids[3], tipo: 'hash_anterior', esperado: hashDe1, encontrado: hashDe2 });
  });

  it('50 concurrent writers (each locking the same person row, then auditing) end up in one chain, without deadlock', async () => {
    const db = await banco();
    await db.dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ('52998224725', 'Maria', '1980-01-01')`);
    const inicio = Date.now();
    const resultados = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db.dataSource.transaction(async (m) => {
          await m.query(`SELECT 1 FROM pessoa WHERE cpf = '52998224725' FOR UPDATE`);
          await m.query(`UPDATE pessoa SET nome = $1 WHERE cpf = '52998224725'`, [`Maria ${i}`]);
          await registrarAuditoria(m, { ator: `gestor.${i}`, acao: 'pessoa.alterada', pessoaCpf: '52998224725', campos: ['nome'] });
          // A second append in the same transaction re-enters the lock.
          await registrarAuditoria(m, { ator: `gestor.${i}`, acao: 'pessoa.lida', pessoaCpf: '52998224725', campos: ['nome'] });
        }),
      ),
    );
    // And 50 more that only append (reads), interleaved with nothing else.
    const leituras = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => db.dataSource.transaction((m) => registrarAuditoria(m, { ator: `leitor.${i}`, acao: 'pessoa.lida' }))),
    );
    const duracaoMs = Date.now() - inicio;
    expect([...resultados, ...leituras].filter((r) => r.status === 'rejected')).toEqual([]);
    // Two sealers racing (the worker's timer and an operator) still build one chain.
    const selados = await Promise.all([selarAuditoria(db.dataSource, { lote: 20 }), selarAuditoria(db.dataSource, { lote: 20 })]);
    expect(selados[0] + selados[1]).toBe(150);
    const r = await verificarCadeia(db.dataSource);
    expect(r.quebra).toBeNull();
    expect(r).toMatchObject({ ok: true, linhasVerificadas: 150 });
    const [{ distintos }] = await db.dataSource.query<{ distintos: number }[]>('SELECT count(DISTINCT hash_anterior)::int AS distintos FROM auditoria');
    expect(distintos).toBe(150);
    expect(duracaoMs).toBeLessThan(30_000);
  });

  it('a rolled-back append leaves no link behind (gaps in id are fine, the chain holds)', async () => {
    const db = await banco();
    await escrever(db, 2);
    await expect(
      db.dataSource.transaction(async (m) => {
        await registrarAuditoria(m, { ator: 'x', acao: 'pessoa.lida' });
        throw new Error('desfaz');
      }),
    ).rejects.toThrow('desfaz');
    await escrever(db, 2);
    expect(await verificarCadeia(db.dataSource)).toMatchObject({ ok: true, linhasVerificadas: 4 });
  });

  it('a row that commits late (lower id, after higher ids were sealed) is sealed in the next pass', async () => {
    const db = await banco();
    const lenta = db.dataSource.createQueryRunner();
    await lenta.connect();
    await lenta.startTransaction();
    await registrarAuditoria(lenta.manager, { ator: 'lenta', acao: 'pessoa.lida' }); // draws the lower id
    await escrever(db, 3); // higher ids, committed and sealed now
    await lenta.commitTransaction();
    await lenta.release();
    expect(await verificarCadeia(db.dataSource)).toMatchObject({ ok: true, linhasVerificadas: 3, pendentes: 1 });
    expect(await selarAuditoria(db.dataSource)).toBe(1);
    const r = await verificarCadeia(db.dataSource);
    expect(r).toMatchObject({ ok: true, linhasVerificadas: 4, pendentes: 0 });
    const [ultima] = await db.dataSource.query<{ ator: string }[]>('SELECT ator FROM auditoria ORDER BY selo DESC LIMIT 1');
    expect(ultima.ator).toBe('lenta');
  });

  it('rows left unsealed longer than the tolerance fail the verification (the sealer stopped)', async () => {
    const db = await banco();
    await escrever(db, 2);
    await db.dataSource.transaction((m) => registrarAuditoria(m, { ator: 'sem-selo', acao: 'pessoa.lida' }));
    await new Promise((r) => setTimeout(r, 50));
    const r = await verificarCadeia(db.dataSource, { toleranciaPendentesMs: 10 });
    expect(r).toMatchObject({ ok: false, linhasVerificadas: 2, pendentes: 1 });
    expect(r.quebra!.mensagem).toMatch(/sem selo/);
  });
});

describe('audit chain anchored outside the database (tail cuts)', () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  async function ancorasDe(db: TestDatabase): Promise<{ arquivo: AncorasEmArquivo; banco: string }> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lum-ancoras-'));
    const [{ banco }] = await db.dataSource.query<{ banco: string }[]>('SELECT current_database() AS banco');
    return { arquivo: new AncorasEmArquivo(path.join(dir, 'ancoras.jsonl')), banco };
  }

  it('the sealer anchors the head at start-up and after each pass that sealed rows; the file is per database', async () => {
    const db = await banco();
    await escrever(db, 2);
    const { arquivo, banco: nome } = await ancorasDe(db);
    await arquivo.registrar({ banco: 'outro_banco', selo: '999', hash: 'f'.repeat(64), em: new Date().toISOString() });
    const selador = iniciarSelador(db.dataSource, { intervaloMs: 50, ancoras: arquivo });
    try {
      await db.dataSource.transaction((m) => registrarAuditoria(m, { ator: 'depois', acao: 'pessoa.lida' }));
      const limite = Date.now() + 10_000;
      while ((await arquivo.ler(nome)).length < 2 && Date.now() < limite) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await selador.parar();
    }
    const minhas = await arquivo.ler(nome);
    const [cabeca] = await db.dataSource.query<{ selo: string; hash: string }[]>('SELECT selo::text AS selo, hash FROM auditoria ORDER BY selo DESC LIMIT 1');
    expect(minhas.map((a) => a.selo)).toEqual(['2', '3']);
    expect(minhas.at(-1)).toMatchObject({ banco: nome, selo: cabeca.selo, hash: cabeca.hash });
    // The other database's anchor is kept apart: it does not make this chain look cut.
    expect((await arquivo.ler()).length).toBe(3);
    expect(await verificarCadeia(db.dataSource, { ancoras: minhas })).toMatchObject({ ok: true, linhasVerificadas: 3 });
  });

  it('cutting the last rows: invisible to the chain alone, found by the anchor (and named)', async () => {
    const db = await banco();
    const ids = await escrever(db, 5);
    const { arquivo, banco: nome } = await ancorasDe(db);
    const selador = iniciarSelador(db.dataSource, { intervaloMs: 60_000, ancoras: arquivo });
    await selador.parar(); // anchors the head (selo 5) at start-up
    expect((await arquivo.ler(nome)).map((a) => a.selo)).toEqual(['5']);
    await adulterar(db, `DELETE FROM auditoria WHERE id = ANY($1::bigint[])`, [[ids[3], ids[4]]]);
    // The documented limit of a bare hash chain: a shorter chain is still a valid chain.
    expect(await verificarCadeia(db.dataSource)).toMatchObject({ ok: true, linhasVerificadas: 3 });
    const r = await verificarCadeia(db.dataSource, { ancoras: await arquivo.ler(nome) });
    expect(r).toMatchObject({ ok: false, linhasVerificadas: 3, ultimoId: ids[2] });
    expect(r.quebra).toMatchObject({ tipo: 'ancora', id: '(selo 5)' });
    expect(r.quebra!.mensagem).toMatch(/termina no selo 3.*selo 5.*removidas do fim/);
  });

  it('cutting the tail and sealing new rows over it is found at the first rewritten anchored position', async () => {
    const db = await banco();
    const ids = await escrever(db, 4);
    const { arquivo, banco: nome } = await ancorasDe(db);
    const [original] = await db.dataSource.query<{ hash: string }[]>('SELECT hash FROM auditoria WHERE selo = 4');
    await arquivo.registrar({ banco: nome, selo: '4', hash: original.hash, em: new Date().toISOString() });
    await adulterar(db, `DELETE FROM auditoria WHERE id = $1::bigint`, [ids[3]]);
    await escrever(db, 2); // the forger's rows take positions 4 and 5
    expect(await verificarCadeia(db.dataSource)).toMatchObject({ ok: true, linhasVerificadas: 5 });
    const r = await verificarCadeia(db.dataSource, { ancoras: await arquivo.ler(nome) });
    expect(r).toMatchObject({ ok: false, linhasVerificadas: 3 });
    expect(r.quebra).toMatchObject({ tipo: 'ancora', esperado: original.hash });
    expect(r.quebra!.mensagem).toMatch(/posição 4 .*reescrito/);
  });

  it('audit:verify reads the anchor file and names a tail cut (exit 1), or confirms the chain (exit 0)', async () => {
    const db = await banco();
    const ids = await escrever(db, 3);
    const { arquivo, banco: nome } = await ancorasDe(db);
    const [cabeca] = await db.dataSource.query<{ selo: string; hash: string }[]>('SELECT selo::text AS selo, hash FROM auditoria ORDER BY selo DESC LIMIT 1');
    await arquivo.registrar({ banco: nome, selo: cabeca.selo, hash: cabeca.hash, em: new Date().toISOString() });
    const rodar = async (env: Record<string, string>) => {
      const r = await verificarAuditoria({ DATABASE_URL: db.url, ...env });
      return { codigo: r.codigo, saida: [...r.saida, ...r.erros].join('\n') };
    };
    const limpa = await rodar({ AUDIT_ANCHOR_FILE: arquivo.caminho });
    expect(limpa).toMatchObject({ codigo: 0 });
    expect(limpa.saida).toMatch(/cadeia íntegra — 3 linhas.*\n.*1 âncora\(s\) externa\(s\) conferida\(s\)/);
    await adulterar(db, `DELETE FROM auditoria WHERE id = $1::bigint`, [ids[2]]);
    const cortada = await rodar({ AUDIT_ANCHOR_FILE: arquivo.caminho });
    expect(cortada.codigo).toBe(1);
    expect(cortada.saida).toMatch(/CADEIA QUEBRADA.*\(ancora\)[\s\S]*removidas do fim da cadeia/);
    expect(await readFile(arquivo.caminho, 'utf8')).toContain(cabeca.hash);
    // Without anchors the cut goes unseen, and the command says so instead of pretending.
    const semAncora = await rodar({ AUDIT_ANCHOR_FILE: '-' });
    expect(semAncora.codigo).toBe(0);
    expect(semAncora.saida).toMatch(/sem âncoras externas.*não seria detectada/);
    // A damaged anchor file is named (file and line), never taken as "no anchors".
    const { writeFile } = await import('node:fs/promises');
    await writeFile(arquivo.caminho, `${await readFile(arquivo.caminho, 'utf8')}{"banco": "${nome}", "selo": "x"\n`);
    await expect(rodar({ AUDIT_ANCHOR_FILE: arquivo.caminho })).rejects.toThrow(`${arquivo.caminho}:2: linha de âncora ilegível`);
    await writeFile(arquivo.caminho, `{"banco": "${nome}", "selo": "abc", "hash": "h"}\n`);
    await expect(rodar({ AUDIT_ANCHOR_FILE: arquivo.caminho })).rejects.toThrow(`${arquivo.caminho}:1: âncora sem banco/selo/hash`);
  });
});
