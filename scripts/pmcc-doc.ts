/**
 * Writes docs/pmcc.md from api/src/pmcc/politicas.ts:
 *   npx tsc -p tsconfig.build.json && node dist/scripts/pmcc-doc.js
 * (api/src/pmcc/documento.unit.test.ts fails while the committed page is out of date.)
 */
import { writeFileSync } from 'node:fs';
import { renderizarPmcc } from '../api/src/pmcc/documento.js';

const destino = new URL('../../docs/pmcc.md', import.meta.url);
writeFileSync(process.argv[2] ?? destino, renderizarPmcc());
console.log(`PMCC: ${process.argv[2] ?? destino.pathname} atualizado`);
