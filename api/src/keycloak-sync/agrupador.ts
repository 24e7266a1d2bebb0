/**
 * Groups concurrent calls into batch requests without holding any call back: a call is sent at once while fewer
 * than `emVooMax` batches are in flight; calls that arrive while every slot is busy wait, and all of them (up to
 * `loteMax`) leave together in the next batch as soon as a slot frees. Under light load every call is a batch of one
 * (no added latency); under a backlog the batches grow by themselves and the per-request cost is shared.
 *
 * `enviar` answers one result per item, in the items' order: a value, or an Error for that item alone. A thrown
 * error (network, 5xx, refused batch) fails every call of that batch.
 */
export type ResultadoItem<R> = R | Error;

interface Pendente<T, R> {
  item: T;
  resolver: (r: R) => void;
  rejeitar: (e: unknown) => void;
}

export class Agrupador<T, R> {
  private readonly espera: Pendente<T, R>[] = [];
  private emVoo = 0;

  constructor(
    private readonly enviar: (itens: T[]) => Promise<ResultadoItem<R>[]>,
    private readonly opcoes: { loteMax: number; emVooMax: number },
  ) {
    if (!Number.isInteger(opcoes.loteMax) || opcoes.loteMax < 1) throw new Error('loteMax deve ser um inteiro ≥ 1');
    if (!Number.isInteger(opcoes.emVooMax) || opcoes.emVooMax < 1) throw new Error('emVooMax deve ser um inteiro ≥ 1');
  }

  executar(item: T): Promise<R> {
    return new Promise<R>((resolver, rejeitar) => {
      this.espera.push({ item, resolver, rejeitar });
      this.despachar();
    });
  }

  private despachar(): void {
    while (this.emVoo < this.opcoes.emVooMax && this.espera.length > 0) {
      const lote = this.espera.splice(0, this.opcoes.loteMax);
      this.emVoo++;
      void this.enviarLote(lote).finally(() => {
        this.emVoo--;
        this.despachar();
      });
    }
  }

  private async enviarLote(lote: Pendente<T, R>[]): Promise<void> {
    let resultados: ResultadoItem<R>[];
    try {
      resultados = await this.enviar(lote.map((p) => p.item));
      if (resultados.length !== lote.length) throw new Error(`lote de ${lote.length} itens respondido com ${resultados.length} resultados`);
    } catch (err) {
      for (const p of lote) p.rejeitar(err);
      return;
    }
    lote.forEach((p, i) => {
      const r = resultados[i];
      if (r instanceof Error) p.rejeitar(r);
      else p.resolver(r);
    });
  }
}
