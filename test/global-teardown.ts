import type { GlobaisDeTeste } from './global-setup.js';

/** jest globalTeardown (integration project): stop the Keycloak test instance that the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as GlobaisDeTeste).__lumStopKeycloak?.();
}
