package br.gov.sp.prefeitura.lum.keycloak.govbr;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Authenticator {@code lum-govbr-mesmo-cpf} for the first-broker-login flow of gov.br (see {@link MesmoCpfAuthenticator}). */
public class MesmoCpfAuthenticatorFactory implements AuthenticatorFactory {

    public static final String ID = "lum-govbr-mesmo-cpf";
    private static final MesmoCpfAuthenticator INSTANCE = new MesmoCpfAuthenticator();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "gov.br: vincular só conta com o mesmo CPF";
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
        return "Segue só quando a conta existente encontrada tem como usuário o CPF informado pelo gov.br (nunca uma conta achada pelo e-mail)";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public void init(Config.Scope config) {
        // nothing to configure
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
