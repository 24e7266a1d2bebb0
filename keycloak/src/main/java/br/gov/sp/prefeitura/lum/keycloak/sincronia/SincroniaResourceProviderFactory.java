package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * {@code /realms/{realm}/lum-sincronia}: a narrow write of the attributes the master-data API owns, so its sync
 * worker never sends a full user representation (the admin API's only user write is a full PUT, which undoes a
 * profile edit made between its read and its write). Option
 * {@code --spi-realm-restapi-extension--lum-sincronia--atributos=nivel_confianca,...} lists the owned attributes.
 */
public class SincroniaResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "lum-sincronia";

    private AtributosProprios proprios = new AtributosProprios(null);

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new SincroniaResourceProvider(session, proprios);
    }

    @Override
    public void init(Config.Scope config) {
        proprios = new AtributosProprios(config == null ? null : config.get("atributos"));
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
