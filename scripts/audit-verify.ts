/**
 * `npm run audit:verify` — walks the audit hash chain (see api/src/auditoria/cadeia.ts) of the database in
 * DATABASE_URL and names the FIRST broken link. Exit 0: chain intact; 1: broken (or the check could not run).
 */
import pg from 'pg';
import { verificarCadeia } from '../api/src/auditoria/cadeia.js';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lum';
  const client = new pg.Client({ connectionString: url, application_name: 'lum-audit-verify' });
  await client.connect();
  try {
    // One consistent snapshot for the whole walk, so concurrent appends never look like a break.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const r = await verificarCadeia(client);
    await client.query('COMMIT');
    if (r.ok) {
      console.log(`auditoria: cadeia íntegra — ${r.linhasVerificadas} linhas seladas verificadas; última id ${r.ultimoId ?? '(nenhuma)'}, hash ${r.ultimoHash}`);
      if (r.pendentes > 0) console.log(`  ${r.pendentes} linha(s) ainda sem selo (a mais antiga há ${Math.round((r.pendenteMaisAntigoMs ?? 0) / 1000)} s; o worker sela a cada segundo)`);
      return 0;
    }
    const q = r.quebra!;
    console.error(`auditoria: CADEIA QUEBRADA — primeiro elo inválido na linha id ${q.id} (${q.tipo})`);
    console.error(`  ${q.mensagem}`);
    console.error(`  esperado:   ${q.esperado}`);
    console.error(`  encontrado: ${q.encontrado}`);
    console.error(`  linhas íntegras antes da quebra: ${r.linhasVerificadas} (última id ${r.ultimoId ?? '(gênese)'})`);
    return 1;
  } finally {
    await client.end();
  }
}

main().then(
  (codigo) => process.exit(codigo),
  (err: unknown) => {
    console.error(`auditoria: verificação não pôde ser executada: ${(err as Error).message}`);
    process.exit(1);
  },
);
