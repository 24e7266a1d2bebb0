/**
 * Sala de Espera, API side (issue 13), against a real database and Redis: the page and routes behind the signed
 * reference, CNS validation, uploads (type sniffed, size limit, stored outside the database), who may read what, and
 * the organ's review queue through to the level recomputed and the outbox row that takes it to Keycloak.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister, SEGREDO_EVENTOS_TESTE } from '../../test/helpers/eventos.js';
import { assinarReferencia } from './referencia.js';

let t: AppDeTeste;
let dir: string;
let gestorSaude: string;
let gestorFazenda: string;

/** A minimal PNG (signature + IHDR), and a PDF header: enough for file-type to recognise them. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sala-docs-'));
  t = await criarAppDeTeste('sala', { env: { LUM_SALA_DOCUMENTOS_DIR: dir } });
  gestorSaude = await t.tokens.emitir({ username: 'gestora.saude', roles: ['gestor-saude', 'servidor'], azp: 'sms-saude' });
  gestorFazenda = await t.tokens.emitir({ username: 'gestor.fazenda', roles: ['gestor-fazenda', 'servidor'], azp: 'sf-fazenda' });
});

afterAll(async () => {
  await t?.fechar();
  rmSync(dir, { recursive: true, force: true });
});

/** A registered account (through the real events endpoint): level 1, no master record. */
async function conta(): Promise<{ contaId: string; cpf: string }> {
  const cpf = cpfAleatorio();
  const evento = eventoRegister(cpf);
  const corpo = JSON.stringify(evento);
  await request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(202);
  return { contaId: evento.userId, cpf };
}

/** A reference as Keycloak's authenticator signs it (same fields, same order), valid now. */
function referencia(c: { contaId: string; cpf: string }, o: { cliente?: string; nome?: string; orgao?: string; nivel?: number; dados?: string[]; iat?: number; exp?: number } = {}): string {
  const agora = Math.floor(Date.now() / 1000);
  return assinarReferencia(SEGREDO_EVENTOS_TESTE, JSON.stringify({
    v: 1, sub: c.contaId, cpf: c.cpf, cli: o.cliente ?? 'sms-saude', nom: o.nome ?? 'Saúde — Secretaria Municipal da Saúde (SMS)', org: o.orgao ?? 'saude',
    niv: o.nivel ?? 3, dad: o.dados ?? ['cns'], iat: o.iat ?? agora, exp: o.exp ?? agora + 900, jti: randomUUID(),
  }));
}

