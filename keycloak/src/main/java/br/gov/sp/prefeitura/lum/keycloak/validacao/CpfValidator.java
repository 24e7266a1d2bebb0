package br.gov.sp.prefeitura.lum.keycloak.validacao;

import java.util.List;

import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.validate.AbstractStringValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * Validator SPI provider {@code lum-cpf} for the declarative user profile:
 * {@code "validations": {"lum-cpf": {}}} on the {@code cpf} attribute (and, if wanted, on {@code username}).
 *
 * <ul>
 *   <li>Valid: 11 ASCII digits with both check digits right, not a repeated-digit number ({@link Cpf#isValid}).</li>
 *   <li>Invalid (error key {@value #MESSAGE_INVALID}): anything else, <b>including a formatted CPF</b>
 *       ({@code "529.982.247-25"}) or one with spaces around it — the profile stores the value as typed, and the
 *       realm stores digits only.</li>
 *   <li>Skipped: {@code null} and blank values, always (whatever {@code ignore.empty.value} says). The user profile
 *       drops blank values before validating anyway; absence is the business of the attribute's {@code required}
 *       setting.</li>
 *   <li>Each value of a multivalued attribute is checked (done by {@code AbstractSimpleValidator}); a value that is
 *       not a string gets Keycloak's generic {@code error-invalid-value}.</li>
 * </ul>
 *
 * <p>Optional config {@value #CFG_ERROR_MESSAGE}: another message key, as the built-in {@code pattern} validator
 * allows. The error carries no parameter (in particular not the value: it is a CPF).
 *
 * <p>A {@code SimpleValidator} is its own factory: Keycloak keeps one stateless instance.
 */
public class CpfValidator extends AbstractStringValidator implements ConfiguredProvider {

    public static final String ID = "lum-cpf";

    /** Message key; the login theme has it in pt-BR and English. */
    public static final String MESSAGE_INVALID = "lumCpfInvalido";

    public static final String CFG_ERROR_MESSAGE = "error-message";

    public static final CpfValidator INSTANCE = new CpfValidator();

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(CFG_ERROR_MESSAGE).type(ProviderConfigProperty.STRING_TYPE)
            .label("Error message key")
            .helpText("Key of the error message in the theme's messages. Default: " + MESSAGE_INVALID)
            .add()
            .build();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    protected boolean skipValidation(Object value, ValidatorConfig config) {
        return value == null || (value instanceof String s && s.isBlank());
    }

    @Override
    protected void doValidate(String value, String inputHint, ValidationContext context, ValidatorConfig config) {
        if (!Cpf.isValid(value)) {
            context.addError(new ValidationError(ID, inputHint, errorMessage(config)));
        }
    }

    private static String errorMessage(ValidatorConfig config) {
        String configured = config == null ? null : config.getString(CFG_ERROR_MESSAGE);
        return configured == null || configured.isBlank() ? MESSAGE_INVALID : configured;
    }

    @Override
    public String getHelpText() {
        return "CPF: 11 digits (no punctuation), valid check digits, not a repeated-digit number";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }
}
