/**
 * The in-person step of the Sala de Espera (issue 13, item 3), against a real database and Redis, with the domain
 * clock fixed at Friday 4 December 2026, 16:10 in São Paulo: a level-4 request lists the Descomplica points (sample
 * catalogue, api/src/biometria/pontos.ts) with their free slots; the citizen books (form: 303 back to the page) and
 * cancels; a full slot, a slot not offered and a second booking are refused and write nothing; the point's recording of
 * the capture (POST /biometria/capturas) marks the booking done and the account reaches level 4.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister, SEGREDO_EVENTOS_TESTE } from '../../test/helpers/eventos.js';
import { relogioFixo, usarRelogio } from '../relogio.js';
import { assinarReferencia } from './referencia.js';

let t: AppDeTeste;
let restaurar: () => void;
let descomplica: string;

beforeAll(async () => {
  restaurar = usarRelogio(relogioFixo('2026-12-04T16:10:00-03:00'));
  t = await criarAppDeTeste('sala-agendamento', { env: { KEYCLOAK_PUBLIC_URL: 'https://login.exemplo.sp.gov.br' } });
  descomplica = await t.tokens.emitir({ username: 'service-account-descomplica-biometria', roles: ['registro-biometria'], azp: 'descomplica-biometria' });
});

afterAll(async () => {
  await t?.fechar();
  restaurar?.();
});

async function conta(): Promise<{ contaId: string; cpf: string }> {
  const cpf = cpfAleatorio();
  const evento = eventoRegister(cpf);
  const corpo = JSON.stringify(evento);
  await request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(202);
  return { contaId: evento.userId, cpf };
}

/** A reference as Keycloak signs it (its lifetime on the wall clock, like token expiry). */
function referencia(c: { contaId: string; cpf: string }, nivel: number): string {
  const agora = Math.floor(Date.now() / 1000);
  return assinarReferencia(SEGREDO_EVENTOS_TESTE, JSON.stringify({
    v: 1, sub: c.contaId, cpf: c.cpf, cli: 'sf-fazenda', nom: 'Secretaria da Fazenda', org: 'fazenda', niv: nivel, dad: [], iat: agora, exp: agora + 900, jti: randomUUID(),
  }));
}

const agendamentos = async (contaId: string) => t.db.dataSource.query<Array<{ ponto: string; inicio: Date; situacao: string }>>(
  `SELECT ponto, inicio, situacao FROM agendamento_descomplica WHERE conta_id = $1 ORDER BY criado_em`, [contaId],
);
const SAO_MIGUEL_SABADO_8H = 'descomplica-sao-miguel|2026-12-05T11:00:00.000Z';

