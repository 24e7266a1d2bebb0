package br.gov.sp.prefeitura.lum.keycloak.validacao;

/**
 * Pure CPF logic (no Keycloak types), shared by the {@code lum-cpf} validator and the event listener.
 *
 * <p>The realm stores a CPF as <b>exactly 11 ASCII digits</b> (it is also the username), so {@link #isValid(String)}
 * accepts only that form: a formatted CPF such as {@code "529.982.247-25"} is <em>not</em> valid for storage. Code
 * that receives a CPF typed by a person may call {@link #normalize(String)} first and then {@link #isValid(String)}.
 */
public final class Cpf {

    /** Number of digits of a CPF (9 base digits + 2 check digits). */
    public static final int LENGTH = 11;

    private Cpf() {
    }

    /**
     * Whether {@code value} is a CPF in storage form: exactly 11 characters {@code '0'..'9'} (no punctuation, no
     * spaces, no other Unicode digits), not one of the ten repeated-digit numbers ({@code 00000000000} …
     * {@code 99999999999}, which pass the check-digit arithmetic but are not real CPFs), and with both check digits
     * right.
     *
     * @return {@code false} for {@code null}
     */
    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH) {
            return false;
        }
        int[] digits = new int[LENGTH];
        boolean allEqual = true;
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            digits[i] = c - '0';
            allEqual &= digits[i] == digits[0];
        }
        if (allEqual) {
            return false;
        }
        return digits[9] == checkDigit(digits, 9) && digits[10] == checkDigit(digits, 10);
    }

    /**
     * Removes surrounding whitespace and the mask characters {@code '.'} and {@code '-'}, so that
     * {@code " 529.982.247-25 "} becomes {@code "52998224725"}. It does not validate: any other character (letters,
     * inner spaces, {@code '/'}) is kept, so {@link #isValid(String)} still rejects the result.
     *
     * @return {@code null} for {@code null}
     */
    public static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        StringBuilder out = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c != '.' && c != '-') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Check digit over the first {@code count} digits (9 for the first check digit, 10 for the second): weights
     * {@code count+1} down to 2, then {@code (sum * 10) mod 11}, with 10 becoming 0.
     */
    static int checkDigit(int[] digits, int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += digits[i] * (count + 1 - i);
        }
        int rest = (sum * 10) % 11;
        return rest == 10 ? 0 : rest;
    }
}
