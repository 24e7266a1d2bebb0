/**
 * Phase `particionando` (issue 11, item 4): among this load's rows with a valid CPF, decide which carry a CPF that
 * is not the person's own, and which new CPFs belong to a person already held as `pendente` (adoption).
 *
 * A row's CPF is someone else's (`cpf_de_outra_pessoa = true`; the row then goes to attribute matching) when:
 * 1. it equals the row's own mother's or father's CPF (`cpf = cpf_mae`, `cpf = cpf_pai`);
 * 2. the CPF is known as the mother's CPF of this same person: another row (this load or an earlier one) with
 *    `cpf_mae` = this CPF has this row's birth date and first name (a child's row carrying the mother's CPF, whose
 *    own rows name her);
 * 3. the rows of the CPF — this load's, earlier loads' and the master record's (`pessoa`) — describe more than one
 *    person (birth dates that are not variants of one another or years a generation apart, other first names, or a
 *    row whose mother's name is another row's name, or contained in it on another birth date — a person is not her
 *    own mother): the owner's rows are those of the master record, else of the earlier loads' owner, else the parent
 *    of another group (its name is that group's mother's name), else the older person when the gap is of a
 *    generation, else the group with most rows; every other row is marked. Rows of earlier loads are never re-marked here (loads never move loaded rows).
 *    Before that, one case where the master record is not the owner's (`retirarCpfDoResponsavel`): it was made only from
 *    a minor's rows of sources that register minors under a guardian's CPF, and this load brings the minor's mother's
 *    own row under the CPF (or a relative's a generation older, sharing a surname) — the CPF leaves the minor's golden
 *    id (which keeps its id) and goes to her.
 * 4. it reads exactly as a row an earlier load placed by another CPF, while its CPF's other rows bear other names and
 *    one of them reads exactly as a row of a third CPF: two persons who each own another CPF share this one
 *    (`marcarLidasComoOutroCpf`).
 * 5. the load's source may register a minor under a guardian's CPF (the mapping's `cpfDoResponsavel`), the row is of
 *    a person under 18 on the load's observation date, its CPF is new to the base, and it reads exactly as a row an
 *    earlier load of a source that does not placed by another CPF: that CPF is the person's own, so this one is the
 *    guardian's (`marcarCpfDoResponsavel`).
 *    5b. The reverse order, seen from the child: a CPF new to the base, in a load of a source without that flag, whose
 *    minor's row reads exactly as the rows of a golden id whose CPF only such rows of a minor placed — that CPF leaves
 *    the golden id as in step 3a (`retirarCpfPeloProprio`).
 * Adoption: a CPF that is not yet in `identidade` whose rows match (same thresholds and guards as `vincular`, and
 * corroborated beyond the name and birth date: `corroborada`) one and only one `pendente` identity, which no other new
 * CPF claims, gets that identity in its staged rows'
 * `identidade_id`: `fundir` then gives the pendente the CPF, and the person's golden id does not change.
 */
import type pg from 'pg';
import { COLUNAS_INSERT_AUDITORIA, valoresAuditoria } from '../../auditoria/auditoria.service.js';
import type { CargaEmCurso, ExecutarFase } from '../fases.js';
import { comparar, NIVEIS, type Contexto, type LinhaComparavel } from './comparar.js';
import { lerCopia, escreverCopia } from './copia.js';
import { modeloDaCarga } from './estimar.js';
import { chaveData, chavesRegras, chavesRegrasComTroca, compartilhaSinal, juntarChaves, mesmaChave, sinaisComTroca, temChave } from './linhas.js';
import { analisarBase, criarConsultas, criarPares, percorrerPares } from './motor.js';
import { criarContexto, criarFonetica, INDICE_CAMPO } from './modelo.js';
import { avaliarIdentidades, corroborada, decidir, limiares } from './pontuar.js';

const NASC_OK = new Set([NIVEIS.nascimento.indexOf('igual'), NIVEIS.nascimento.indexOf('trocado'), NIVEIS.nascimento.indexOf('um-campo')]);
const PRENOME_DIFERENTE = NIVEIS.prenome.indexOf('diferente');
const I_PRENOME = INDICE_CAMPO.prenome;
const I_NASC = INDICE_CAMPO.nascimento;
/** Years between two persons sharing a CPF from which the older is taken for the parent (a generation). */
const ANOS_GERACAO = 12;
/** Query rows of the adoption decided per slice. */
const FATIA_ADOCAO = 25_000;

/**
 * "The group holds two different non-null values of column `x`": `count(DISTINCT x) > 1` written as `min <> max`
 * (NULLs skipped by both; under a deterministic collation two values sort equal only when they are equal). Unlike
 * `count(DISTINCT …)`, which needs the rows sorted by group, min and max let PostgreSQL aggregate by hashing: step 3's
 * pass sorted every row of the load's CPFs and their earlier rows (60 MB for SIGA's load at 1 M rows; on disk when
 * that exceeds work_mem).
 */
const maisDeUm = (x: string) => `coalesce(min(${x}) <> max(${x}), false)`;

interface LinhaCpf {
  readonly origem: 's' | 'l' | 'p';
  readonly linha: number | null;
  readonly nome: string | null;
  readonly nascimento: string | null;
  readonly mae: string | null;
  readonly comparavel: LinhaComparavel;
}

/**
 * Birth years a generation apart: under one CPF, never one person's dates with a typo (the issue: "one CPF, birth
 * dates decades apart, is not one person") — though one field apart, as a daughter born on her mother's birthday is
 * (2004-03-09 / 2024-03-09).
 */
const geracaoDeDistancia = (a: string, b: string) => Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))) >= ANOS_GERACAO;

