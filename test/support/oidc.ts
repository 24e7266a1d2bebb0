/** The form-driving helpers of scripts/support/keycloak-forms.ts, bound to the Keycloak test instance. */
import type { Configuration } from 'openid-client';
import { discover as discoverRealm } from '../../scripts/support/keycloak-forms.js';
import { issuer } from './keycloak.js';

export {
   decodeJwt,  formAction, loginWithPassword, openAuthorization, pageErrors, postForm, register,
} from '../../scripts/support/keycloak-forms.js';

export function discover(clientId: string, clientSecret?: string): Promise<Configuration> {
  return discoverRealm(issuer, clientId, clientSecret);
}
