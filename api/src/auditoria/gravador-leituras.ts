/**
 * Group commit for read audits. Every audited read is also a durable write; done one by one, the INSERT + commit
 * of each read dominates the hottest path (bench/pessoa-get.ts). Here the rows of concurrent reads are gathered for
 * a few milliseconds — or, while a batch is being written, until it has committed — and written in ONE multi-row
 * INSERT (a prepared statement, db/consulta-preparada.ts); each caller's promise settles only when that INSERT has
 * committed. The caller answers only after its promise resolves, so no data leaves without its audit record: if
 * the batch fails, every read in it fails too. Writes do not use this: their audit row commits in their own
 * transaction.
 */
import type { DataSource } from 'typeorm';
import { consultaPreparada } from '../db/consulta-preparada.js';
import { COLUNAS_INSERT_AUDITORIA, valoresAuditoria, type RegistroAuditoria } from './auditoria.service.js';

interface Pendente {
  valores: unknown[];
  resolver: () => void;
  rejeitar: (err: unknown) => void;
}

export class GravadorLeituras {
  private fila: Pendente[] = [];
  private agendado = false;
  /** Batches being written right now (at most `maxEmVoo`). */
  private emVoo = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly opcoes: { esperaMs: number; maxLote: number; maxEmVoo?: number } = { esperaMs: 2, maxLote: 200, maxEmVoo: 1 },
  ) {}

  registrar(registro: RegistroAuditoria): Promise<void> {
    return new Promise<void>((resolver, rejeitar) => {
      this.fila.push({ valores: valoresAuditoria(registro), resolver, rejeitar });
      this.agendar();
    });
  }

  /**
   * Group commit: a batch is written `esperaMs` after its first row arrived, or at once when it is full — unless
   * `maxEmVoo` batches are being written already; then the rows wait, and the batch in flight starts the next one as
   * soon as it has committed. Under load the batches grow instead of the commits multiplying.
   */
  private agendar(): void {
    if (this.fila.length === 0 || this.emVoo >= (this.opcoes.maxEmVoo ?? 1)) return;
    if (this.fila.length >= this.opcoes.maxLote) {
      void this.gravar();
      return;
    }
    if (this.agendado) return;
    this.agendado = true;
    setTimeout(() => {
      this.agendado = false;
      void this.gravar();
    }, this.opcoes.esperaMs);
  }

  private async gravar(): Promise<void> {
    if (this.emVoo >= (this.opcoes.maxEmVoo ?? 1)) return;
    const lote = this.fila.splice(0, this.opcoes.maxLote);
    if (lote.length === 0) return;
    this.emVoo++;
    try {
      await this.inserir(lote);
    } finally {
      this.emVoo--;
      // Rows that arrived meanwhile have waited for this batch already: write them now.
      if (this.fila.length > 0) void this.gravar();
    }
  }

  /** One multi-row INSERT for the batch; settles every caller's promise with its outcome. */
  private async inserir(lote: Pendente[]): Promise<void> {
    const colunas: unknown[][] = Array.from({ length: 7 }, () => []);
    for (const p of lote) p.valores.forEach((v, i) => colunas[i].push(v));
    try {
      await consultaPreparada(this.dataSource, 'lum-auditoria-leituras',
        `INSERT INTO auditoria (${COLUNAS_INSERT_AUDITORIA})
         SELECT a, b, c, ARRAY(SELECT jsonb_array_elements_text(d)), e, f, g
           FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::jsonb[]) AS t(a, b, c, d, e, f, g)`,
        [colunas[0], colunas[1], colunas[2], colunas[3].map((c) => JSON.stringify(c)), colunas[4], colunas[5], colunas[6]],
      );
      for (const p of lote) p.resolver();
    } catch (err) {
      for (const p of lote) p.rejeitar(err);
    }
  }
}

const porDataSource = new WeakMap<DataSource, GravadorLeituras>();

/** The read-audit writer of a DataSource (one per pool). */
export function gravadorDeLeituras(dataSource: DataSource): GravadorLeituras {
  let g = porDataSource.get(dataSource);
  if (!g) porDataSource.set(dataSource, (g = new GravadorLeituras(dataSource)));
  return g;
}