/** Splits one CPF's rows into persons and returns the staged rows (linha) that are not the owner's. */
function linhasDeOutraPessoa(linhas: readonly LinhaCpf[], ctx: Contexto): number[] {
  // Greedy grouping: a row joins the first group one of whose rows it is compatible with, and none of whose rows is
  // its mother or its child (a row naming another's person as its mother: MARIA SILVA GONCALVES born 2024-05-03,
  // mother MARIA BEATRIZ OLIVEIRA SILVA, is not her mother born 1982-05-03, though one name and one date field differ).
  // The mother's name as the child's row wrote it is the mother's row's name, or that name with words left out (a
  // married name appended: MARIA SILVA FERNANDES / MARIA SILVA FERNANDES MACHADO), on rows born on other dates (a
  // woman's own rows may name a mother whose name hers contains: MARIA SILVA FERNANDES, daughter of MARIA SILVA).
  const contido = (curto: string, longo: string) => {
    const a = curto.split(' ');
    const b = longo.split(' ');
    let j = 0;
    for (const w of a) {
      while (j < b.length && b[j] !== w) j += 1;
      if (j === b.length) return false;
      j += 1;
    }
    return a[0] === b[0];
  };
  const maeDe = (filho: LinhaCpf, mae: LinhaCpf) =>
    filho.mae !== null && mae.nome !== null && (filho.mae === mae.nome || (filho.nascimento !== mae.nascimento && contido(filho.mae, mae.nome)));
  const grupos: LinhaCpf[][] = [];
  for (const l of linhas) {
    const g = grupos.find(
      (gr) =>
        gr.some((o) => {
          const v = comparar(l.comparavel, o.comparavel, ctx);
          const nascOk = l.nascimento === null || o.nascimento === null || (NASC_OK.has(v[I_NASC]) && !geracaoDeDistancia(l.nascimento, o.nascimento));
          return nascOk && v[I_PRENOME] !== PRENOME_DIFERENTE;
        }) && !gr.some((o) => maeDe(l, o) || maeDe(o, l)),
    );
    if (g) g.push(l);
    else grupos.push([l]);
  }
  if (grupos.length < 2) return [];
  const ano = (g: LinhaCpf[]) => Math.min(...g.map((l) => (l.nascimento ? Number(l.nascimento.slice(0, 4)) : 9999)));
  let dono: LinhaCpf[] | undefined = grupos.find((g) => g.some((l) => l.origem === 'p'));
  if (!dono) {
    const comAnteriores = grupos.filter((g) => g.some((l) => l.origem === 'l'));
    if (comAnteriores.length > 0) dono = comAnteriores.sort((a, b) => b.filter((l) => l.origem === 'l').length - a.filter((l) => l.origem === 'l').length || ano(a) - ano(b))[0];
  }
  if (!dono) {
    // A group whose name is another group's mother's name is that group's parent.
    const nomes = (g: LinhaCpf[]) => new Set(g.map((l) => l.nome).filter((n): n is string => n !== null));
    const maes = (g: LinhaCpf[]) => new Set(g.map((l) => l.mae).filter((n): n is string => n !== null));
    const pais = grupos.filter((g) => grupos.some((o) => o !== g && [...nomes(g)].some((n) => maes(o).has(n))));
    if (pais.length === 1) dono = pais[0];
  }
  if (!dono) {
    const porIdade = [...grupos].sort((a, b) => ano(a) - ano(b));
    if (ano(porIdade[1]) - ano(porIdade[0]) >= ANOS_GERACAO) dono = porIdade[0];
    else dono = [...grupos].sort((a, b) => b.length - a.length || ano(a) - ano(b))[0];
  }
  return grupos.filter((g) => g !== dono).flatMap((g) => g.filter((l) => l.origem === 's' && l.linha !== null).map((l) => l.linha!));
}

