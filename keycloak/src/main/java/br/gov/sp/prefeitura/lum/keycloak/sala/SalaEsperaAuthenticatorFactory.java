package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.time.Clock;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Authenticator {@code lum-sala-espera} (see {@link SalaEsperaAuthenticator}). */
public class SalaEsperaAuthenticatorFactory implements AuthenticatorFactory {

    public static final String ID = "lum-sala-espera";
    private SalaEsperaAuthenticator instancia;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Sala de Espera: nível e dados exigidos pelo cliente";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Segue quando a conta atende ao nível de confiança e aos dados exigidos pelo cliente (atributos lum.sala.*) e pelo pedido "
                + "(acr_values urn:lum:nivel:N, claims nivel_confianca essencial); senão leva à Sala de Espera com uma referência assinada";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return instancia;
    }

    @Override
    public void init(Config.Scope config) {
        instancia = new SalaEsperaAuthenticator(SalaEsperaConfig.doAmbiente(System::getenv), Clock.systemUTC());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // nothing
    }

    @Override
    public void close() {
        // nothing
    }
}
