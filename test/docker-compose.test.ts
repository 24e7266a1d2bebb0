/**
 * No Docker engine runs here, so docker-compose.yml is checked for what can be checked: it parses, it names the
 * official Keycloak image of the version the native scripts pin, and every path it mounts exists in the repo.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/keycloak.js';

interface Service { image?: string; command?: string[] | string; volumes?: string[]; environment?: Record<string, string>; env_file?: string[] }
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const pinned = /^KC_VERSION="([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'scripts/lib.sh'), 'utf8'))?.[1];

describe('docker-compose.yml', () => {
  it('declares the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'govbr-simulador', 'keycloak', 'mail-sink', 'postgres', 'providers', 'realm-apply', 'redis', 'worker']);
  });

  it('runs the official Keycloak image of the version the native scripts pin', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compose.services.keycloak.image).toBe(`quay.io/keycloak/keycloak:${pinned}`);
  });

  it('gives Keycloak the same build options as scripts/keycloak.sh', () => {
    const script = readFileSync(path.join(ROOT, 'scripts/keycloak.sh'), 'utf8');
    const buildOpts = /BUILD_OPTS=\(([^)]*)\)/.exec(script)![1].trim().split(/\s+/);
    for (const opt of [...buildOpts, '--cache=local', '--import-realm', '--http-enabled=true']) {
      expect(compose.services.keycloak.command).toContain(opt);
    }
  });

  it('mounts only paths that exist, and mounts our providers, theme and realm', () => {
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')).filter(([src]) => src.startsWith('.'));
    expect(mounts.length).toBeGreaterThan(0);
    for (const [src] of mounts) {
      expect([src, existsSync(path.join(ROOT, src))]).toEqual([src, true]);
    }
    const kc = compose.services.keycloak.volumes!.map((v) => v.split(':').slice(0, 2).join(':'));
    expect(kc).toEqual(expect.arrayContaining([
      './keycloak/target/lum-keycloak-providers.jar:/opt/keycloak/providers/lum-keycloak-providers.jar',
      './themes/prefeitura-sp:/opt/keycloak/themes/prefeitura-sp',
      './realm-export:/opt/keycloak/data/import',
    ]));
  });

  it('runs the Gov.br simulator as npm start does, in development only, where Keycloak and the browser both find the issuer', () => {
    const sim = compose.services['govbr-simulador'] as Service & { network_mode?: string };
    expect(sim.command).toEqual(expect.arrayContaining([expect.stringContaining('node dist/scripts/support/govbr/simulador.js')]));
    expect(readFileSync(path.join(ROOT, 'scripts/up.sh'), 'utf8')).toContain('start_node govbr-simulador dist/scripts/support/govbr/simulador.js');
    expect(readFileSync(path.join(ROOT, 'scripts/down.sh'), 'utf8')).toContain('stop_process govbr-simulador');
    expect(sim.network_mode).toBe('service:keycloak');
    const issuer = /^LUM_GOVBR_ISSUER=(.*)$/m.exec(readFileSync(path.join(ROOT, 'scripts/realm/dev.env'), 'utf8'))![1];
    expect(issuer).toBe('http://localhost:4400/');
    expect(sim.environment).toMatchObject({ LUM_GOVBR_SIM_PORT: '4400', NODE_ENV: '${NODE_ENV:-development}' });
    expect(compose.services.keycloak.environment!.LUM_GOVBR_CLIENT_SECRET).toBe(sim.environment!.LUM_GOVBR_CLIENT_SECRET);
  });

  it('gives Keycloak and realm:apply every value the realm file substitutes, the same for both', () => {
    const realm = readFileSync(path.join(ROOT, 'realm-export/prefeitura-sp.json'), 'utf8');
    const placeholders = [...realm.matchAll(/\$\{(LUM_[A-Z_]+)(?::[^}]*)?\}/g)].map((m) => m[1]);
    expect(placeholders.length).toBeGreaterThan(0);
    // the development values file, plus the environment entries (which win over it)
    const dev = readFileSync(path.join(ROOT, 'scripts/realm/dev.env'), 'utf8').split('\n').map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1]).filter((x) => x !== undefined);
    for (const servico of ['keycloak', 'realm-apply']) expect([servico, compose.services[servico].env_file]).toEqual([servico, ['scripts/realm/dev.env']]);
    for (const p of placeholders) expect([p, [...Object.keys(compose.services.keycloak.environment!), ...dev]]).toEqual([p, expect.arrayContaining([p])]);
    // realm:apply resolves the same placeholders, from the same variables (else it would reset a secret).
    for (const p of placeholders.filter((x) => x in compose.services.keycloak.environment!)) {
      expect([p, compose.services['realm-apply'].environment![p]]).toEqual([p, compose.services.keycloak.environment![p]]);
    }
  });
});