export const particionar: ExecutarFase = async (cliente, carga) => {
  const t0 = Date.now();
  const cargaId = carga.id;
  if (!/^\d+$/.test(cargaId)) throw new Error(`carga inválida: ${cargaId}`);
  const fonte = carga.mapa.fonte;
  await cliente.query(`SET LOCAL work_mem = '64MB'`);
  // Planner statistics of the tables earlier loads grew (see `analisarBase`).
  await analisarBase(cliente, ['carga_staging', 'linha_carga', 'identidade', 'pessoa']);
  const dono = `s.carga_id = ${cargaId} AND s.triagem = 'base-unica' AND NOT s.cpf_de_outra_pessoa`;

  // 1. the row's own parent's CPF
  const r1 = await cliente.query(`UPDATE carga_staging s SET cpf_de_outra_pessoa = true WHERE ${dono} AND (s.cpf = s.cpf_mae OR s.cpf = s.cpf_pai)`);

  // 2. the CPF is this person's mother's CPF according to another row of the same person
  await cliente.query(`
    CREATE TEMP TABLE pmae ON COMMIT DROP AS
    SELECT DISTINCT o.cpf_mae, o.cpf, ${chaveData('o')} AS d, split_part(o.bloco_nome, ' ', 1) AS p FROM (
      SELECT cpf_mae, cpf, data_nascimento, bloco_nome FROM carga_staging WHERE carga_id = ${cargaId} AND cpf_mae IS NOT NULL
      UNION ALL
      SELECT l.cpf_mae, l.cpf, l.data_nascimento, l.bloco_nome FROM linha_carga l
       WHERE l.cpf_mae IS NOT NULL AND l.cpf_mae IN (SELECT s.cpf FROM carga_staging s WHERE ${dono})
    ) o WHERE o.data_nascimento IS NOT NULL AND o.bloco_nome IS NOT NULL`);
  const r2 = await cliente.query(`
    UPDATE carga_staging s SET cpf_de_outra_pessoa = true
      FROM (SELECT DISTINCT s.linha FROM carga_staging s JOIN pmae o ON o.cpf_mae = s.cpf
             WHERE ${dono} AND s.data_nascimento IS NOT NULL AND o.d = ${chaveData('s')}
               AND o.p = split_part(s.bloco_nome, ' ', 1)) m
     WHERE s.carga_id = ${cargaId} AND s.linha = m.linha`);

  // 3. CPFs whose rows describe more than one person
  // In the same pass, the CPFs whose rows are written under more than one name (step 4 looks only at those).
  await cliente.query(`
    CREATE TEMP TABLE pcpfnomes ON COMMIT DROP AS
    WITH c AS (SELECT DISTINCT s.cpf FROM carga_staging s WHERE ${dono}),
    d AS (
      SELECT s.cpf, ${chaveData('s')} AS d, split_part(s.bloco_nome, ' ', 1) AS p, s.nome_chave AS n FROM carga_staging s WHERE ${dono} AND s.data_nascimento IS NOT NULL
      UNION ALL
      SELECT l.cpf, ${chaveData('l')}, split_part(l.bloco_nome, ' ', 1), l.nome_chave FROM linha_carga l JOIN c ON c.cpf = l.cpf
       WHERE l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa AND l.data_nascimento IS NOT NULL
      UNION ALL
      SELECT p.cpf, ${chaveData('p')}, NULL, NULL FROM pessoa p JOIN c ON c.cpf = p.cpf
    )
    SELECT cpf, ${maisDeUm('d')} OR ${maisDeUm('p')} AS conflito FROM d GROUP BY cpf
    HAVING ${maisDeUm('d')} OR ${maisDeUm('p')} OR ${maisDeUm('n')}`);
  await cliente.query(`CREATE TEMP TABLE pcpf ON COMMIT DROP AS SELECT cpf FROM pcpfnomes WHERE conflito`);
  // 3a. a CPF the base holds for a minor only because a guardian-CPF source registered the minor under it, now claimed
  // by the minor's mother's own row: the CPF leaves the minor's golden id before the CPF's rows are split below.
  const t3a = Date.now();
  const retirados = await retirarCpfDoResponsavel(cliente, carga, dono);
  const tRetirar = Date.now() - t3a;
  // Without frequencies yet: two different first names are never taken for a typo of one another here.
  const ctxGrupos: Contexto = { fonetica: criarFonetica(), nomeEstabelecido: () => false };
  const marcar: number[] = [];
  let conflitantes = 0;
  let grupo: LinhaCpf[] = [];
  let cpfAtual: string | null = null;
  const fechar = () => {
    if (grupo.length > 0) {
      conflitantes += 1;
      marcar.push(...linhasDeOutraPessoa(grupo, ctxGrupos));
    }
    grupo = [];
  };
  const cols = (x: string) => `${x}.nome_chave, ${x}.nome_mae_chave, to_char(${x}.data_nascimento, 'YYYY-MM-DD'), ${x}.sexo::text`;
  for await (const c of lerCopia(cliente, `
      SELECT s.cpf, 's', s.linha, ${cols('s')} FROM carga_staging s JOIN pcpf USING (cpf) WHERE ${dono}
      UNION ALL
      SELECT l.cpf, 'l', NULL, ${cols('l')} FROM linha_carga l JOIN pcpf USING (cpf) WHERE l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa
      UNION ALL
      SELECT p.cpf, 'p', NULL, p.nome_busca, p.nome_mae_busca, to_char(p.data_nascimento, 'YYYY-MM-DD'), NULL FROM pessoa p JOIN pcpf USING (cpf)
      ORDER BY 1, 2, 3`)) {
    if (c[0] !== cpfAtual) {
      fechar();
      cpfAtual = c[0];
    }
    const nomeNorm = (n: string | null) => (n === null ? null : n.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z ]+/g, ' ').trim().replace(/\s+/g, ' ') || null);
    const nome = nomeNorm(c[3]);
    const mae = nomeNorm(c[4]);
    grupo.push({
      origem: c[1] as 's' | 'l' | 'p',
      linha: c[2] === null ? null : Number(c[2]),
      nome,
      nascimento: c[5],
      mae,
      comparavel: { fonte: '', nome: nome?.split(' ') ?? null, mae: mae?.split(' ') ?? null, pai: null, nascimento: c[5], sexo: c[6], municipio: null, cpfMae: null, telefone: null, email: null, cpf: null },
    });
  }
  fechar();
  if (marcar.length > 0) {
    await cliente.query(`UPDATE carga_staging s SET cpf_de_outra_pessoa = true WHERE s.carga_id = $1 AND s.linha = ANY($2::int[])`, [cargaId, marcar]);
  }
  // 4. rows that read as another CPF's person, under a CPF shared by persons who each own another
  const t4 = Date.now();
  const r4 = await marcarLidasComoOutroCpf(cliente, cargaId, dono);
  const tLidas = Date.now() - t4;
  // 5. a minor's row carrying a guardian's CPF, in a source that registers minors so
  const t5 = Date.now();
  const r5 = await marcarCpfDoResponsavel(cliente, cargaId, dono);
  const tResponsavel = Date.now() - t5;
  // 5b. the child's own CPF, from a source without the flag, where a golden id holds the child under a guardian's CPF
  const t5b = Date.now();
  const retiradosPeloProprio = await retirarCpfPeloProprio(cliente, carga, dono);
  const tPeloProprio = Date.now() - t5b;
  const tMarcar = Date.now() - t0;

  // 6. adoption of pendente identities by new CPFs
  const t1 = Date.now();
  const adocao = await adotarPendentes(cliente, cargaId, fonte);
  return {
    cpfDaMaeNaLinha: r1.rowCount ?? 0,
    cpfDaMaeDeOutraLinha: r2.rowCount ?? 0,
    cpfsComMaisDeUmaPessoa: conflitantes,
    linhasDeOutraPessoaPorGrupo: marcar.length,
    linhasLidasComoOutroCpf: r4,
    cpfDoResponsavelDeMenor: r5,
    cpfsDoResponsavelRetirados: retirados,
    cpfsDoResponsavelRetiradosPeloProprio: retiradosPeloProprio,
    ...adocao,
    ms_marcar: tMarcar,
    ms_lidas_como_outro_cpf: tLidas,
    ms_cpf_do_responsavel: tResponsavel,
    ms_cpf_retirado: tRetirar,
    ms_cpf_retirado_pelo_proprio: tPeloProprio,
    ms_adocao: Date.now() - t1,
  };
};

/**
 * Step 4: a CPF shared by persons who each own another CPF is none of theirs. A staged row is marked when
 * (a) it reads exactly — the name, birth date and mother's name as keyed — as a row an earlier load placed by another
 *     CPF (that person's own, as far as the base knows);
 * (b) its CPF has other rows (earlier loads' or this load's, placed by it), none with its name; and
 * (c) one of those reads exactly as a row placed by yet another CPF (an earlier load's or this load's), not the one the
 *     row reads as.
 * Twins whose rows both carry their mother's CPF (the mother's own row not loaded yet), each with her own CPF in other
 * rows: the rows of that CPF read as one person with a given name dropped (MARIA BEATRIZ DO MARTINS BRAGANÇA / MARIA DO
 * MARTINS BRAGANÇA, 1,000,000 generated persons, seed 83), which step 3 cannot tell from one person's rows — only the
 * other CPFs' rows can. Without (c), a person's own row with a given name dropped would be taken for her twin's, whose
 * name it then reads as (the twins guard sends such a row to review: a true pair lost).
 * Earlier loads' rows are never re-marked (loads never move loaded rows); the marked row goes to attribute matching.
 */
