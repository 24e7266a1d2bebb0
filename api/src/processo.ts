/**
 * Shared by the entry points (server.ts, worker.ts): when the file is the process's main module, start it and stop
 * it cleanly on SIGTERM/SIGINT (exit 0), or exit 1 when start-up or shutdown fails.
 */
import { pathToFileURL } from 'node:url';

export function executarSeForPrincipal(moduloUrl: string, iniciar: () => Promise<{ parar: () => Promise<void> }>): void {
  if (!process.argv[1] || moduloUrl !== pathToFileURL(process.argv[1]).href) return;
  const falhar = (err: unknown) => {
    console.error(err);
    process.exit(1);
  };
  iniciar().then(({ parar }) => {
    for (const sinal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sinal, () => void parar().then(() => process.exit(0), falhar));
    }
  }, falhar);
}