describe('booking the biometric capture from the Sala de Espera', () => {
  it('a level-4 request lists each point with its first free slots (São Paulo time); a level-3 request offers no booking', async () => {
    const c = await conta();
    const visao = (await request(t.app).get('/sala-espera/pedido').query({ ref: referencia(c, 4) }).expect(200)).body;
    expect(visao.presencial.necessario).toBe(true);
    expect(visao.presencial.agendamento).toBeNull();
    expect(visao.presencial.pontos.map((p: { id: string; horarios: Array<{ texto: string }> }) => [p.id, p.horarios.map((h) => h.texto)])).toEqual([
      ['descomplica-butanta', ['segunda-feira, 07/12, 09:00', 'segunda-feira, 07/12, 09:30', 'segunda-feira, 07/12, 10:00', 'segunda-feira, 07/12, 10:30', 'segunda-feira, 07/12, 11:00', 'segunda-feira, 07/12, 11:30']],
      ['descomplica-sao-miguel', ['sábado, 05/12, 08:00', 'sábado, 05/12, 08:30', 'sábado, 05/12, 09:00', 'sábado, 05/12, 09:30', 'sábado, 05/12, 10:00', 'sábado, 05/12, 10:30']],
      ['descomplica-santo-amaro', ['segunda-feira, 07/12, 13:00', 'segunda-feira, 07/12, 13:30', 'segunda-feira, 07/12, 14:00', 'segunda-feira, 07/12, 14:30', 'segunda-feira, 07/12, 15:00', 'segunda-feira, 07/12, 15:30']],
    ]);
    const pagina = await request(t.app).get('/sala-espera').query({ ref: referencia(c, 4) }).expect(200);
    expect(pagina.text).toContain('Agende a captura da biometria no Descomplica SP');
    expect(pagina.text).toContain(`value="${SAO_MIGUEL_SABADO_8H}"`);
    expect(pagina.text).toContain('nível 4 (biometria registrada)');
    expect(pagina.text).toContain('Agende abaixo a captura da biometria num posto do Descomplica SP.');

    const outra = await conta();
    const nivel3 = (await request(t.app).get('/sala-espera/pedido').query({ ref: referencia(outra, 3) }).expect(200)).body;
    expect(nivel3.presencial).toEqual({ necessario: false, agendamento: null, pontos: [] });
    const r = await request(t.app).post('/sala-espera/agendamento').send({ ref: referencia(outra, 3), horario: SAO_MIGUEL_SABADO_8H }).expect(422);
    expect(r.body.message).toBe('Este pedido não precisa de atendimento presencial: nada a agendar');
    expect(await agendamentos(outra.contaId)).toEqual([]);
  });

  it('book through the page\'s form (303 back, the booking shown), the full slot leaves the list, a second booking and the full slot are 409, cancel frees it', async () => {
    const a = await conta();
    const b = await conta();
    const refA = referencia(a, 4);
    const refB = referencia(b, 4);
    await request(t.app).get('/sala-espera').query({ ref: refA }).expect(200);
    await request(t.app).get('/sala-espera').query({ ref: refB }).expect(200);

    const form = await request(t.app).post('/sala-espera/agendamento').type('form').set('Accept', 'text/html').send({ ref: refA, horario: SAO_MIGUEL_SABADO_8H }).expect(303);
    expect(form.headers['location']).toBe(`/sala-espera?ref=${encodeURIComponent(refA)}&aviso=agendamento`);
    const pagina = await request(t.app).get('/sala-espera').query({ ref: refA, aviso: 'agendamento' }).expect(200);
    expect(pagina.text).toContain('Horário agendado.');
    expect(pagina.text).toContain('Agendado: <strong>Descomplica SP São Miguel (exemplo)</strong>, Endereço de exemplo, São Miguel Paulista — São Paulo/SP, <strong>sábado, 05/12, 08:00</strong>.');
    expect(pagina.text).toContain('Cancelar agendamento');
    expect(await agendamentos(a.contaId)).toEqual([{ ponto: 'descomplica-sao-miguel', inicio: new Date('2026-12-05T11:00:00Z'), situacao: 'agendado' }]);

    // São Miguel takes one booking per slot: B no longer sees Saturday 08:00, and booking it is a conflict
    const visaoB = (await request(t.app).get('/sala-espera/pedido').query({ ref: refB }).expect(200)).body;
    expect(visaoB.presencial.pontos[1].horarios[0].texto).toBe('sábado, 05/12, 08:30');
    const cheio = await request(t.app).post('/sala-espera/agendamento').send({ ref: refB, horario: SAO_MIGUEL_SABADO_8H }).expect(409);
    expect(cheio.body.message).toBe('Este horário acabou de ser preenchido: escolha outro');
    // A already has one
    const segundo = await request(t.app).post('/sala-espera/agendamento').send({ ref: refA, horario: 'descomplica-butanta|2026-12-07T12:00:00.000Z' }).expect(409);
    expect(segundo.body.message).toBe('Você já tem um horário agendado: cancele-o antes de marcar outro');
    // not offered: Sunday at Butantã, a past slot, a time off the 30-minute grid, an unknown point, an unknown field
    for (const horario of ['descomplica-butanta|2026-12-06T12:00:00.000Z', 'descomplica-butanta|2026-12-04T12:00:00.000Z', 'descomplica-butanta|2026-12-07T12:10:00.000Z']) {
      const r = await request(t.app).post('/sala-espera/agendamento').send({ ref: refB, horario }).expect(400);
      expect(r.body.details).toEqual([{ path: 'horario', message: 'Este horário não está disponível para agendamento: escolha um dos horários livres listados' }]);
    }
    await request(t.app).post('/sala-espera/agendamento').send({ ref: refB, horario: 'posto-x|2026-12-07T12:00:00.000Z' }).expect(400);
    await request(t.app).post('/sala-espera/agendamento').send({ ref: refB, horario: SAO_MIGUEL_SABADO_8H, extra: 1 }).expect(400);
    expect(await agendamentos(b.contaId)).toEqual([]);

    // A cancels (form): the slot is free again and B books it
    await request(t.app).post('/sala-espera/agendamento/cancelar').type('form').set('Accept', 'text/html').send({ ref: refA }).expect(303);
    expect((await agendamentos(a.contaId)).map((x) => x.situacao)).toEqual(['cancelado']);
    await request(t.app).post('/sala-espera/agendamento').send({ ref: refB, horario: SAO_MIGUEL_SABADO_8H }).expect(200);
    const acoes = await t.db.dataSource.query<Array<{ acao: string; ator: string }>>(
      `SELECT acao, ator FROM auditoria WHERE acao LIKE 'sala.agendamento-%' AND ator = ANY($1) ORDER BY id`, [[a.contaId, b.contaId]],
    );
    expect(acoes).toEqual([
      { acao: 'sala.agendamento-marcado', ator: a.contaId }, { acao: 'sala.agendamento-cancelado', ator: a.contaId }, { acao: 'sala.agendamento-marcado', ator: b.contaId },
    ]);
  });

  it('the point records the capture: the booking is done, the account reaches level 4 and the room says nothing is missing', async () => {
    const c = await conta();
    await t.db.dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'Pessoa Agendada', DATE '1975-05-05')`, [c.cpf]);
    const ref = referencia(c, 4);
    await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    const horario = 'descomplica-butanta|2026-12-07T12:30:00.000Z';
    await request(t.app).post('/sala-espera/agendamento').send({ ref, horario }).expect(200);
    const [{ id }] = await t.db.dataSource.query<Array<{ id: string }>>(`SELECT id::text FROM agendamento_descomplica WHERE conta_id = $1`, [c.contaId]);

    const r = await request(t.app).post('/biometria/capturas').set('Authorization', `Bearer ${descomplica}`)
      .send({ cpf: c.cpf, ponto: 'descomplica-butanta', operador: 'RF-5550001', capturadaEm: '2026-12-04T16:00:00-03:00', referenciaCaptura: 'BUT-20261204-0007' }).expect(201);
    expect(r.body).toMatchObject({ keycloakUserId: c.contaId, nivelAnterior: 1, nivel: 4, agendamentoId: id });
    expect((await agendamentos(c.contaId)).map((x) => x.situacao)).toEqual(['realizado']);

    const visao = (await request(t.app).get('/sala-espera/pedido').query({ ref }).expect(200)).body;
    expect(visao).toMatchObject({
      conta: { nivel: 4, sincronizada: false }, faltam: { nivel: false, dados: [] }, presencial: { necessario: false, agendamento: { id, situacao: 'realizado' }, pontos: [] },
    });
    // the level is not in Keycloak yet (its outbox row is pending: no worker here): the room says so and re-checks on request
    const aguardando = await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect(aguardando.text).toContain('Sua conta já atende ao serviço. A Prefeitura está atualizando seu acesso, o que leva alguns segundos.');
    expect(aguardando.text).toContain(`href="/sala-espera?ref=${encodeURIComponent(ref)}">Verificar de novo</a>`);
    expect(aguardando.text).not.toContain('Continuar para');
    expect(aguardando.text).toContain('Biometria registrada em Descomplica SP Butantã (exemplo) (segunda-feira, 07/12, 09:30).');
    // as the worker does once Keycloak has it: then "Continuar" goes through Keycloak back to the service's own address
    await t.db.dataSource.query(`UPDATE sincronizacao_saida SET situacao = 'concluida' WHERE conta_id = $1`, [c.contaId]);
    const pronta = await request(t.app).get('/sala-espera').query({ ref }).expect(200);
    expect(pronta.text).toContain('Nada: sua conta já atende ao serviço.');
    expect(pronta.text).toContain('<a class="botao" id="continuar" href="https://login.exemplo.sp.gov.br/realms/prefeitura-sp/clients/sf-fazenda/redirect">Continuar para Secretaria da Fazenda</a>');
  });
});