async function marcarLidasComoOutroCpf(cliente: pg.PoolClient, cargaId: string, dono: string): Promise<number> {
  const propria = (x: string) => `${x}.triagem = 'base-unica' AND NOT ${x}.cpf_de_outra_pessoa AND ${x}.identidade_id IS NOT NULL`;
  const mesma = (a: string, b: string) => `${a}.nome_chave = ${b}.nome_chave AND ${a}.data_nascimento = ${b}.data_nascimento AND ${a}.nome_mae_chave = ${b}.nome_mae_chave`;
  // The rows of the CPFs written under more than one name (step 3's pass): this load's ('s', by line; `tid` to mark
  // them without another scan of the staging table), then earlier loads' ('l', by source and key) of the CPFs (a)
  // keeps, with the three keys (a row missing one reads exactly as no other: NULL = NULL is not true).
  const varias = await cliente.query(`
    CREATE TEMP TABLE pvarias ON COMMIT DROP AS
    SELECT s.cpf, 's'::text AS origem, s.linha::text AS ref, s.ctid AS tid, s.nome_chave, s.data_nascimento, s.nome_mae_chave
      FROM carga_staging s JOIN pcpfnomes USING (cpf) WHERE ${dono}`);
  if ((varias.rowCount ?? 0) === 0) return 0;
  await cliente.query(`ANALYZE pvarias`);
  // (a) first, for this load's rows only: one pass over the base, hashed on them. Only the CPFs of the rows it finds
  // are looked at further, so the earlier loads' rows of the others are never read (at 10 M rows, fetching them for
  // every CPF written under two names, and hashing them with the base, cost minutes per load).
  // pvarias rows (`onde`) that read exactly as a row an earlier load placed by another CPF, with that CPF.
  const lidasNaBase = (onde: string) => `
    SELECT DISTINCT v.cpf, v.origem, v.ref, l.cpf AS outro, 'l'::text AS por FROM pvarias v JOIN linha_carga l ON ${mesma('l', 'v')}
     WHERE ${onde} AND l.cpf <> v.cpf AND ${propria('l')}`;
  const lidas = await juntarChaves(cliente, `CREATE TEMP TABLE plidas ON COMMIT DROP AS ${lidasNaBase('true')}`);
  if ((lidas.rowCount ?? 0) === 0) return 0;
  // Analysed, here and below, for the joins that read them (unanalysed, a temp table is taken for a few rows).
  await cliente.query(`ANALYZE plidas`);
  // Their CPFs' rows earlier loads placed: for (b), and for (c) below.
  await cliente.query(`
    INSERT INTO pvarias
    SELECT l.cpf, 'l', l.fonte || ':' || l.chave_fonte, NULL, l.nome_chave, l.data_nascimento, l.nome_mae_chave
      FROM linha_carga l WHERE l.cpf IN (SELECT cpf FROM plidas) AND ${propria('l')}`);
  await cliente.query(`ANALYZE pvarias`);
  // (a) and (b): this load's rows so read, no other row of their CPF bearing their name — the rows (a) found first,
  // then (b) on them alone: the planner cannot tell how few rows the anti-join keeps (a row always finds itself), and
  // joined its output with plidas row by row (53 M comparisons at 3 M rows).
  await cliente.query(`
    CREATE TEMP TABLE pa ON COMMIT DROP AS
    SELECT DISTINCT v.cpf, v.ref, v.tid, v.nome_chave FROM plidas e JOIN pvarias v USING (cpf, origem, ref) WHERE e.origem = 's'`);
  await cliente.query(`ANALYZE pa`);
  const cand = await cliente.query(`
    CREATE TEMP TABLE pcandidata ON COMMIT DROP AS
    SELECT a.cpf, a.ref, a.tid FROM pa a
     WHERE NOT EXISTS (SELECT 1 FROM pvarias o WHERE o.cpf = a.cpf AND NOT (o.origem = 's' AND o.ref = a.ref) AND o.nome_chave = a.nome_chave)`);
  if ((cand.rowCount ?? 0) === 0) return 0;
  await cliente.query(`ANALYZE pcandidata`);
  // (c): another row of the CPF reads as another CPF's row. This load's rows were read against the base above; now the
  // earlier loads' rows of the candidates' CPFs (a few) against the base, then all their rows against this load's.
  await juntarChaves(cliente, `INSERT INTO plidas ${lidasNaBase(`v.origem = 'l' AND v.cpf IN (SELECT cpf FROM pcandidata)`)}`);
  await juntarChaves(cliente, `
    INSERT INTO plidas
    SELECT DISTINCT v.cpf, v.origem, v.ref, s.cpf, 's' FROM pvarias v JOIN carga_staging s ON ${mesma('s', 'v')}
     WHERE v.cpf IN (SELECT cpf FROM pcandidata) AND ${dono} AND s.cpf <> v.cpf`);
  await cliente.query(`ANALYZE plidas`);
  // Two persons: the other row reads as a CPF that is not the one the candidate reads as (a person whose rows all carry
  // her mother's CPF, save those of her own, reads as that one CPF on both sides: her own rows are hers).
  const tids = await cliente.query<{ tid: string }>(`
    SELECT DISTINCT c.tid::text AS tid FROM pcandidata c JOIN plidas e ON e.cpf = c.cpf AND e.origem = 's' AND e.ref = c.ref AND e.por = 'l'
     WHERE EXISTS (SELECT 1 FROM plidas o WHERE o.cpf = c.cpf AND NOT (o.origem = 's' AND o.ref = c.ref) AND o.outro <> e.outro)`);
  if (tids.rows.length === 0) return 0;
  const r = await cliente.query(`UPDATE carga_staging SET cpf_de_outra_pessoa = true WHERE ctid = ANY($1::tid[]) AND carga_id = ${cargaId}`, [tids.rows.map((t) => t.tid)]);
  return r.rowCount ?? 0;
}

