import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { renderizarPmcc } from './documento.js';
import { POLITICAS, VERSAO_PMCC } from './politicas.js';

describe('docs/pmcc.md', () => {
  it('is the rendering of politicas.ts (regenerate: npx tsc -p tsconfig.build.json && node dist/scripts/pmcc-doc.js)', () => {
    const pagina = readFileSync(new URL('../../../docs/pmcc.md', import.meta.url), 'utf8');
    expect(pagina).toBe(renderizarPmcc());
  });

  it('names the version and every field', () => {
    const pagina = renderizarPmcc();
    expect(pagina).toContain(VERSAO_PMCC);
    for (const p of POLITICAS) expect(pagina).toContain(`| \`${p.campo}\` |`);
  });
});
