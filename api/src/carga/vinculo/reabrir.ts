/**
 * End of `vinculando`: the `pendente` identities of earlier loads are looked at again when this load brought rows with
 * a CPF that may be their person (issue 11, item 4: a row without CPF held for stewards, then its person's CPF).
 *
 * A row without CPF loaded before any row of its person becomes a `pendente` identity. When its person's CPF arrives
 * in a later load, particionando's adoption handles a CPF new to the base; this step handles a CPF that already had an
 * identity — the first rows of that CPF said too little (a name and a birth date), a later one says more (the mother's
 * name, a phone). Each row of such a pendente is decided again exactly as a new row would be (every candidate identity,
 * all their rows, every guard; the pendente itself and the identities a steward separated the row from are not
 * candidates), and the pendente is merged into an identity with a CPF (`situacao = 'fundida'`) only when:
 * - every one of its rows links to that same identity, and each link is corroborated beyond the name and the birth
 *   date (a parent, the mother's CPF, a phone, an e-mail, the CPF's digits: `corroborada`) — a merge no later load
 *   undoes, like adoption;
 * - no steward touched it (no row pinned `gestor`, no steward decision naming it), no row of this load was assigned to
 *   it, and an open linkage review item of one of its rows names no other candidate than that identity.
 * Its rows move to the surviving identity with `vinculo = 'probabilistico'`, the new decision's score and comparisons
 * (`reaberta`: the pendente merged and the load that merged it); a review item of those rows is resolved
 * (`mesma-pessoa`, by the load), and open items naming the pendente as their candidate name the survivor.
 *
 * Only pendentes with a row sharing a blocking key with a row this load placed in a golden id with a CPF (by its CPF,
 * or linked by its attributes) are looked at: that is the new evidence (a pendente none of whose candidates gained a
 * row is not decided again under the load's re-estimated weights). Of those, only pendentes
 * for which one such row's golden id holds, for each of their rows, a row corroborating it (the necessary condition of
 * a merge, tested pair by pair before any scan: `corroboraveis`). As every blocking key holds the birth date and a
 * cheaper value of its rule (`sinal`: the phonetic first name, the mother's phonetic name, her CPF, the initial and
 * last name), the scans for their candidates compute keys only for rows born on their rows' days (or the day/month
 * swaps) with one of those values on that day and, for a value several rules share (the first name), one of those
 * rules' keys — not for every row born on those days, a share of the base that grows with the number of pendentes.
 */
import type pg from 'pg';
import { relogio } from '../../relogio.js';
import type { CargaEmCurso } from '../fases.js';
import { CAMPOS, comparar, NIVEIS, type Contexto, type LinhaComparavel } from './comparar.js';
import { escreverCopia, lerCopia } from './copia.js';
import { atributos, chavesRegras, chavesRegrasComTroca, compartilhaSinal, juntarChaves, lerLinha, literal, mesmaChave, sinaisComTroca, temChave, trocarDia } from './linhas.js';
import type { Modelo } from './modelo.js';
import { criarConsultas, criarPares, FUNDIDAS, percorrerPares, SEPARACOES_DE_GESTOR } from './motor.js';
import { avaliarIdentidades, corroborada, decidir, parCorrobora, type Avaliacao, type Limiares } from './pontuar.js';

/** Query rows decided per slice. */
const FATIA = 25_000;

/** Comparisons of a decision as stored in `comparacoes` (the shape `vincular` writes). */
export function descreverComparacoes(av: Avaliacao | null, candidata: string | null, motivo: string | null, lim: Limiares, segunda: { identidade: string; pontuacao: number } | null, extra: Record<string, unknown> = {}): string {
  const campos: Record<string, { nivel: string; peso: number }> = {};
  if (av !== null && candidata !== null) CAMPOS.forEach((c, i) => {
    campos[c] = { nivel: NIVEIS[c][av.niveis[i]], peso: Math.round(av.pesos[i] * 100) / 100 };
  });
  return JSON.stringify({
    ...extra,
    candidata,
    motivo,
    limiares: { vinculo: Math.round(lim.vinculo * 100) / 100, soNome: Math.round(lim.vinculoSoNome * 100) / 100, revisao: Math.round(lim.revisao * 100) / 100 },
    campos,
    segunda: segunda === null ? null : { identidade: segunda.identidade, pontuacao: Math.round(segunda.pontuacao * 100) / 100 },
  });
}

