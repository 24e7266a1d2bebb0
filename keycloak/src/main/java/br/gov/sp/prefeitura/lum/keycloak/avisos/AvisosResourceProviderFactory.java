package br.gov.sp.prefeitura.lum.keycloak.avisos;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * {@code /realms/{realm}/lum-avisos}: the content-free e-mail notice of the Área do Cidadão ("you have a new message /
 * your request changed — sign in to read it"), sent with the realm's SMTP settings and e-mail theme. Keycloak's admin
 * API has no call that mails a user an arbitrary message; this resource sends only the theme's fixed notice.
 */
public class AvisosResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "lum-avisos";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new AvisosResourceProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
