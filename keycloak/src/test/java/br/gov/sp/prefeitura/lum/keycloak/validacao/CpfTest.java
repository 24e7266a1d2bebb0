package br.gov.sp.prefeitura.lum.keycloak.validacao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CpfTest {

    /** Valid CPFs, with what each one exercises. */
    static Stream<Arguments> validCpfs() {
        return Stream.of(
                Arguments.of("52998224725", "common textbook example"),
                Arguments.of("11144477735", "another textbook example"),
                Arguments.of("12345678909", "first check digit from remainder 10 -> 0"),
                Arguments.of("93541134780", "second check digit from remainder 10 -> 0"),
                Arguments.of("98765432100", "both check digits 0"),
                Arguments.of("00000000191", "leading zeros"),
                Arguments.of("10000000019", "mostly zeros but not repeated"),
                Arguments.of("39053344705", "first check digit 0, second 5"));
    }

    /** Invalid CPFs (not repeated-digit ones, which have their own test), with the reason. */
    static Stream<Arguments> invalidCpfs() {
        return Stream.of(
                Arguments.of("52998224735", "first check digit wrong (3, should be 2)"),
                Arguments.of("52998224715", "first check digit wrong (1, should be 2)"),
                Arguments.of("52998224724", "second check digit wrong (4, should be 5)"),
                Arguments.of("52998224726", "second check digit wrong (6, should be 5)"),
                Arguments.of("52998224752", "check digits swapped"),
                Arguments.of("25998224725", "two base digits transposed"),
                Arguments.of("12345678919", "first check digit 1 where remainder 10 gives 0"),
                Arguments.of("93541134781", "second check digit 1 where remainder 10 gives 0"),
                Arguments.of("", "empty"),
                Arguments.of("5299822472", "10 digits"),
                Arguments.of("529982247250", "12 digits"),
                Arguments.of("0", "1 digit"),
                Arguments.of("5299822472a", "letter in place of a digit"),
                Arguments.of("abcdefghijk", "11 letters"),
                Arguments.of("52998224725 ", "trailing space"),
                Arguments.of(" 52998224725", "leading space"),
                Arguments.of("529.982.247-25", "formatted: storage form is digits only"),
                Arguments.of("529982247-25", "partially formatted"),
                Arguments.of("529 982 247 25", "spaces between groups"),
                Arguments.of("-5299822472", "sign"),
                Arguments.of("\u0665\u0662\u0669\u0669\u0668\u0662\u0662\u0664\u0667\u0662\u0665",
                        "Arabic-Indic digits of a valid CPF"),
                Arguments.of("\uff15\uff12\uff19\uff19\uff18\uff12\uff12\uff14\uff17\uff12\uff15",
                        "full-width digits of a valid CPF"));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("validCpfs")
    void givenValidCpf_whenIsValid_thenTrue(String cpf, String why) {
        assertTrue(Cpf.isValid(cpf), why);
    }

    @ParameterizedTest(name = "\"{0}\" ({1})")
    @MethodSource("invalidCpfs")
    void givenInvalidCpf_whenIsValid_thenFalse(String cpf, String why) {
        assertFalse(Cpf.isValid(cpf), why);
    }

    @ParameterizedTest(name = "{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void givenRepeatedDigitCpf_whenIsValid_thenFalseAlthoughCheckDigitsMatch(int digit) {
        String cpf = String.valueOf(digit).repeat(11);
        int[] digits = IntStream.range(0, 11).map(i -> digit).toArray();
        // The known fakes pass the arithmetic: only the explicit rule rejects them.
        assertEquals(digit, Cpf.checkDigit(digits, 9));
        assertEquals(digit, Cpf.checkDigit(digits, 10));
        assertFalse(Cpf.isValid(cpf));
    }

    @Test
    void givenNull_whenIsValid_thenFalse() {
        assertFalse(Cpf.isValid(null));
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "529.982.247-25    | 52998224725",
            "\" 529.982.247-25 \"| 52998224725",
            "52998224725       | 52998224725",
            "529982247-25      | 52998224725",
            "529/982           | 529/982",
            "529 982           | 529 982",
            "abc               | abc",
            "\"   \"           | \"\""})
    void givenInput_whenNormalize_thenStripsOnlyMaskAndSurroundingWhitespace(String input, String expected) {
        assertEquals(expected, Cpf.normalize(input));
    }

    @Test
    void givenNull_whenNormalize_thenNull() {
        assertNull(Cpf.normalize(null));
    }

    @Test
    void givenFormattedValidCpf_whenNormalizedThenValidated_thenValid() {
        assertFalse(Cpf.isValid("529.982.247-25"));
        assertTrue(Cpf.isValid(Cpf.normalize("529.982.247-25")));
        assertFalse(Cpf.isValid(Cpf.normalize("529.982.247-24")));
        assertFalse(Cpf.isValid(Cpf.normalize("111.111.111-11")));
    }
}