/**
 * Step 5: a minor's row whose CPF is a guardian's. In a load whose source may register a minor under the CPF of the
 * mother, father or guardian (`carga.cpf_do_responsavel`, from the mapping), a row is marked when
 * (a) the person is under 18 on the load's observation date (`observado_em`, São Paulo's calendar);
 * (b) its CPF is new to the base (no identity): nothing loaded so far, nor any master record, is that CPF's — so no
 *     other step can see that its person is not the CPF's owner; and
 * (c) it reads exactly — the name, birth date and mother's name as keyed — as a row an earlier load of a source that
 *     does not register minors so placed by another CPF: that CPF is this person's own, and a person has one CPF; and
 * (d) the load holds no row of the same mother and birthday under another name (twins: one twin's own row with a given
 *     name dropped reads as the other, whose own CPF may be the new one).
 * Without it, a child's row carrying the CPF of a mother who is in no source yet makes that CPF's golden record with
 * the child's name and birth date (generated data, 300,000 persons: 1,319 such rows; some of their children have their
 * own CPF in an earlier load). The reverse order — the guardian's-CPF row loaded before the child's own CPF — is undone
 * by step 3a when the mother's own row comes, and by step 5b when the child's own CPF comes from a source without the
 * flag (loaded rows never move: the CPF leaves the golden id). The other CPF is found through the master records (name and birth date, by
 * index) and then read on its loaded rows, so the cost follows the load's candidate rows, not the size of the base.
 * The marked row goes to attribute matching, carrying that CPF as its guardian's (`cpfMaeEfetivo`).
 */
async function marcarCpfDoResponsavel(cliente: pg.PoolClient, cargaId: string, dono: string): Promise<number> {
  // (a), (b): the candidate rows, with the search key of their name (the master records' `nome_busca`).
  const cand = await cliente.query(`
    CREATE TEMP TABLE presp ON COMMIT DROP AS
    SELECT s.linha, s.cpf, lum_chave_busca(s.nome) AS busca, s.nome_chave, s.data_nascimento, s.nome_mae_chave
      FROM carga_staging s JOIN carga c ON c.id = s.carga_id
     WHERE c.cpf_do_responsavel AND ${dono}
       AND ${menorNaCarga('s', 'c')}
       AND s.nome IS NOT NULL AND s.nome_chave IS NOT NULL AND s.nome_mae_chave IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM identidade i WHERE i.cpf = s.cpf) AND NOT EXISTS (SELECT 1 FROM pessoa p WHERE p.cpf = s.cpf)`);
  if ((cand.rowCount ?? 0) === 0) return 0;
  await cliente.query(`ANALYZE presp`);
  // (d): not when the load holds a sibling born the same day — a row of that mother and birthday under another name.
  // Twins: MARIA JULIANA's own row written without JULIANA reads exactly as her twin MARIA's, whose own CPF is then
  // new; the load that brings MARIA's CPF often brings MARIA JULIANA's row too (1,000,000 generated persons, seed 29).
  await tirarComIrmaoDoMesmoDia(cliente, 'presp', cargaId);
  // (c): per candidate (LATERAL … LIMIT 1: index probes, never a scan of the base), a master record of another CPF with
  // its name and birth date, one of whose rows, from a load of a source that does not register minors so, reads as it.
  const r = await cliente.query(`
    UPDATE carga_staging s SET cpf_de_outra_pessoa = true
      FROM (SELECT x.linha FROM presp x CROSS JOIN LATERAL (
              SELECT 1 FROM pessoa p JOIN linha_carga l ON l.cpf = p.cpf JOIN carga o ON o.id = l.carga_id
               WHERE p.nome_busca = x.busca AND p.data_nascimento = x.data_nascimento AND p.cpf <> x.cpf
                 AND l.nome_chave = x.nome_chave AND l.data_nascimento = x.data_nascimento AND l.nome_mae_chave = x.nome_mae_chave
                 AND l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa AND NOT o.cpf_do_responsavel
               LIMIT 1) e) m
     WHERE s.carga_id = ${cargaId} AND s.linha = m.linha`);
  return r.rowCount ?? 0;
}

/**
 * Step 3a: the reverse order of step 5 — a minor's row carrying a guardian's CPF was loaded first, while that CPF was
 * new to the base, so the CPF's golden id and master record were made with the minor's name and birth date; now the
 * CPF's owner, the minor's mother, comes with her own row. Left alone, step 3 would take the master record for the
 * CPF's owner and set her row apart: the mother would get a golden id without her CPF, and her CPF — the key of her
 * Gov.br login — would keep pointing at her child's record. The CPF leaves the minor's golden id when
 * (a) this load's row under the CPF is an adult's (18 or more on the load's observation date);
 * (b) a row placed by the CPF names it as the mother — same first word, a surname in common (a married name often
 *     replaces or follows the last one) — and was born a generation later (`ANOS_GERACAO`) (evidence `linha-da-mae`);
 *     or, when no row names it so (the mother's name missing on the minor's rows, or the guardian is not the mother:
 *     a father, a grandmother), every row placed by the CPF was born a generation later, under another first name, and
 *     one of them shares a surname with the adult, in its own name or in its mother's name (evidence
 *     `linha-de-familiar`). An adult who shares no surname with the minor or the minor's mother is left apart (the
 *     adult's row may be the one in error);
 * (c) every row that placed the CPF is a minor's (on its own load's observation date), in that golden id, from a load
 *     of a source that registers minors under a guardian's CPF (`carga.cpf_do_responsavel`): no other source ever
 *     vouched for the CPF being the minor's;
 * (d) the master record is the loads' work alone — every provenance value written by a load from one of those rows —
 *     and nobody acted on it: no account, evidence, consent, knowledge check or waiting-room request under the CPF, no
 *     review item on it (a steward's decision is never undone by a load).
 * Then, in this phase's transaction (killed midway, nothing is left half done): the minor's rows keep their golden id
 * and are marked as carrying someone else's CPF (`cpf_de_outra_pessoa`, with problem `cpf-do-responsavel`); the golden
 * id keeps its id and loses the CPF (`pendente`: a person without a CPF — adoption, step 6, gives it the minor's own
 * CPF when a load brings it); the master record is deleted and every value of it kept in the history as `descartado`,
 * its decision saying why (`retirada`); one audit row per CPF. `fundir` then makes the mother's golden id and record
 * from her rows, as for a CPF new to the base. Returns the number of CPFs so handed back.
 */