const pedidos = async (contaId: string) => t.db.dataSource.query<Array<{ id: string; situacao: string; dados_informados: Record<string, string>; motivo: string | null }>>(
  `SELECT id::text, situacao, dados_informados, motivo FROM pedido_sala WHERE conta_id = $1 ORDER BY criado_em`, [contaId],
);
const documentos = async () => (await t.db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM documento_sala`))[0].n;

describe('the citizen side, behind the signed reference', () => {
  it('the page says which service asked, what is missing and why, in pt-BR, and opens one request', async () => {
    const c = await conta();
    const ref = referencia(c);
    const res = await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('<html lang="pt-BR">');
    expect(res.text).toContain('Saúde — Secretaria Municipal da Saúde (SMS)');
    expect(res.text).toContain('Número SUS (Cartão Nacional de Saúde — CNS)');
    expect(res.text).toContain('nível 3 (identidade conferida no cadastro da Prefeitura)');
    expect(res.text).toContain('sua conta está no nível 1 (conta criada)');
    expect(res.text).toContain('Aguardando você');
    await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect((await pedidos(c.contaId)).map((p) => p.situacao)).toEqual(['aguardando-cidadao']);
  });

  it('a tampered or expired reference is refused with a pt-BR message and opens nothing', async () => {
    const c = await conta();
    const ref = referencia(c);
    const adulterada = `${Buffer.from(Buffer.from(ref.split('.')[0], 'base64url').toString().replace('"niv":3', '"niv":1')).toString('base64url')}.${ref.split('.')[1]}`;
    const r1 = await request(t.app).get('/sala-espera').set('Accept', 'text/html').query({ ref: adulterada }).expect(401);
    expect(r1.text).toContain('Referência da Sala de Espera inválida ou adulterada');
    const agora = Math.floor(Date.now() / 1000);
    const vencida = referencia(c, { iat: agora - 1000, exp: agora - 100 });
    const r2 = await request(t.app).get('/sala-espera').set('Accept', 'text/html').query({ ref: vencida }).expect(401);
    expect(r2.text).toContain('Referência da Sala de Espera expirada');
    await request(t.app).get('/sala-espera/pedido').query({ ref: adulterada }).expect(401);
    await request(t.app).post('/sala-espera/dados').send({ ref: vencida, cns: '123456789010000' }).expect(401);
    expect(await pedidos(c.contaId)).toEqual([]);
  });

  it('the CNS is checked by its digits: a wrong one is a pt-BR 400 that writes nothing; a right one is kept and shown masked', async () => {
    const c = await conta();
    const ref = referencia(c);
    await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200);
    const errado = await request(t.app).post('/sala-espera/dados').send({ ref, cns: '123456789010001' }).expect(400);
    expect(errado.body).toMatchObject({ error: 'DadosInvalidos', message: 'Número SUS (CNS) inválido: confira os 15 dígitos no seu Cartão SUS' });
    await request(t.app).post('/sala-espera/dados').send({ ref, nis: '12345678900' }).expect(400); // Saúde did not ask for it
    await request(t.app).post('/sala-espera/dados').send({ ref, cns: '123456789010000', outro: 1 }).expect(400);
    expect((await pedidos(c.contaId))[0].dados_informados).toEqual({});
    const ok = await request(t.app).post('/sala-espera/dados').send({ ref, cns: '1234 5678 9010 000' }).expect(200);
    expect(ok.body.pedido.dadosInformados).toEqual({ cns: '•••••••••••0000' });
    expect((await pedidos(c.contaId))[0].dados_informados).toEqual({ cns: '123456789010000' });
    // the page's form: a redirect back to the page with the notice
    const form = await request(t.app).post('/sala-espera/dados').type('form').set('Accept', 'text/html').send({ ref, cns: '123456789010000' }).expect(303);
    expect(form.headers['location']).toBe(`/sala-espera?ref=${encodeURIComponent(ref)}&aviso=dados`);
  });

  it('uploads: a wrong type or an oversized file is a clear pt-BR error and stores nothing; a PNG is stored outside the database', async () => {
    const c = await conta();
    const ref = referencia(c);
    await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200);
    const antes = { linhas: await documentos(), arquivos: readdirSync(dir).length };
    const texto = await request(t.app).post('/sala-espera/documentos').field('ref', ref).attach('documento', Buffer.from('isto não é um PDF'), { filename: 'rg.pdf', contentType: 'application/pdf' }).expect(400);
    expect(texto.body.message).toBe('Tipo de arquivo não aceito: envie um PDF, JPEG ou PNG (o conteúdo do arquivo é conferido, não só o nome)');
    const grande = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    const r413 = await request(t.app).post('/sala-espera/documentos').field('ref', ref).attach('documento', grande, { filename: 'rg.pdf', contentType: 'application/pdf' }).expect(413);
    expect(r413.body.error).toBe('PayloadGrande');
    expect({ linhas: await documentos(), arquivos: readdirSync(dir).length }).toEqual(antes);
    const ok = await request(t.app).post('/sala-espera/documentos').field('ref', ref).attach('documento', PNG, { filename: 'rg frente.png', contentType: 'image/png' }).expect(200);
    expect(ok.body.pedido.documentos).toEqual([expect.objectContaining({ tipo: 'image/png', tamanho: PNG.length, nomeOriginal: 'rg frente.png' })]);
    expect({ linhas: await documentos(), arquivos: readdirSync(dir).length }).toEqual({ linhas: antes.linhas + 1, arquivos: antes.arquivos + 1 });
    const [linha] = await t.db.dataSource.query<Array<{ colunas: string[] }>>(`SELECT array_agg(column_name::text ORDER BY column_name) AS colunas FROM information_schema.columns WHERE table_name = 'documento_sala'`);
    expect(linha.colunas).not.toContain('conteudo'); // the bytes are not in a row
    const baixado = await request(t.app).get(`/sala-espera/documentos/${ok.body.pedido.documentos[0].id as string}`).query({ ref }).expect(200);
    expect(Buffer.compare(baixado.body as Buffer, PNG)).toBe(0);
    expect(baixado.headers['content-disposition']).toMatch(/^attachment/);
  });

  it('citizen A can never read or change B\'s request or documents', async () => {
    const a = await conta();
    const b = await conta();
    const refA = referencia(a);
    const refB = referencia(b);
    const doc = await request(t.app).post('/sala-espera/documentos').field('ref', refA).attach('documento', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(doc.status).toBe(404); // no open request yet: the page opens it
    await request(t.app).get('/sala-espera/pedido').query({ ref: refA }).expect(200);
    const docA = await request(t.app).post('/sala-espera/documentos').field('ref', refA).attach('documento', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).expect(200);
    const idA = docA.body.pedido.documentos[0].id as string;
    await request(t.app).get('/sala-espera/pedido').query({ ref: refB }).expect(200);
    const r = await request(t.app).get(`/sala-espera/documentos/${idA}`).query({ ref: refB }).expect(404);
    expect(r.body.message).toBe('Documento não encontrado');
    const visaoB = await request(t.app).get('/sala-espera/pedido').query({ ref: refB }).expect(200);
    expect(visaoB.body.pedido.documentos).toEqual([]);
    // B's writes land on B's request only
    await request(t.app).post('/sala-espera/dados').send({ ref: refB, cns: '700000000000005' }).expect(200);
    expect((await pedidos(a.contaId))[0].dados_informados).toEqual({});
  });
});

describe('the organ\'s review queue', () => {
  it('a Saúde steward lists, claims and approves with evidence: the record is created through Entrada Única, the level is recomputed (3), the outbox row takes level and CNS to Keycloak, all audited; Fazenda never sees it', async () => {
    const c = await conta();
    const ref = referencia(c);
    await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200);
    await request(t.app).post('/sala-espera/dados').send({ ref, cns: '123456789010000' }).expect(200);
    const up = await request(t.app).post('/sala-espera/documentos').field('ref', ref).attach('documento', PNG, { filename: 'rg.png', contentType: 'image/png' }).expect(200);
    expect(up.body.pedido.situacao).toBe('em-analise');
    const docId = up.body.pedido.documentos[0].id as string;
    const { id } = (await pedidos(c.contaId))[0];

    const fila = await request(t.app).get('/sala-espera/fila').set('Authorization', `Bearer ${gestorSaude}`).expect(200);
    expect(fila.body.pedidos.map((p: { id: string }) => p.id)).toContain(id);
    const daFazenda = await request(t.app).get('/sala-espera/fila').set('Authorization', `Bearer ${gestorFazenda}`).expect(200);
    expect(daFazenda.body.pedidos.map((p: { id: string }) => p.id)).not.toContain(id);
    await request(t.app).get(`/sala-espera/fila/${id}`).set('Authorization', `Bearer ${gestorFazenda}`).expect(404);
    await request(t.app).get(`/sala-espera/fila/${id}/documentos/${docId}`).set('Authorization', `Bearer ${gestorFazenda}`).expect(404);
    const cidadao = await t.tokens.cidadao(c.cpf);
    await request(t.app).get('/sala-espera/fila').set('Authorization', `Bearer ${cidadao}`).expect(403);

    const detalhe = await request(t.app).get(`/sala-espera/fila/${id}`).set('Authorization', `Bearer ${gestorSaude}`).expect(200);
    expect(detalhe.body).toMatchObject({ cpf: c.cpf, dadosInformados: { cns: '123456789010000' }, situacao: 'em-analise' });
    const doc = await request(t.app).get(`/sala-espera/fila/${id}/documentos/${docId}`).set('Authorization', `Bearer ${gestorSaude}`).expect(200);
    expect(Buffer.compare(doc.body as Buffer, PNG)).toBe(0);

    const evidencia = { descricao: 'RG conferido com a foto e o CNS do cartão', documentos: [docId] };
    const semAssumir = await request(t.app).post(`/sala-espera/fila/${id}/aprovar`).set('Authorization', `Bearer ${gestorSaude}`).send({ evidencia }).expect(409);
    expect(semAssumir.body.message).toBe('Assuma o pedido antes de respondê-lo');
    await request(t.app).post(`/sala-espera/fila/${id}/assumir`).set('Authorization', `Bearer ${gestorSaude}`).send({}).expect(200);
    const semPessoa = await request(t.app).post(`/sala-espera/fila/${id}/aprovar`).set('Authorization', `Bearer ${gestorSaude}`).send({ evidencia }).expect(422);
    expect(semPessoa.body.message).toBe('Não há registro com este CPF no cadastro base: informe pessoa.nome e pessoa.dataNascimento conferidos no documento');
    const aprovado = await request(t.app).post(`/sala-espera/fila/${id}/aprovar`).set('Authorization', `Bearer ${gestorSaude}`)
      .send({ evidencia, pessoa: { nome: 'Ana Souza', dataNascimento: '1990-04-12' } }).expect(200);
    expect(aprovado.body).toMatchObject({ situacao: 'aprovado', nivel: 3, sincronizacao: { jobId: expect.any(String) } });

    const [contaRow] = await t.db.dataSource.query<Array<{ nivel_confianca: number; pessoa_cpf: string }>>(`SELECT nivel_confianca, pessoa_cpf FROM conta WHERE keycloak_user_id = $1`, [c.contaId]);
    expect(contaRow).toEqual({ nivel_confianca: 3, pessoa_cpf: c.cpf });
    const [pessoa] = await t.db.dataSource.query<Array<{ nome: string }>>(`SELECT nome FROM pessoa WHERE cpf = $1`, [c.cpf]);
    expect(pessoa).toEqual({ nome: 'Ana Souza' });
    const evs = await t.db.dataSource.query<Array<{ tipo: string; registrado_por: string }>>(`SELECT tipo, registrado_por FROM evidencia WHERE conta_id = $1`, [c.contaId]);
    expect(evs).toEqual([{ tipo: 'documento-conferido-orgao', registrado_por: 'gestora.saude' }]);
    const saidas = await t.db.dataSource.query<Array<{ motivo: string; situacao: string }>>(`SELECT motivo, situacao FROM sincronizacao_saida WHERE conta_id = $1 ORDER BY criado_em`, [c.contaId]);
    expect(saidas.at(-1)).toEqual({ motivo: 'nivel', situacao: 'pendente' });
    const acoes = await t.db.dataSource.query<Array<{ acao: string }>>(
      `SELECT acao FROM auditoria WHERE detalhe->>'pedidoId' = $1 OR (acao = 'sala.fila-lida' AND detalhe->'pedidos' ? $1) ORDER BY id`, [id],
    );
    expect(new Set(acoes.map((a) => a.acao))).toEqual(new Set([
      'sala.pedido-aberto', 'sala.pedido-lido', 'sala.dados-informados', 'sala.documento-enviado', 'sala.fila-lida', 'sala.pedido-lido-gestor', 'sala.documento-lido', 'sala.pedido-assumido', 'sala.pedido-aprovado',
    ]));

    // the citizen sees the answer with the same reference
    const visao = await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200);
    expect(visao.body).toMatchObject({ pedido: { id, situacao: 'aprovado' }, conta: { nivel: 3, dadosVerificados: ['cns'] }, faltam: { nivel: false, dados: [] } });
  });

  it('a rejected request shows the steward\'s reason on the citizen\'s page; asking for more reopens it to the citizen', async () => {
    const c = await conta();
    const ref = referencia(c);
    await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200);
    const { id } = (await pedidos(c.contaId))[0];
    await request(t.app).post(`/sala-espera/fila/${id}/assumir`).set('Authorization', `Bearer ${gestorSaude}`).send({}).expect(200);
    await request(t.app).post(`/sala-espera/fila/${id}/complementar`).set('Authorization', `Bearer ${gestorSaude}`).send({ motivo: 'A foto do RG está ilegível; envie outra.' }).expect(200);
    const complementar = await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect(complementar.text).toContain('O órgão pediu mais informações');
    expect(complementar.text).toContain('A foto do RG está ilegível; envie outra.');
    await request(t.app).post(`/sala-espera/fila/${id}/recusar`).set('Authorization', `Bearer ${gestorSaude}`).send({ motivo: 'x' }).expect(400);
    await request(t.app).post(`/sala-espera/fila/${id}/recusar`).set('Authorization', `Bearer ${gestorSaude}`).send({ motivo: 'O CNS informado pertence a outra pessoa.' }).expect(200);
    const pagina = await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect(pagina.text).toContain('Recusado');
    expect(pagina.text).toContain('O CNS informado pertence a outra pessoa.');
    expect((await pedidos(c.contaId)).map((p) => [p.situacao, p.motivo])).toEqual([['recusado', 'O CNS informado pertence a outra pessoa.']]);
    const auditoria = await t.db.dataSource.query<Array<{ acao: string; ator: string }>>(`SELECT acao, ator FROM auditoria WHERE acao IN ('sala.pedido-recusado', 'sala.complementacao-solicitada') AND detalhe->>'pedidoId' = $1 ORDER BY id`, [id]);
    expect(auditoria).toEqual([{ acao: 'sala.complementacao-solicitada', ator: 'gestora.saude' }, { acao: 'sala.pedido-recusado', ator: 'gestora.saude' }]);
  });
});
