package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Authenticator {@code lum-certificado-icp} (see {@link CertificadoIcpAuthenticator}). */
public class CertificadoIcpAuthenticatorFactory implements AuthenticatorFactory {

    private static final Logger LOG = Logger.getLogger(CertificadoIcpAuthenticatorFactory.class);
    public static final String ID = "lum-certificado-icp";
    private CertificadoIcpAuthenticator instancia;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Certificado digital ICP-Brasil (CPF do certificado)";
    }

    @Override
    public String getReferenceCategory() {
        return "X509";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.ALTERNATIVE, Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Entrada com certificado ICP-Brasil recebido do proxy TLS: cadeia até uma raiz confiável (LUM_ICP_ANCORAS), validade, LCR, "
                + "e o CPF dos dados do titular (OID 2.16.76.1.3.1) igual ao da conta";
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
        CertificadoIcpConfig c = CertificadoIcpConfig.doAmbiente(System::getenv);
        if (!c.ativo()) {
            LOG.info("lum-certificado-icp: LUM_ICP_ANCORAS or LUM_ICP_PROXY_SEGREDO unset: certificate sign-in is off");
        }
        Clock relogio = Clock.systemUTC();
        instancia = new CertificadoIcpAuthenticator(c, new AncorasIcp(c.ancoras()),
                new ValidadorCadeia(new CrlHttp(relogio, Duration.ofSeconds(5))), relogio);
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
