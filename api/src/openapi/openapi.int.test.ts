/**
 * The OpenAPI document is true to the code: every route the Express app registers is in the document and every
 * documented operation is a registered route; request bodies reference schemas generated from the DTOs; the
 * document and the docs page are public.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { caminhoOpenApi, documentoOpenApi } from './documento.js';
import { listarRotas } from './rotas.js';

let t: AppDeTeste;
beforeAll(async () => {
  t = await criarAppDeTeste('openapi');
});
afterAll(async () => {
  await t?.fechar();
});

describe('OpenAPI 3.1', () => {
  it('every registered route is documented, and every documented operation is registered', () => {
    const doc = documentoOpenApi() as { paths: Record<string, Record<string, unknown>> };
    const registradas = listarRotas(t.app).map((r) => `${r.metodo} ${caminhoOpenApi(r.caminho)}`).sort();
    const documentadas = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(documentadas).toEqual(registradas);
  });

  it('is served publicly as JSON, version 3.1, with DTO schemas behind the request bodies', async () => {
    const res = await request(t.app).get('/openapi.json').expect(200).expect('content-type', /json/);
    expect(res.body.openapi).toBe('3.1.0');
    const schemas = res.body.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    for (const nome of ['CamposPessoaDto', 'VinculoDto', 'CamposPessoaJuridicaDto', 'Erro']) expect(schemas[nome]).toBeDefined();
    expect(Object.keys(schemas['CamposPessoaDto'].properties!)).toEqual(expect.arrayContaining(['cpf', 'nome', 'nomeSocial', 'emails']));
    const refs = JSON.stringify(res.body).match(/#\/components\/schemas\/[A-Za-z0-9]+/g) ?? [];
    expect([...new Set(refs)].filter((ref) => !schemas[ref.split('/').pop()!])).toEqual([]);
    expect(res.body.paths['/pessoas/{cpf}'].get.security).toEqual([{ bearer: [] }]);
    expect(res.body.paths['/openapi.json'].get.security).toEqual([]);
  });

  it('the docs page and its assets are public', async () => {
    const pagina = await request(t.app).get('/docs').expect(200).expect('content-type', /html/);
    expect(pagina.text).toContain('swagger-ui-bundle.js');
    await request(t.app).get('/docs/swagger-ui-bundle.js').expect(200).expect('content-type', /javascript/);
    await request(t.app).get('/docs/swagger-ui.css').expect(200).expect('content-type', /css/);
    const ini = await request(t.app).get('/docs/inicializar.js').expect(200);
    expect(ini.text).toContain('/openapi.json');
    await request(t.app).get('/docs/../package.json').expect((r) => expect([401, 403, 404]).toContain(r.status));
  });
});
