/** The form-driving helpers of scripts/support/keycloak-forms.ts, bound to the Keycloak test instance. */
import type { ClientAuth, Configuration } from 'openid-client';
import { discover as discoverRealm } from '../../scripts/support/keycloak-forms.js';
import { issuer } from './keycloak.js';

export {
   decodeJwt,  formAction, loginWithPassword, openAuthorization, pageErrors, postForm, register,
} from '../../scripts/support/keycloak-forms.js';

export function discover(clientId: string, credencial?: string | ClientAuth): Promise<Configuration> {
  return discoverRealm(issuer, clientId, credencial);
}
