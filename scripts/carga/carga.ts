/**
 * `npm run carga -- --fonte NOME --arquivo ARQUIVO [--observado-em ISO] [--fontes DIR] [--linhas-por-lote N]` — loads
 * one source file into the Cadastro Base (api/src/carga/executar-carga.ts), or resumes its unfinished load (same
 * source, same file content). Progress on stderr (a bar on a terminal, plain lines otherwise); at the end, the
 * diagnosis on stdout: a pt-BR summary table, then the JSON.
 *
 * Database: DATABASE_URL, as the API (api/src/config.ts). Migrations are not applied here (the API does not apply
 * them either): `npm start` or `npm run migration:run` does.
 * Exit codes: 0 loaded; 1 the load failed (message on stderr; resumable unless it says otherwise); 2 usage.
 */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ErroCarga, executarCarga, lerObservadoEm } from '../../api/src/carga/executar-carga.js';
import { cpfsDevolvidosAoTitular, type DiagnosticoCarga } from '../../api/src/carga/diagnostico.js';
import { descreverIlegiveis } from '../../api/src/carga/gestao/categorias.js';
import type { AoProgresso, Fase } from '../../api/src/carga/fases.js';
import { loadConfig } from '../../api/src/config.js';
import { criarDataSource } from '../../api/src/db/data-source.js';
import { relogioDaConfig, usarRelogio } from '../../api/src/relogio.js';
import { executarCli } from './executar.js';

const USO = 'uso: npm run carga -- --fonte NOME --arquivo ARQUIVO [--observado-em DATA_ISO] [--fontes DIR] [--linhas-por-lote N]';

const fmt = (x: number) => x.toLocaleString('pt-BR');

