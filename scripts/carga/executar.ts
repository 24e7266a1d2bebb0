/** Runs a batch-load CLI's `main`: its return value is the exit code; an error prints its message and exits 1. */
export function executarCli(main: () => Promise<number>): void {
  main().then(
    (codigo) => {
      process.exitCode = codigo;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
