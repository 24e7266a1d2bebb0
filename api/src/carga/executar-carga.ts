// INTERIM — replaced by the pipeline's version at merge
/**
 * Interim stand-in for the pipeline's `executarCarga` (same signature), so the stewards' API and worker can be built
 * and tested: it reads the file through its mapping (`lerFonte`), counts the triage categories, and records the load
 * in `carga` (resuming the unfinished load of the same fonte + file sha256). It stages nothing and links nobody.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { relogio } from '../relogio.js';
import { diagnosticoVazio, type DiagnosticoCarga } from './diagnostico.js';
import type { AoProgresso } from './fases.js';
import { lerFonte } from './ler-fonte.js';
import { carregarMapeamento } from './mapeamento.js';

async function sha256(caminho: string): Promise<string> {
  const h = createHash('sha256');
  for await (const parte of createReadStream(caminho)) h.update(parte as Buffer);
  return h.digest('hex');
}

export async function executarCarga(
  ds: DataSource,
  pedido: { fonte: string; arquivo: string; fontesDir?: string; iniciadaPor: string; observadoEm?: string },
  opcoes?: { aoProgresso?: AoProgresso },
): Promise<DiagnosticoCarga> {
  const mapa = await carregarMapeamento(join(pedido.fontesDir ?? 'api/src/carga/fontes', `${pedido.fonte}.yaml`));
  const [hash, info] = await Promise.all([sha256(pedido.arquivo), stat(pedido.arquivo)]);
  const observadoEm = pedido.observadoEm ?? relogio().agora().toISOString();
  const [existente] = await ds.query<{ id: string }[]>(`SELECT id FROM carga WHERE fonte = $1 AND arquivo_sha256 = $2 AND situacao = 'em-andamento'`, [mapa.fonte, hash]);
  const cargaId = existente?.id ?? (await ds.query<{ id: string }[]>(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [mapa.fonte, mapa.pmcc, mapa.cmbd.sigla, mapa.cmbd.fonteCarga, pedido.arquivo, hash, info.size, observadoEm, pedido.iniciadaPor],
  ))[0].id;

  const d = diagnosticoVazio();
  const chaves = new Set<string>();
  const validos = new Set<string>();
  for await (const r of lerFonte(mapa, pedido.arquivo)) {
    d.registrosLidos += 1;
    if (r.chave === null) d.semChave += 1;
    else if (chaves.has(r.chave)) d.chavesDuplicadas += 1;
    else chaves.add(r.chave);
    if (r.triagem.categoria === 'sem-cpf') d.semCpf += 1;
    else if (r.triagem.categoria === 'base-unica') validos.add(r.triagem.cpf);
    else {
      d.cpfsInvalidos.linhas += 1;
      d.cpfsInvalidos.porMotivo[r.triagem.motivo] = (d.cpfsInvalidos.porMotivo[r.triagem.motivo] ?? 0) + 1;
    }
    if (d.registrosLidos % 1000 === 0) opcoes?.aoProgresso?.('lendo', d.registrosLidos, null);
  }
  d.cpfsValidos = validos.size;
  d.cpfsUnicos = validos.size;
  opcoes?.aoProgresso?.('registrando', d.registrosLidos, d.registrosLidos);
  await ds.query(
    `UPDATE carga SET situacao = 'concluida', fase = 'concluida', linhas_confirmadas = $2, diagnostico = $3::jsonb, concluida_em = now(), atualizada_em = now() WHERE id = $1`,
    [cargaId, d.registrosLidos, JSON.stringify(d)],
  );
  return d;
}
