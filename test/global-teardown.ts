/** jest globalTeardown (integration project): nothing to stop yet. */
export default async function globalTeardown(): Promise<void> {}
