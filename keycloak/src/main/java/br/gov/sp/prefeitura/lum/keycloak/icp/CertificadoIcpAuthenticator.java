package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import br.gov.sp.prefeitura.lum.keycloak.validacao.Cpf;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.x509.X509ClientCertificateLookup;

/**
 * Sign-in with an ICP-Brasil certificate (level 5 evidence), an ALTERNATIVE of the browser flow before the password
 * form.
 *
 * <ul>
 * <li>The certificate comes from Keycloak's {@code x509cert-lookup} SPI (this project: {@code rfc9440}, the
 * {@code Client-Cert} header of the TLS-terminating proxy). Because a header can be sent by anyone who reaches
 * Keycloak directly, a certificate is only considered when the request also carries the proxy's shared secret
 * ({@code X-LUM-Proxy-Segredo} = {@code LUM_ICP_PROXY_SEGREDO}); otherwise it is ignored as if absent.</li>
 * <li>No certificate: {@code attempted()} — the flow goes on to the password form, as before.</li>
 * <li>A certificate that fails ({@link Recusa}): the refusal's pt-BR message is added to the sign-in page and the
 * flow goes on to the password form, which shows it. Nothing is recorded.</li>
 * <li>A good one: the account whose username is the CPF of the certificate's ICP-Brasil data (otherName
 * 2.16.76.1.3.1) signs in. Its {@code cpf} attribute, and a CPF {@code login_hint} when the application sent one,
 * must be that CPF. The certificate facts go into the user-session note {@value #NOTA}, which the {@code lum-api} event
 * listener sends with the LOGIN event, so the API records evidence {@code certificado-icp}.</li>
 * </ul>
 */
public class CertificadoIcpAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(CertificadoIcpAuthenticator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** User-session note with the certificate facts (JSON), read once by the event listener. */
    public static final String NOTA = "lum.certificado-icp";
    public static final String CABECALHO_SEGREDO = "X-LUM-Proxy-Segredo";
    static final String ATRIBUTO_CPF = "cpf";

    private final CertificadoIcpConfig config;
    private final AncorasIcp ancoras;
    private final ValidadorCadeia validador;
    private final Clock relogio;

    CertificadoIcpAuthenticator(CertificadoIcpConfig config, AncorasIcp ancoras, ValidadorCadeia validador, Clock relogio) {
        this.config = config;
        this.ancoras = ancoras;
        this.validador = validador;
        this.relogio = relogio;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (!config.ativo()) {
            context.attempted();
            return;
        }
        X509Certificate[] cadeia;
        try {
            X509ClientCertificateLookup lookup = context.getSession().getProvider(X509ClientCertificateLookup.class);
            cadeia = lookup == null ? null : lookup.getCertificateChain(context.getHttpRequest());
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.infof("lum-certificado-icp: unreadable client certificate (%s)", e.getClass().getSimpleName());
            recusar(context, Recusa.NAO_CONFIAVEL);
            return;
        }
        if (cadeia == null || cadeia.length == 0) {
            context.attempted();
            return;
        }
        String segredo = context.getHttpRequest().getHttpHeaders().getHeaderString(CABECALHO_SEGREDO);
        if (!config.segredoConfere(segredo)) {
            LOG.warnf("lum-certificado-icp: a client certificate without the proxy's secret was ignored (from %s)",
                    context.getConnection() == null ? "?" : context.getConnection().getRemoteAddr());
            context.attempted();
            return;
        }
        Instant agora = relogio.instant();
        List<X509Certificate> confiaveis = ancoras.certificados();
        ValidadorCadeia.Resultado r = validador.validar(cadeia, confiaveis, Date.from(agora));
        if (r != ValidadorCadeia.Resultado.VALIDO) {
            recusar(context, Recusa.de(r));
            return;
        }
        X509Certificate folha = cadeia[0];
        Optional<DadosPessoaFisica> dados = DadosPessoaFisica.doCertificado(folha);
        if (dados.isEmpty()) {
            recusar(context, Recusa.SEM_CPF);
            return;
        }
        String cpf = dados.get().cpf();
        // The application named the account it expects (login_hint with a CPF; an e-mail hint is not compared).
        String dica = context.getAuthenticationSession().getClientNote("login_hint");
        String cpfDica = dica == null ? null : Cpf.normalize(dica);
        if (cpfDica != null && Cpf.isValid(cpfDica) && !cpf.equals(cpfDica)) {
            recusar(context, Recusa.CPF_DIVERGENTE);
            return;
        }
        RealmModel realm = context.getRealm();
        UserModel usuario = context.getSession().users().getUserByUsername(realm, cpf);
        if (usuario == null) {
            recusar(context, Recusa.SEM_CONTA);
            return;
        }
        String cpfConta = usuario.getFirstAttribute(ATRIBUTO_CPF);
        if (cpfConta != null && !cpfConta.isBlank() && !cpf.equals(cpfConta)) {
            recusar(context, Recusa.CPF_DIVERGENTE);
            return;
        }
        if (!usuario.isEnabled()) {
            recusar(context, Recusa.CONTA_DESATIVADA);
            return;
        }
        context.getAuthenticationSession().setUserSessionNote(NOTA, fatos(folha, cpf, agora));
        context.getEvent().detail("lum_certificado_icp", "true");
        context.setUser(usuario);
        context.success();
    }

    /** The facts the API records as evidence (docs/certificado-icp.md). */
    static String fatos(X509Certificate folha, String cpf, Instant lidoEm) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpf", cpf);
        f.put("emissor", folha.getIssuerX500Principal().getName());
        f.put("titular", folha.getSubjectX500Principal().getName());
        f.put("serial", folha.getSerialNumber().toString(16));
        f.put("validoDe", folha.getNotBefore().toInstant().toString());
        f.put("validoAte", folha.getNotAfter().toInstant().toString());
        f.put("sha256", sha256(folha));
        f.put("verificadoEm", lidoEm.toString());
        try {
            return JSON.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            return HexFormat.of().formatHex(c.getSerialNumber().toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The message goes onto the sign-in page that the next alternative (the password form) renders. */
    private static void recusar(AuthenticationFlowContext context, Recusa recusa) {
        LOG.infof("lum-certificado-icp: certificate refused (%s)", recusa);
        context.form().addError(new FormMessage(null, recusa.mensagem()));
        context.attempted();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // none
    }

    @Override
    public void close() {
        // stateless
    }
}