async function retirarCpfDoResponsavel(cliente: pg.PoolClient, carga: CargaEmCurso, dono: string): Promise<number> {
  // Per adult row, over the rows that placed the CPF in its golden id: does one name the adult as the mother; is every
  // one a generation younger under another first name; does one share a surname with the adult (its own name's or
  // its mother's). A row without a birth date or name cannot be shown younger: the rule then needs the mother's name.
  const geracao = `coalesce(date_part('year', l.data_nascimento) - date_part('year', s.data_nascimento) >= ${ANOS_GERACAO}, false)`;
  await cliente.query(`
    CREATE TEMP TABLE pretirar ON COMMIT DROP AS
    SELECT i.id AS identidade, i.cpf, CASE WHEN bool_or(x.mae) THEN 'linha-da-mae' ELSE 'linha-de-familiar' END AS evidencia
      FROM carga_staging s JOIN pcpf USING (cpf) JOIN carga c ON c.id = s.carga_id JOIN identidade i ON i.cpf = s.cpf AND i.situacao = 'ativa'
     CROSS JOIN LATERAL (
         SELECT coalesce(bool_or(split_part(l.nome_mae_chave, ' ', 1) = split_part(s.nome_chave, ' ', 1)
                    AND (string_to_array(l.nome_mae_chave, ' '))[2:] && (string_to_array(s.nome_chave, ' '))[2:] AND ${geracao}), false) AS mae,
                coalesce(bool_and(${geracao} AND coalesce(split_part(l.nome_chave, ' ', 1) <> split_part(s.nome_chave, ' ', 1), false)), false) AS todas_mais_novas,
                coalesce(bool_or((string_to_array(s.nome_chave, ' '))[2:]
                    && ((string_to_array(l.nome_chave, ' '))[2:] || coalesce((string_to_array(l.nome_mae_chave, ' '))[2:], '{}'::text[]))), false) AS sobrenome
           FROM linha_carga l WHERE l.cpf = s.cpf AND l.identidade_id = i.id AND l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa) x
     WHERE ${dono} AND s.data_nascimento IS NOT NULL AND NOT (${menorNaCarga('s', 'c')}) AND s.nome_chave IS NOT NULL
       AND (x.mae OR (x.todas_mais_novas AND x.sobrenome))
     GROUP BY i.id, i.cpf`);
  await manterSoDeMenorSinalizado(cliente);
  return devolverCpfs(cliente, carga);
}

/**
 * Keeps in `pretirar` (identidade, cpf) the CPFs that meet conditions (c) and (d) of step 3a. Applied to the few CPFs
 * the cheap conditions found, after ANALYZE, so that each guard is a few index probes per CPF into the loaded rows,
 * the provenance and the citizen's tables. Written in one statement with the cheap conditions, step 3a took 4.9 s and
 * step 5b 5.4 s in the EOL load at 1 M rows (official run of 66455a3).
 */
async function manterSoDeMenorSinalizado(cliente: pg.PoolClient): Promise<void> {
  await cliente.query(`ANALYZE pretirar`);
  await cliente.query(`DELETE FROM pretirar alvo WHERE NOT (${soDeMenorSinalizado('alvo.cpf', 'alvo.identidade')})`);
}

/** São Paulo's calendar date of load `c`'s observation, 18 years back, is before row `linha`'s birth date: a minor. */
const menorNaCarga = (linha: string, c: string) =>
  `${linha}.data_nascimento > ((${c}.observado_em AT TIME ZONE 'America/Sao_Paulo')::date - interval '18 years')`;

/**
 * Conditions (c) and (d) of step 3a on CPF `cpf` held by golden id `id`: every row that placed the CPF is a minor's of a
 * flagged source's load, in that golden id; the master record is the loads' work from those rows alone; nobody acted
 * under the CPF; no review item on it.
 */
const soDeMenorSinalizado = (cpf: string, id: string) => `
      NOT EXISTS (
        SELECT 1 FROM linha_carga l JOIN carga o ON o.id = l.carga_id
         WHERE l.cpf = ${cpf} AND l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa
           AND NOT coalesce(o.cpf_do_responsavel AND l.identidade_id = ${id} AND ${menorNaCarga('l', 'o')}, false))
      AND NOT EXISTS (
        SELECT 1 FROM valor_campo v WHERE v.entidade = 'pessoa' AND v.chave = ${cpf}
           AND NOT EXISTS (SELECT 1 FROM linha_carga l WHERE l.cpf = ${cpf} AND l.identidade_id = ${id} AND l.chave_fonte = v.chave_fonte
                              AND v.tipo_ator = 'carga' AND v.ator LIKE ('carga:%:' || l.carga_id)))
      AND NOT EXISTS (SELECT 1 FROM conta k WHERE k.pessoa_cpf = ${cpf} OR k.cpf_declarado = ${cpf})
      AND NOT EXISTS (SELECT 1 FROM evidencia k WHERE k.pessoa_cpf = ${cpf})
      AND NOT EXISTS (SELECT 1 FROM historico_consentimento k WHERE k.pessoa_cpf = ${cpf})
      AND NOT EXISTS (SELECT 1 FROM verificacao_conhecimento k WHERE k.pessoa_cpf = ${cpf})
      AND NOT EXISTS (SELECT 1 FROM pedido_sala k WHERE k.cpf = ${cpf})
      AND NOT EXISTS (SELECT 1 FROM revisao r WHERE r.entidade = 'pessoa' AND r.chave = ${cpf})`;

/** What showed a CPF held by a minor's golden id to be a guardian's (steps 3a and 5b). */
type EvidenciaRetirada = 'linha-da-mae' | 'linha-de-familiar' | 'cpf-proprio-do-menor';

/**
 * Takes each CPF of temporary table `pretirar` (identidade, cpf, evidencia) from its golden id, as step 3a describes;
 * `evidencia` (an `EvidenciaRetirada`) says what showed the CPF was a guardian's. Drops `pretirar`; returns how many CPFs.
 */
