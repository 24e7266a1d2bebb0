package br.gov.sp.prefeitura.lum.keycloak.mapeador;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

/**
 * Protocol mapper {@code lum-verified-claims}: the claim {@code verified_claims} (OpenID Connect for Identity
 * Assurance 1.0) from the user attributes {@code nivel_confianca} and {@code lastro} (both written by the API's sync
 * worker) and {@code cpf}. No claim when the summary is missing or malformed, or names another CPF.
 */
public class VerifiedClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = "lum-verified-claims";
    public static final String CONFIG_TRUST_FRAMEWORK = "trust.framework";
    public static final String TRUST_FRAMEWORK_PADRAO = "br_sp_prefeitura_lum";
    static final String ATRIBUTO_NIVEL = "nivel_confianca";
    static final String ATRIBUTO_LASTRO = "lastro";
    static final String ATRIBUTO_CPF = "cpf";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        ProviderConfigProperty tf = new ProviderConfigProperty();
        tf.setName(CONFIG_TRUST_FRAMEWORK);
        tf.setLabel("Trust framework");
        tf.setHelpText("Valor de verification.trust_framework (padrão " + TRUST_FRAMEWORK_PADRAO + ").");
        tf.setType(ProviderConfigProperty.STRING_TYPE);
        tf.setDefaultValue(TRUST_FRAMEWORK_PADRAO);
        CONFIG.add(tf);
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, VerifiedClaimsMapper.class);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "LUM verified_claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "verified_claims (OpenID Connect for Identity Assurance) a partir dos atributos nivel_confianca, lastro e cpf, escritos pela API do cadastro.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    /** The claim for this user, or empty (pure over the user's attributes; used by the tests). */
    static Optional<Map<String, Object>> claimPara(UserModel usuario, ProtocolMapperModel modelo) {
        if (usuario == null) return Optional.empty();
        String tf = modelo.getConfig() == null ? null : modelo.getConfig().get(CONFIG_TRUST_FRAMEWORK);
        String trustFramework = tf == null || tf.isBlank() ? TRUST_FRAMEWORK_PADRAO : tf;
        return Lastro.ler(usuario.getFirstAttribute(ATRIBUTO_LASTRO))
            .flatMap(l -> VerifiedClaims.montar(l, usuario.getFirstAttribute(ATRIBUTO_NIVEL), usuario.getFirstAttribute(ATRIBUTO_CPF), trustFramework));
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel modelo, UserSessionModel sessao) {
        claimPara(sessao.getUser(), modelo).ifPresent(c -> token.getOtherClaims().put(VerifiedClaims.CLAIM, c));
    }
}
