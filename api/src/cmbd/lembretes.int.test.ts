/**
 * The reminder job on real Redis (BullMQ, fresh queue name) and PostgreSQL: the schedule fires, the worker records
 * one reminder per organ that has not finished, repeated runs the same day record nothing more, and after the
 * deadline the channel becomes an official letter through SEI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue, Worker } from 'bullmq';
import type { Express } from 'express';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import type { TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { eventually } from '../../../test/support/eventually.js';
import { configDeTeste } from '../../test/helpers/app.js';
import { criarEmissorTeste } from '../../test/helpers/tokens.js';
import { criarAppCmbdDeTeste } from '../../test/helpers/cmbd.js';
import { baseValida } from './cmbd.fixtures.js';
import { agendarLembretesCmbd, criarProcessadorLembretes, criarWorkerLembretes, type ResultadoLembretes } from './lembretes.job.js';

let app: Express;
let db: TestDatabase;
let fila: Queue | undefined;
let worker: Worker<unknown, ResultadoLembretes> | undefined;
const nome = `teste-cmbd-lembretes-${randomBytes(4).toString('hex')}`;
const config = configDeTeste();
// "Today" is the tests' clock (2026-11-16, test/support/relogio.ts); the campaign's deadline a week later.
usarRelogioDosTestes();
const hoje = '2026-11-16';
const prazo = '2026-11-23';

beforeAll(async () => {
  const tokens = await criarEmissorTeste();
  ({ app, db } = await criarAppCmbdDeTeste(tokens.verificador));
  const cgm = { Authorization: `Bearer ${await tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm'] })}` };
  await request(app).put('/cmbd/orgaos/SMADS').set(cgm).send({ nome: 'Secretaria Municipal de Assistência e Desenvolvimento Social' }).expect(201);
  await request(app).put('/cmbd/orgaos/SF').set(cgm).send({ nome: 'Secretaria Municipal da Fazenda' }).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida()).expect(201);
  await request(app).post('/cmbd/campanhas').set(cgm).send({ codigo: '2026-2', prazo }).expect(201);
  await request(app).post('/cmbd/campanhas/2026-2/orgaos/SMADS/pontos-focais').set(cgm).send({ nome: 'Ana', email: 'ana@prefeitura.sp.gov.br' }).expect(201);
  // SF has no entries: it can finish; SMADS has one pending entry and does not.
  await request(app).post('/cmbd/campanhas/2026-2/orgaos/SF/conclusao').set(cgm).expect(200);
});

afterAll(async () => {
  await worker?.close();
  await fila?.obliterate({ force: true }).catch(() => undefined);
  await fila?.close();
  await db?.drop();
});

describe('the CMBD reminder job', () => {
  it('the schedule fires; the worker records one e-mail reminder for the organ not done, once per day', async () => {
    fila = await agendarLembretesCmbd(config, { nome, padrao: '* * * * * *' });
    expect((await fila.getJobSchedulers()).map((s) => s.key)).toEqual(['cmbd-lembretes-dias-uteis']);
    await agendarLembretesCmbd(config, { nome, padrao: '* * * * * *' }).then((f) => f.close());
    expect(await fila.getJobSchedulers()).toHaveLength(1);

    worker = criarWorkerLembretes(config, { dataSource: db.dataSource, logger: pino({ level: 'silent' }) }, { nome });
    const completados: ResultadoLembretes[] = [];
    worker.on('completed', (_j, r) => completados.push(r));
    await eventually(async () => expect(completados.length).toBeGreaterThanOrEqual(3), { timeoutMs: 20_000 });
    await worker.close();

    expect(completados.filter((r) => r.registrados.length > 0)).toEqual([
      { campanha: '2026-2', dia: hoje, registrados: [{ sigla: 'SMADS', destinatarios: ['ana@prefeitura.sp.gov.br'], canal: 'e-mail' }] },
    ]);
    expect(await db.dataSource.query(`SELECT sigla, to_char(dia, 'YYYY-MM-DD') AS dia, destinatarios, canal, registrado_por FROM cmbd_lembrete`)).toEqual([
      { sigla: 'SMADS', dia: hoje, destinatarios: ['ana@prefeitura.sp.gov.br'], canal: 'e-mail', registrado_por: 'lum-api-worker' },
    ]);
  }, 60_000);

  it('after the deadline the reminder is an official letter (ofício) through SEI', async () => {
    const depoisDoPrazo = '2026-11-24';
    const r = await criarProcessadorLembretes(db.dataSource, () => depoisDoPrazo)({} as never);
    expect(r).toEqual({ campanha: '2026-2', dia: depoisDoPrazo, registrados: [{ sigla: 'SMADS', destinatarios: ['ana@prefeitura.sp.gov.br'], canal: 'oficio-sei' }] });
  });

  it('no open campaign → the job records nothing', async () => {
    await db.dataSource.query(`UPDATE cmbd_campanha SET situacao = 'ENCERRADA'`);
    expect(await criarProcessadorLembretes(db.dataSource)({} as never)).toEqual({ campanha: null, registrados: [] });
  });
});