async function devolverCpfs(cliente: pg.PoolClient, carga: CargaEmCurso): Promise<number> {
  const cargaId = carga.id;
  const retirados = (await cliente.query<{ identidade: string; cpf: string; evidencia: EvidenciaRetirada }>(
    `SELECT identidade::text, cpf, evidencia FROM pretirar ORDER BY cpf`)).rows;
  if (retirados.length > 0) {
    const retirada = `jsonb_build_object('retirada', jsonb_build_object('carga', ${cargaId}, 'motivo', 'cpf-do-responsavel', 'evidencia', r.evidencia, 'identidade', r.identidade))`;
    await cliente.query(`
      UPDATE linha_carga l SET cpf_de_outra_pessoa = true,
             problemas = coalesce(l.problemas, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('campo', 'cpf', 'codigo', 'cpf-do-responsavel', 'valor', 'carga ${cargaId}'))
        FROM pretirar r WHERE l.cpf = r.cpf AND l.identidade_id = r.identidade AND NOT l.cpf_de_outra_pessoa`);
    await cliente.query(`
      UPDATE valor_campo v SET estado = 'descartado', decisao = v.decisao || ${retirada}
        FROM pretirar r WHERE v.entidade = 'pessoa' AND v.chave = r.cpf AND v.estado <> 'descartado'`);
    await cliente.query(`DELETE FROM pessoa p USING pretirar r WHERE p.cpf = r.cpf`);
    await cliente.query(`UPDATE identidade i SET cpf = NULL, situacao = 'pendente' FROM pretirar r WHERE i.id = r.identidade`);
    for (const r of retirados) {
      await cliente.query(`INSERT INTO auditoria (${COLUNAS_INSERT_AUDITORIA}) VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb)`, valoresAuditoria({
        ator: carga.iniciadaPor,
        acao: 'carga.cpf-retirado',
        pessoaCpf: r.cpf,
        campos: ['cpf'],
        cliente: null,
        finalidade: 'carga-em-lote',
        detalhe: { carga: cargaId, fonte: carga.mapa.fonte, identidade: r.identidade, motivo: 'cpf-do-responsavel', evidencia: r.evidencia },
      }));
    }
  }
  await cliente.query(`DROP TABLE pretirar`);
  return retirados.length;
}

/**
 * Step 5b: the reverse order of step 5, seen from the child's side — the child's own CPF comes, new to the base, in a
 * load of a source that does NOT register minors under a guardian's CPF, and the child's row reads exactly (name, birth
 * date and mother's name as keyed) as the rows of a golden id whose CPF only a guardian-CPF source's rows of a minor
 * ever placed: that CPF is not the child's (a person has one), so it leaves the golden id as in step 3a (same
 * conditions (c) and (d)), and adoption (step 6) may then give the golden id the child's own CPF. Step 5 trusts a
 * source without the flag over one with it; this is the same trust, the other way round. Not when a sibling born the
 * same day is known — in this load (as step 5's (d)) or as a master record (same mother's name and birth date, another
 * name): twins' rows written without a given name read as each other. Index probes per candidate (master records by
 * name and birth date, then by mother's name), no scan of the base.
 */
async function retirarCpfPeloProprio(cliente: pg.PoolClient, carga: CargaEmCurso, dono: string): Promise<number> {
  const cargaId = carga.id;
  const cand = await cliente.query(`
    CREATE TEMP TABLE pproprio ON COMMIT DROP AS
    SELECT s.linha, s.cpf, lum_chave_busca(s.nome) AS busca, lum_chave_busca(s.nome_mae) AS busca_mae, s.nome_chave, s.data_nascimento, s.nome_mae_chave
      FROM carga_staging s JOIN carga c ON c.id = s.carga_id
     WHERE NOT c.cpf_do_responsavel AND ${dono} AND ${menorNaCarga('s', 'c')}
       AND s.nome IS NOT NULL AND s.nome_chave IS NOT NULL AND s.nome_mae IS NOT NULL AND s.nome_mae_chave IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM identidade i WHERE i.cpf = s.cpf) AND NOT EXISTS (SELECT 1 FROM pessoa p WHERE p.cpf = s.cpf)`);
  if ((cand.rowCount ?? 0) === 0) {
    await cliente.query(`DROP TABLE pproprio`);
    return 0;
  }
  await cliente.query(`ANALYZE pproprio`);
  await tirarComIrmaoDoMesmoDia(cliente, 'pproprio', cargaId);
  await cliente.query(`
    CREATE TEMP TABLE pretirar ON COMMIT DROP AS
    SELECT i.id AS identidade, min(i.cpf) AS cpf, 'cpf-proprio-do-menor'::text AS evidencia FROM pproprio x
      CROSS JOIN LATERAL (SELECT p.cpf FROM pessoa p WHERE p.nome_busca = x.busca AND p.data_nascimento = x.data_nascimento AND p.cpf <> x.cpf) p
      JOIN identidade i ON i.cpf = p.cpf AND i.situacao = 'ativa'
     WHERE EXISTS (
             SELECT 1 FROM linha_carga l WHERE l.cpf = p.cpf AND l.identidade_id = i.id AND l.triagem = 'base-unica' AND NOT l.cpf_de_outra_pessoa
                AND l.nome_chave = x.nome_chave AND l.data_nascimento = x.data_nascimento AND l.nome_mae_chave = x.nome_mae_chave)
       AND NOT EXISTS (
             SELECT 1 FROM pessoa t WHERE t.nome_mae_busca = x.busca_mae AND t.data_nascimento = x.data_nascimento AND t.nome_busca <> x.busca)
     GROUP BY i.id HAVING count(DISTINCT x.cpf) = 1`);
  await cliente.query(`DROP TABLE pproprio`);
  await manterSoDeMenorSinalizado(cliente);
  return devolverCpfs(cliente, carga);
}

/**
 * Deletes from candidate table `tabela` (linha, data_nascimento, nome_mae_chave, nome_chave) the rows whose load holds
 * a row of the same mother and birthday under another name: a sibling born the same day (steps 5 (d) and 5b).
 */
async function tirarComIrmaoDoMesmoDia(cliente: pg.PoolClient, tabela: 'presp' | 'pproprio', cargaId: string): Promise<void> {
  await cliente.query(`
    DELETE FROM ${tabela} x USING (
      SELECT DISTINCT p.linha FROM ${tabela} p JOIN carga_staging s ON s.data_nascimento = p.data_nascimento AND s.nome_mae_chave = p.nome_mae_chave
       WHERE s.carga_id = ${cargaId} AND s.nome_chave IS DISTINCT FROM p.nome_chave) g
     WHERE x.linha = g.linha`);
}