export interface ResultadoReabertura {
  /** Pendentes sharing a key with a new CPF row, none of whose identities could corroborate all their rows: not decided again. */
  readonly pendentesSemCorroboracao: number;
  readonly pendentesReexaminadas: number;
  readonly pendentesFundidas: number;
  readonly linhasMovidas: number;
  readonly revisoesResolvidas: number;
  /** Wall-clock split, for the operator: choosing the pendentes, their candidate pairs, deciding them. */
  readonly ms_reabertura_selecao?: number;
  readonly ms_reabertura_pares?: number;
  readonly ms_reabertura_decisoes?: number;
}

export async function reabrirPendentes(cliente: pg.PoolClient, carga: CargaEmCurso, modelo: Modelo, ctx: Contexto, lim: Limiares): Promise<ResultadoReabertura> {
  const cargaId = carga.id;
  const t0 = Date.now();
  const nada = { pendentesSemCorroboracao: 0, pendentesReexaminadas: 0, pendentesFundidas: 0, linhasMovidas: 0, revisoesResolvidas: 0 };
  // Pendentes of earlier loads that nobody (steward, this load) touched, their rows' keys, and their birth dates as
  // they are and swapped: every blocking key holds the birth date (equal or swapped), so only rows born on those days
  // can share a key with them — and of those, only rows sharing a rule's signal on that day (`perto`).
  await cliente.query(`DROP TABLE IF EXISTS rcand, rchave, rdata, rsinal, rfundida, rpt, rbruta, rpend`);
  const rc = await cliente.query(`
    CREATE TEMP TABLE rcand ON COMMIT DROP AS
    SELECT i.id FROM identidade i
     WHERE i.situacao = 'pendente' AND i.cpf IS NULL AND i.carga_id IS DISTINCT FROM ${cargaId}
       AND NOT EXISTS (SELECT 1 FROM linha_carga g WHERE g.identidade_id = i.id AND g.vinculo = 'gestor')
       AND NOT EXISTS (SELECT 1 FROM decisao_gestor_vinculo d WHERE i.id IN (d.identidade_a, d.identidade_b))
       AND NOT EXISTS (SELECT 1 FROM carga_staging s WHERE s.carga_id = ${cargaId} AND s.identidade_id = i.id)`);
  if ((rc.rowCount ?? 0) === 0) return nada;
  await cliente.query(`
    CREATE TEMP TABLE rchave ON COMMIT DROP AS
    SELECT l.identidade_id AS id, l.data_nascimento, v.regra, v.chave, v.dia
      FROM rcand c JOIN linha_carga l ON l.identidade_id = c.id CROSS JOIN LATERAL (${chavesRegrasComTroca('l')}) v(regra, chave, dia)
     WHERE ${temChave('v')}`);
  await cliente.query(`
    CREATE TEMP TABLE rdata ON COMMIT DROP AS
    SELECT DISTINCT d FROM rchave c CROSS JOIN LATERAL (VALUES (c.data_nascimento), (${trocarDia('c')})) t(d) WHERE d IS NOT NULL`);
  await cliente.query(`ALTER TABLE rdata ADD PRIMARY KEY (d)`);
  await cliente.query(`CREATE TEMP TABLE rsinal (sinal int NOT NULL, valor text NOT NULL, data date NOT NULL) ON COMMIT DROP`);
  await preencherSinais(cliente, 'rcand');
  await cliente.query(`ANALYZE rchave`);
  await cliente.query(`ANALYZE rdata`);
  // Those with a row sharing a key with a row this load placed in a golden id with a CPF — by its CPF or linked by
  // its attributes (the new evidence) —, with that golden id (merged identities answer for the one they were merged into).
  await cliente.query(`CREATE TEMP TABLE rfundida ON COMMIT DROP AS ${FUNDIDAS}`);
  const rt = await juntarChaves(cliente, `
    CREATE TEMP TABLE rpt ON COMMIT DROP AS
    SELECT DISTINCT k.id AS pendente, i.id AS destino
      FROM carga_staging s CROSS JOIN LATERAL (${chavesRegras('s')}) v(regra, chave, dia) JOIN rchave k ON ${mesmaChave('k', 'v')}
      LEFT JOIN rfundida f ON f.id = s.identidade_id JOIN identidade i ON i.id = COALESCE(f.destino, s.identidade_id)
     WHERE s.carga_id = ${cargaId} AND s.vinculo IN ('cpf', 'probabilistico') AND ${perto('s')}
       AND i.situacao = 'ativa' AND i.cpf IS NOT NULL`);
  if ((rt.rowCount ?? 0) === 0) return nada;
  const { candidatas, reexaminar } = await corroboraveis(cliente, carga, ctx);
  if (reexaminar.length === 0) return { ...nada, pendentesSemCorroboracao: candidatas };
  await cliente.query(`CREATE TEMP TABLE rpend (id bigint PRIMARY KEY) ON COMMIT DROP`);
  await escreverCopia(cliente, 'rpend', ['id'], reexaminar.map((id) => [id]));
  await cliente.query(`ANALYZE rpend`);
  const nReexaminadas = reexaminar.length;
  const semCorroboracao = candidatas - nReexaminadas;
  const tempos = { ms_reabertura_selecao: Date.now() - t0, ms_reabertura_pares: 0, ms_reabertura_decisoes: 0 };
  let t1 = Date.now();
  // From here on, the days of the rows looked at again.
  await cliente.query(`TRUNCATE rdata`);
  await cliente.query(`
    INSERT INTO rdata SELECT DISTINCT d FROM rchave c JOIN rpend p ON p.id = c.id
     CROSS JOIN LATERAL (VALUES (c.data_nascimento), (${trocarDia('c')})) t(d) WHERE d IS NOT NULL`);
  await cliente.query(`ANALYZE rdata`);
  await cliente.query(`TRUNCATE rsinal`);
  await preencherSinais(cliente, 'rpend');
  const n = await criarConsultas(cliente, carga.mapa.fonte, [{ origem: 'l', de: `FROM linha_carga x JOIN rpend ON rpend.id = x.identidade_id` }]);
  if (n === 0) return nada;
  await criarPares(cliente, { cargaId, incluirStaging: true, entreConsultas: false, filtroLinhaCarga: perto('l'), filtroStaging: perto('s') });
  tempos.ms_reabertura_pares = Date.now() - t1;
  t1 = Date.now();
  // Decided in slices of FATIA query rows, each slice's links written before the next is read: memory holds one
  // slice's exclusions and links, whatever the number of rows looked at again. Only corroborated links are kept (a row
  // without one blocks its pendente's merge).
  await cliente.query(`CREATE TEMP TABLE rdecisao (q int PRIMARY KEY, destino bigint NOT NULL, pontuacao real NOT NULL, comparacoes jsonb NOT NULL) ON COMMIT DROP`);
  for (let q0 = 1; q0 <= n; q0 += FATIA) {
    const q1 = Math.min(n, q0 + FATIA - 1);
    // Each query row's own pendente, and the identities a steward separated it from: never its candidates.
    const proibidas = new Map<number, Set<string>>();
    const rq = await cliente.query<{ q: number; id: string }>(`
      SELECT vq.q, l.identidade_id::text AS id FROM vq JOIN linha_carga l ON l.fonte = vq.fonte AND l.chave_fonte = vq.chave_fonte WHERE vq.q BETWEEN $1 AND $2
      UNION ALL
      SELECT vq.q, d.id::text FROM vq JOIN (${SEPARACOES_DE_GESTOR}) d ON d.fonte = vq.fonte AND d.chave = vq.chave_fonte WHERE vq.q BETWEEN $1 AND $2`, [q0, q1]);
    for (const r of rq.rows) (proibidas.get(r.q) ?? proibidas.set(r.q, new Set()).get(r.q)!).add(r.id);
    const vinculos: (string | number)[][] = [];
    for await (const g of percorrerPares(cliente, carga.mapa.fonte, [q0, q1])) {
      const d = decidir(avaliarIdentidades(modelo, ctx, g.linha, g.candidatos), lim, proibidas.get(g.q));
      if (d.tipo === 'vinculo' && corroborada(d.av)) {
        vinculos.push([g.q, d.identidade, d.av.pontuacao, descreverComparacoes(d.av, d.identidade, null, lim, d.segunda, { reaberta: true, carga: cargaId })]);
      }
    }
    await escreverCopia(cliente, 'rdecisao', ['q', 'destino', 'pontuacao', 'comparacoes'], vinculos);
  }
  tempos.ms_reabertura_decisoes = Date.now() - t1;

  // Pendentes whose every row links, corroborated, to one identity with a CPF; an open review item of one of their rows
  // may only name that identity (or a pendente since merged into it).
  await cliente.query(`
    CREATE TEMP TABLE rfusao ON COMMIT DROP AS
    WITH por_linha AS (
      SELECT l.identidade_id AS pendente, l.fonte, l.chave_fonte, d.destino
        FROM linha_carga l JOIN rpend p ON p.id = l.identidade_id
        LEFT JOIN vq ON vq.fonte = l.fonte AND vq.chave_fonte = l.chave_fonte LEFT JOIN rdecisao d ON d.q = vq.q
    )
    SELECT pendente, min(destino) AS destino FROM por_linha GROUP BY pendente
    HAVING bool_and(destino IS NOT NULL) AND count(DISTINCT destino) = 1`);
  await cliente.query(`DELETE FROM rfusao f USING identidade i WHERE i.id = f.destino AND (i.situacao <> 'ativa' OR i.cpf IS NULL)`);
  await cliente.query(`
    DELETE FROM rfusao f WHERE EXISTS (
      SELECT 1 FROM revisao_vinculo r JOIN linha_carga l ON l.fonte = r.fonte AND l.chave_fonte = r.chave_fonte
        LEFT JOIN vfundida vf ON vf.id = r.identidade_candidata
       WHERE r.situacao = 'aberta' AND l.identidade_id = f.pendente
         AND COALESCE(vf.destino, r.identidade_candidata) IS DISTINCT FROM f.destino)`);
  const nFusoes = Number((await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM rfusao`)).rows[0].n);
  if (nFusoes === 0) return { ...nada, pendentesSemCorroboracao: semCorroboracao, pendentesReexaminadas: nReexaminadas, ...tempos };

  const agora = relogio().agora().toISOString();
  const resolvidas = await cliente.query(`
    UPDATE revisao_vinculo r SET situacao = 'resolvida', resolucao = 'mesma-pessoa', responsavel = $1, resolvida_em = $2,
           justificativa = 'Resolvido pela carga: outra linha desta pessoa, com CPF, confirmou o vínculo (nome, nascimento e ' ||
                           'um dado além deles: filiação, contato ou dígitos do CPF).'
      FROM linha_carga l JOIN rfusao f ON f.pendente = l.identidade_id
     WHERE r.situacao = 'aberta' AND r.fonte = l.fonte AND r.chave_fonte = l.chave_fonte`, [`carga:${carga.mapa.fonte}:${cargaId}`, agora]);
  await cliente.query(`UPDATE revisao_vinculo r SET identidade_candidata = f.destino FROM rfusao f WHERE r.situacao = 'aberta' AND r.identidade_candidata = f.pendente`);
  const movidas = await cliente.query(`
    UPDATE linha_carga l SET identidade_id = f.destino, vinculo = 'probabilistico', pontuacao = d.pontuacao,
           comparacoes = d.comparacoes || jsonb_build_object('pendenteFundida', f.pendente::text)
      FROM rfusao f, vq, rdecisao d
     WHERE l.identidade_id = f.pendente AND vq.fonte = l.fonte AND vq.chave_fonte = l.chave_fonte AND d.q = vq.q`);
  await cliente.query(`UPDATE identidade i SET situacao = 'fundida', fundida_em = f.destino FROM rfusao f WHERE i.id = f.pendente`);
  return { pendentesSemCorroboracao: semCorroboracao, pendentesReexaminadas: nReexaminadas, pendentesFundidas: nFusoes, linhasMovidas: movidas.rowCount ?? 0, revisoesResolvidas: resolvidas.rowCount ?? 0, ...tempos };
}

/** Fills `rsinal` with the signals (`sinaisComTroca`) of the rows of the identities listed in table `ids(id)`. */
async function preencherSinais(cliente: pg.PoolClient, ids: string): Promise<void> {
  await cliente.query(`
    INSERT INTO rsinal SELECT DISTINCT v.sinal, v.valor, v.data
      FROM ${ids} c JOIN linha_carga l ON l.identidade_id = c.id CROSS JOIN LATERAL (${sinaisComTroca('l')}) v(sinal, valor, data)
     WHERE v.valor IS NOT NULL AND v.data IS NOT NULL`);
  await cliente.query(`ANALYZE rsinal`);
}

/**
 * Condition on a row (alias x) of the base or the load: it shares a blocking key with a row of the pendentes whose
 * days are in `rdata` and signals and keys in `rsinal` — born on one of their days, one of its signals on that day is
 * theirs, and so is a key of the rules sharing that signal (`compartilhaSinal`). The keys of a row are computed only
 * when it passes.
 */
const perto = (x: string) => `${x}.data_nascimento IN (SELECT d FROM rdata) AND ${compartilhaSinal(x, 'rsinal')}`;

/**
 * Of the pendentes in `rpt` (pendente, golden id of a row of this load sharing a key with one of its rows), those worth
 * deciding again: a merge needs every row of the pendente linked with corroboration, and a corroborated evaluation
 * takes its corroborating level from one pair (`parCorrobora`) — so a pendente none of whose new rows' golden ids holds,
 * for each of its rows, a row corroborating it can gain no merge from this load. Deciding it again would only cost the
 * key scans and the scoring of all its candidates (most such pendentes share only a loose key, a given name and a birth
 * date, with the new row). Streams each (pendente, identity) with the rows of both, sorted; holds one pair at a time.
 */
async function corroboraveis(cliente: pg.PoolClient, carga: CargaEmCurso, ctx: Contexto): Promise<{ candidatas: number; reexaminar: string[] }> {
  await cliente.query(`
    CREATE TEMP TABLE rbruta ON COMMIT DROP AS
    WITH d AS (SELECT DISTINCT destino FROM rpt)
    SELECT destino AS ident, destino AS bruta FROM d
    UNION ALL SELECT f.destino, f.id FROM rfundida f JOIN d ON d.destino = f.destino`);
  const consulta = `
    SELECT t.pendente, t.destino, 0 AS lado, ${atributos('l')} FROM rpt t JOIN linha_carga l ON l.identidade_id = t.pendente
    UNION ALL
    SELECT t.pendente, t.destino, 1, ${atributos('l')} FROM rpt t JOIN rbruta b ON b.ident = t.destino JOIN linha_carga l ON l.identidade_id = b.bruta
    UNION ALL
    SELECT t.pendente, t.destino, 1, ${atributos('s', literal(carga.mapa.fonte))}
      FROM rpt t JOIN rbruta b ON b.ident = t.destino JOIN carga_staging s ON s.carga_id = ${carga.id} AND s.identidade_id = b.bruta
    ORDER BY 1, 2, 3`;
  const todas = new Set<string>();
  const aceitas = new Set<string>();
  let chave = '';
  let pendente = '';
  let proprias: LinhaComparavel[] = [];
  let dela: LinhaComparavel[] = [];
  const fechar = () => {
    if (proprias.length > 0 && proprias.every((p) => dela.some((t) => parCorrobora(comparar(p, t, ctx))))) aceitas.add(pendente);
  };
  for await (const c of lerCopia(cliente, consulta)) {
    const k = `${c[0]}|${c[1]}`;
    if (k !== chave) {
      fechar();
      chave = k;
      pendente = c[0] ?? '';
      todas.add(pendente);
      proprias = [];
      dela = [];
    }
    (c[2] === '0' ? proprias : dela).push(lerLinha(c, 3));
  }
  fechar();
  return { candidatas: todas.size, reexaminar: [...aceitas] };
}
