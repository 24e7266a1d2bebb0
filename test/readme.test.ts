/** The README documents the real configuration: its table is exactly what `renderConfigMarkdown()` renders. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigMarkdown } from '../api/src/config.js';
import { ROOT } from './support/keycloak.js';

describe('README.md', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('carries the configuration table generated from api/src/config.ts', () => {
    expect(readme).toContain(renderConfigMarkdown());
  });

  it('names the two commands, and .ci/run calls the test one', () => {
    expect(readme).toMatch(/^npm start\b/m);
    expect(readme).toMatch(/^npm test\b/m);
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