async function adotarPendentes(cliente: pg.PoolClient, cargaId: string, fonte: string): Promise<Record<string, number>> {
  const t0 = Date.now();
  const pend = await cliente.query(`CREATE TEMP TABLE ppend ON COMMIT DROP AS SELECT id FROM identidade WHERE situacao = 'pendente'`);
  if ((pend.rowCount ?? 0) === 0) return { adotadas: 0 };
  await cliente.query(`ALTER TABLE ppend ADD PRIMARY KEY (id)`);
  // Query rows: owners' rows of CPFs new to the base that share a blocking key with a row of a pendente identity.
  await cliente.query(`
    CREATE TEMP TABLE pchave ON COMMIT DROP AS
    SELECT DISTINCT v.regra, v.chave, v.dia FROM linha_carga l JOIN ppend ON ppend.id = l.identidade_id
     CROSS JOIN LATERAL (${chavesRegrasComTroca('l')}) v(regra, chave, dia) WHERE ${temChave('v')}`);
  // Keys only for the staged rows that share a key with a pendente's row, its birth date as it is or swapped
  // (`compartilhaSinal`: a rule's cheaper value on that day first, then the keys of the rules sharing it); most rows of
  // a load do not.
  await cliente.query(`
    CREATE TEMP TABLE psinal ON COMMIT DROP AS
    SELECT DISTINCT v.sinal, v.valor, v.data FROM linha_carga l JOIN ppend ON ppend.id = l.identidade_id
     CROSS JOIN LATERAL (${sinaisComTroca('l')}) v(sinal, valor, data) WHERE v.valor IS NOT NULL AND v.data IS NOT NULL`);
  await cliente.query(`ANALYZE psinal`);
  await juntarChaves(cliente, `
    CREATE TEMP TABLE plinha ON COMMIT DROP AS
    SELECT DISTINCT x.linha FROM carga_staging x CROSS JOIN LATERAL (${chavesRegras('x')}) v(regra, chave, dia) JOIN pchave k ON ${mesmaChave('k', 'v')}
     WHERE x.carga_id = ${cargaId} AND x.triagem = 'base-unica' AND NOT x.cpf_de_outra_pessoa AND x.identidade_id IS NULL
       AND ${compartilhaSinal('x', 'psinal')}`);
  const n = await criarConsultas(cliente, fonte, [
    {
      origem: 's',
      de: `FROM carga_staging x JOIN plinha USING (linha) WHERE x.carga_id = ${cargaId} AND NOT EXISTS (SELECT 1 FROM identidade i WHERE i.cpf = x.cpf)`,
    },
  ]);
  if (n === 0) return { adotadas: 0, consultasAdocao: 0 };
  // Wall-clock split, for the operator: the query rows (keys), the model (estimated here when this is the load's first
  // linkage phase), the candidate pairs, the decisions.
  const tempos: Record<string, number> = { ms_adocao_consultas: Date.now() - t0 };
  let t = Date.now();
  const modelo = await modeloDaCarga(cliente, cargaId, fonte);
  tempos.ms_adocao_modelo = Date.now() - t;
  t = Date.now();
  const lim = limiares(Number((await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM identidade WHERE situacao <> 'fundida'`)).rows[0].n) + n, modelo.origemM.fonte === 'rotulos');
  await criarPares(cliente, { cargaId, incluirStaging: false, entreConsultas: false, filtroLinhaCarga: `l.identidade_id IN (SELECT id FROM ppend)` });
  tempos.ms_adocao_pares = Date.now() - t;
  t = Date.now();
  const ctx = criarContexto(modelo.tfPrenome);
  // Per query row, the pendente it links to ('?': torn between two), in slices of FATIA_ADOCAO rows written to a
  // temporary table before the next slice is read (memory does not grow with the load); the choice is then SQL.
  await cliente.query(`CREATE TEMP TABLE pescolha (cpf char(11) NOT NULL, escolha text NOT NULL) ON COMMIT DROP`);
  for (let q0 = 1; q0 <= n; q0 += FATIA_ADOCAO) {
    const q1 = Math.min(n, q0 + FATIA_ADOCAO - 1);
    const cpfDe = new Map<number, string>();
    for (const r of (await cliente.query<{ q: number; cpf: string }>(`SELECT q, cpf FROM vq WHERE q BETWEEN $1 AND $2`, [q0, q1])).rows) cpfDe.set(r.q, r.cpf);
    const escolhas: [string, string][] = [];
    for await (const g of percorrerPares(cliente, fonte, [q0, q1])) {
      const d = decidir(avaliarIdentidades(modelo, ctx, g.linha, g.candidatos), lim);
      const cpf = cpfDe.get(g.q)!;
      // Adoption gives the pendente a CPF for good: a link resting on the name and birth date alone (a homonym's
      // row fits it as well) does not adopt; a row torn between two pendentes forbids it.
      if (d.tipo === 'vinculo' && corroborada(d.av)) escolhas.push([cpf, d.identidade]);
      else if (d.tipo === 'revisao' && d.motivo === 'ambiguo') escolhas.push([cpf, '?']);
    }
    await escreverCopia(cliente, 'pescolha', ['cpf', 'escolha'], escolhas);
  }
  // A CPF whose rows chose one and the same pendente, which no other CPF chose.
  await cliente.query(`
    CREATE TEMP TABLE padocao ON COMMIT DROP AS
    WITH por_cpf AS (
      SELECT cpf, min(escolha) AS escolha FROM pescolha GROUP BY cpf HAVING count(DISTINCT escolha) = 1 AND bool_and(escolha <> '?')
    )
    SELECT min(cpf) AS cpf, escolha::bigint AS identidade FROM por_cpf GROUP BY escolha HAVING count(*) = 1`);
  await cliente.query(`
    UPDATE carga_staging s SET identidade_id = a.identidade FROM padocao a
     WHERE s.carga_id = $1 AND s.triagem = 'base-unica' AND NOT s.cpf_de_outra_pessoa AND s.cpf = a.cpf`, [cargaId]);
  const nAdotadas = Number((await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM padocao`)).rows[0].n);
  tempos.ms_adocao_decisoes = Date.now() - t;
  return { consultasAdocao: n, adotadas: nAdotadas, limiarAdocao: Math.round(lim.vinculo * 100) / 100, ...tempos };
}
