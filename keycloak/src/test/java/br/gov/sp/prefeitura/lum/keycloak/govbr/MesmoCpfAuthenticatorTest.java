package br.gov.sp.prefeitura.lum.keycloak.govbr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MesmoCpfAuthenticatorTest {

    private static final String CPF = "52998224725";
    private static final Map<String, String> USERS = Map.of("u-cpf", CPF, "u-email", "11144477735");

    private static String nota(String atributo, String valor, String id) {
        return "{\"existingUserId\":\"" + id + "\",\"duplicateAttributeName\":\"" + atributo
                + "\",\"duplicateAttributeValue\":\"" + valor + "\"}";
    }

    private static boolean mesmoCpf(String nota) {
        return MesmoCpfAuthenticator.mesmoCpf(nota, USERS::get);
    }

    @Test
    void givenAccountFoundByTheCpfUsername_thenLinkMayGoOn() {
        assertTrue(mesmoCpf(nota("username", CPF, "u-cpf")));
    }

    @Test
    void givenAccountFoundByEmail_thenRefused() {
        assertFalse(mesmoCpf(nota("email", "maria@example.com", "u-email")));
    }

    @Test
    void givenUsernameThatIsNotACpf_thenRefused() {
        assertFalse(mesmoCpf(nota("username", "maria.silva", "u-cpf")));
    }

    @Test
    void givenNoteWhoseUserHasAnotherUsername_thenRefused() {
        assertFalse(mesmoCpf(nota("username", CPF, "u-email")));
    }

    @Test
    void givenUserGone_thenRefused() {
        assertFalse(mesmoCpf(nota("username", CPF, "u-sumiu")));
    }

    @Test
    void givenNoNoteOrGarbage_thenRefused() {
        assertFalse(mesmoCpf(null));
        assertFalse(mesmoCpf("{nao é json"));
        assertFalse(mesmoCpf("{}"));
    }

    @Test
    void factoryIsTheOneTheRealmNames() {
        assertEquals("lum-govbr-mesmo-cpf", new MesmoCpfAuthenticatorFactory().getId());
    }
}