function duracao(segundos: number): string {
  if (!Number.isFinite(segundos)) return '?';
  if (segundos < 60) return `${segundos.toFixed(1).replace('.', ',')} s`;
  const s = Math.round(segundos);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Progress on stderr: a cli-progress bar on a terminal, otherwise one plain line when a phase starts and every 10 s;
 * in both, one line when a phase ends, with its duration (and rate, for `lendo`).
 */
function criarProgresso(): { aoProgresso: AoProgresso; parar(concluida: boolean): void } {
  let fase: Fase | null = null;
  let inicio = 0;
  let ultimaLinha = 0;
  let feitasNaFase = 0;
  const taxa = (feitas: number) => feitas / Math.max((Date.now() - inicio) / 1000, 1e-3);
  const barra = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: '{fase} |{bar}| {value}/{total} linhas · {taxa} linhas/s · ETA {eta_formatted}', hideCursor: true, etaBuffer: 100, fps: 5 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const encerrarFase = () => {
    if (fase === null) return;
    barra?.stop();
    const segundos = (Date.now() - inicio) / 1000;
    const ritmo = fase === 'lendo' ? ` (${fmt(feitasNaFase)} linhas, ${fmt(Math.round(taxa(feitasNaFase)))} linhas/s)` : '';
    process.stderr.write(`[carga] ${fase}: concluída em ${duracao(segundos)}${ritmo}\n`);
  };
  return {
    aoProgresso: (nova, feitas, total) => {
      if (nova !== fase) {
        encerrarFase();
        fase = nova;
        inicio = Date.now();
        ultimaLinha = 0;
        barra?.start(total ?? feitas, feitas, { fase: nova.padEnd(13), taxa: '0' });
      }
      feitasNaFase = feitas;
      if (barra) {
        if (total !== null) barra.setTotal(Math.max(total, feitas));
        barra.update(feitas, { taxa: fmt(Math.round(taxa(feitas))) });
        return;
      }
      if (Date.now() - ultimaLinha < 10_000) return;
      ultimaLinha = Date.now();
      const r = taxa(feitas);
      const eta = nova === 'lendo' && total !== null && total > feitas && feitas > 0 ? ` · ${fmt(Math.round(r))} linhas/s · ETA ${duracao((total - feitas) / r)}` : '';
      process.stderr.write(`[carga] ${nova}: ${fmt(feitas)}${total !== null ? `/${fmt(total)}` : ''} linhas${eta}\n`);
    },
    parar: (concluida) => {
      if (concluida) encerrarFase();
      else barra?.stop();
    },
  };
}

/** The diagnosis as a pt-BR table (Markdown, readable as plain text). */
function tabela(d: DiagnosticoCarga): string {
  const linhas: [string, string][] = [
    ['registros lidos', fmt(d.registrosLidos)],
    ['CPFs únicos', fmt(d.cpfsUnicos)],
    ['CPFs válidos (Base Única)', `${fmt(d.cpfsValidos)} (${fmt(d.linhasComCpfValido)} linhas)`],
    ['CPFs inválidos/falsos', `${fmt(d.cpfsInvalidos.valoresDistintos)} valores distintos (${fmt(d.cpfsInvalidos.linhas)} linhas)`],
    ...Object.entries(d.cpfsInvalidos.porMotivo).map(([m, c]): [string, string] => [`  motivo ${m}`, `${fmt(c.valoresDistintos)} valores (${fmt(c.linhas)} linhas)`]),
    ['sem CPF', fmt(d.semCpf)],
    ['CPF de outra pessoa', fmt(d.cpfDeOutraPessoa)],
    ['CPFs devolvidos ao titular', fmt(cpfsDevolvidosAoTitular(d))],
    ['fundidos (pelo CPF)', fmt(d.fundidos)],
    ['casados sem CPF', fmt(d.casadosSemCpf)],
    ['em quarentena', fmt(d.emQuarentena)],
    ['novas identidades', fmt(d.novasIdentidades)],
    ['pendentes (para os gestores)', fmt(d.pendentes)],
    ['itens de revisão abertos: campos', fmt(d.itensDeRevisaoAbertos.campos)],
    ['itens de revisão abertos: vínculo', fmt(d.itensDeRevisaoAbertos.vinculo)],
    ['linhas ilegíveis (não carregadas)', descreverIlegiveis(d.linhasIlegiveis, fmt)],
    ['sem chave (não carregados)', fmt(d.semChave)],
    ['chaves duplicadas (não carregadas)', fmt(d.chavesDuplicadas)],
    ['inalterados (já carregados)', fmt(d.inalterados)],
  ];
  const largura = Math.max(...linhas.map(([a]) => a.length));
  const c = d.carga;
  return [
    `Carga ${c.id} · fonte ${c.fonte} (${c.fontePmcc}; CMBD ${c.cmbd.sigla}/${c.cmbd.fonteCarga}) · ${c.situacao}`,
    `arquivo ${c.arquivo} (${fmt(c.arquivoBytes)} bytes, sha256 ${c.arquivoSha256})`,
    '',
    `| ${'categoria'.padEnd(largura)} | quantidade |`,
    `| ${'-'.repeat(largura)} | ---------- |`,
    ...linhas.map(([a, b]) => `| ${a.padEnd(largura)} | ${b} |`),
  ].join('\n');
}

async function main(): Promise<number> {
  let valores: { fonte?: string; arquivo?: string; 'observado-em'?: string; fontes?: string; 'linhas-por-lote'?: string };
  try {
    valores = parseArgs({
      options: { fonte: { type: 'string' }, arquivo: { type: 'string' }, 'observado-em': { type: 'string' }, fontes: { type: 'string' }, 'linhas-por-lote': { type: 'string' } },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  const uso = (motivo: string) => {
    process.stderr.write(`${motivo}\n${USO}\n`);
    return 2;
  };
  if (!valores.fonte || !valores.arquivo) return uso('informe --fonte e --arquivo');
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(valores.fonte)) return uso(`nome de fonte inválido “${valores.fonte}”: letras minúsculas, dígitos e hífen (ex.: bdc)`);
  let observadoEm: string | undefined;
  try {
    observadoEm = valores['observado-em'] === undefined ? undefined : lerObservadoEm(valores['observado-em']);
  } catch (e) {
    return uso((e as Error).message);
  }
  const porLote = valores['linhas-por-lote'] === undefined ? undefined : Number(valores['linhas-por-lote']);
  if (porLote !== undefined && (!Number.isInteger(porLote) || porLote < 1)) return uso('--linhas-por-lote deve ser um inteiro positivo');

  const config = loadConfig();
  usarRelogio(relogioDaConfig(config));
  const ds = criarDataSource({ url: config.databaseUrl, poolMax: 2, applicationName: 'lum-carga' });
  await ds.initialize();
  const progresso = criarProgresso();
  const pausa = config.cargaPausa;
  try {
    const diagnostico = await executarCarga(
      ds,
      { fonte: valores.fonte, arquivo: valores.arquivo, fontesDir: valores.fontes, iniciadaPor: `cli:${userInfo().username}`, observadoEm },
      {
        aoProgresso: progresso.aoProgresso,
        linhasPorLote: porLote,
        aoIniciar: (i) =>
          process.stderr.write(
            i.retomada ? `[carga] retomando a carga ${i.cargaId} na fase ${i.fase} (${fmt(i.linhasConfirmadas)} linhas já confirmadas)\n` : `[carga] carga ${i.cargaId} iniciada\n`,
          ),
        ...(pausa === ''
          ? {}
          : {
              // Tests only (LUM_CARGA_PAUSA, refused in production): say where, then wait to be killed.
              aoPonto: async (ponto: string) => {
                if (ponto !== pausa) return;
                process.stderr.write(`[carga] PAUSA ${ponto}\n`);
                await new Promise<never>(() => setInterval(() => undefined, 60_000));
              },
            }),
      },
    );
    progresso.parar(true);
    process.stdout.write(`${tabela(diagnostico)}\n\n${JSON.stringify(diagnostico, null, 2)}\n`);
    return 0;
  } catch (e) {
    progresso.parar(false);
    if (e instanceof ErroCarga) {
      process.stderr.write(`carga não concluída: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await ds.destroy();
  }
}

executarCli(main);
