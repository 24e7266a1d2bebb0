/**
 * `npm run audit:verify` — walks the audit hash chain (see api/src/auditoria/cadeia.ts) of the database in
 * DATABASE_URL, checks it against the heads anchored outside the database (AUDIT_ANCHOR_FILE, see ancora.ts) and
 * names the FIRST broken link. Exit 0: chain intact; 1: broken (or the check could not run).
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { AncorasEmArquivo } from '../api/src/auditoria/ancora.js';
import { verificarCadeia } from '../api/src/auditoria/cadeia.js';
import { loadConfig } from '../api/src/config.js';

/** The whole check; `env` as the process environment. Returns the exit code and what to print. */
export async function verificarAuditoria(env: Readonly<Record<string, string | undefined>> = process.env): Promise<{ codigo: number; saida: string[]; erros: string[] }> {
  const config = loadConfig(env);
  const saida: string[] = [];
  const erros: string[] = [];
  const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'lum-audit-verify' });
  await client.connect();
  try {
    // One consistent snapshot for the whole walk, so concurrent appends never look like a break.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ banco: string }>('SELECT current_database() AS banco');
    const ancoras = config.auditAnchorFile ? await new AncorasEmArquivo(config.auditAnchorFile).ler(rows[0].banco) : [];
    const r = await verificarCadeia(client, { ancoras });
    await client.query('COMMIT');
    if (r.ok) {
      saida.push(`auditoria: cadeia íntegra — ${r.linhasVerificadas} linhas seladas verificadas; última id ${r.ultimoId ?? '(nenhuma)'}, hash ${r.ultimoHash}`);
      saida.push(
        config.auditAnchorFile
          ? `  ${ancoras.length} âncora(s) externa(s) conferida(s) (${config.auditAnchorFile})`
          : '  sem âncoras externas (AUDIT_ANCHOR_FILE=-): a remoção das últimas linhas não seria detectada',
      );
      if (r.pendentes > 0) saida.push(`  ${r.pendentes} linha(s) ainda sem selo (a mais antiga há ${Math.round((r.pendenteMaisAntigoMs ?? 0) / 1000)} s; o worker sela a cada segundo)`);
      return { codigo: 0, saida, erros };
    }
    const q = r.quebra!;
    erros.push(`auditoria: CADEIA QUEBRADA — primeiro elo inválido na linha id ${q.id} (${q.tipo})`);
    erros.push(`  ${q.mensagem}`);
    erros.push(`  esperado:   ${q.esperado}`);
    erros.push(`  encontrado: ${q.encontrado}`);
    erros.push(`  linhas íntegras antes da quebra: ${r.linhasVerificadas} (última id ${r.ultimoId ?? '(gênese)'})`);
    return { codigo: 1, saida, erros };
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  verificarAuditoria().then(
    ({ codigo, saida, erros }) => {
      for (const l of saida) console.log(l);
      for (const l of erros) console.error(l);
      process.exit(codigo);
    },
    (err: unknown) => {
      console.error(`auditoria: verificação não pôde ser executada: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
