package br.gov.sp.prefeitura.lum.keycloak.validacao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;
import org.keycloak.validate.ValidatorFactory;

class CpfValidatorTest {

    private final CpfValidator validator = new CpfValidator();

    private ValidationContext validate(Object value, ValidatorConfig config) {
        return validator.validate(value, "cpf", new ValidationContext(), config);
    }

    private static ValidationError onlyError(ValidationContext context) {
        assertEquals(1, context.getErrors().size(), context.getErrors().toString());
        return context.getErrors().iterator().next();
    }

    @Test
    void givenValidator_thenIdIsLumCpfAndItIsItsOwnFactory() {
        assertEquals("lum-cpf", validator.getId());
        assertSame(validator, validator.create(null));
        assertTrue(validator.validateConfig(null, ValidatorConfig.EMPTY).isValid());
    }

    @Test
    void givenServiceFile_whenServiceLoaderRuns_thenLumCpfFactoryIsRegistered() {
        boolean found = ServiceLoader.load(ValidatorFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .anyMatch(f -> f instanceof CpfValidator && CpfValidator.ID.equals(f.getId()));
        assertTrue(found, "META-INF/services/org.keycloak.validate.ValidatorFactory must list CpfValidator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"52998224725", "12345678909", "00000000191"})
    void givenValidCpf_whenValidate_thenNoError(String cpf) {
        assertTrue(validate(cpf, ValidatorConfig.EMPTY).isValid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"52998224724", "52998224735", "11111111111", "00000000000", "5299822472",
            "529982247250", "5299822472a", "529.982.247-25", " 52998224725"})
    void givenInvalidCpf_whenValidate_thenOneErrorWithLumCpfInvalido(String cpf) {
        ValidationError error = onlyError(validate(cpf, ValidatorConfig.EMPTY));
        assertEquals("lum-cpf", error.getValidatorId());
        assertEquals("cpf", error.getInputHint());
        assertEquals("lumCpfInvalido", error.getMessage());
        assertFalse(Arrays.asList(error.getMessageParameters()).contains(cpf), "the CPF must not be in the error");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t"})
    void givenNullOrBlankValue_whenValidate_thenPassesSinceRequiredHandlesAbsence(String value) {
        assertTrue(validate(value, ValidatorConfig.EMPTY).isValid());
    }

    @Test
    void givenIgnoreEmptyValueFalse_whenValidateEmpty_thenStillPasses() {
        ValidatorConfig config = new ValidatorConfig(Map.of("ignore.empty.value", false));
        assertTrue(validate("", config).isValid());
    }

    @Test
    void givenNullConfig_whenValidateInvalid_thenDefaultMessage() {
        assertEquals("lumCpfInvalido", onlyError(validate("123", null)).getMessage());
    }

    @Test
    void givenErrorMessageConfig_whenValidateInvalid_thenUsesConfiguredKey() {
        ValidatorConfig config = new ValidatorConfig(Map.of("error-message", "outraChave"));
        assertEquals("outraChave", onlyError(validate("123", config)).getMessage());
    }

    @Test
    void givenListOfValues_whenValidate_thenEachValueChecked() {
        assertTrue(validate(List.of("52998224725", "11144477735"), ValidatorConfig.EMPTY).isValid());
        assertEquals("lumCpfInvalido",
                onlyError(validate(List.of("52998224725", "22222222222"), ValidatorConfig.EMPTY)).getMessage());
        assertTrue(validate(List.of(), ValidatorConfig.EMPTY).isValid());
    }

    @Test
    void givenNonStringValue_whenValidate_thenKeycloakGenericInvalidValueError() {
        ValidationError error = onlyError(validate(52998224725L, ValidatorConfig.EMPTY));
        assertEquals(ValidationError.MESSAGE_INVALID_VALUE, error.getMessage());
    }

    @Test
    void givenConfiguredProvider_thenDescribesErrorMessageOption() {
        assertEquals(List.of("error-message"),
                validator.getConfigProperties().stream().map(p -> p.getName()).toList());
        assertFalse(validator.getHelpText().isBlank());
    }
}
