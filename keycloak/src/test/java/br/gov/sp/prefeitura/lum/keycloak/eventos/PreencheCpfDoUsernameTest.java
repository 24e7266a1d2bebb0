package br.gov.sp.prefeitura.lum.keycloak.eventos;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

@ExtendWith(MockitoExtension.class)
class PreencheCpfDoUsernameTest {

    @Mock
    private UserModel user;

    @Test
    void givenValidCpfUsernameAndNoCpf_whenFill_thenAttributeSetToUsername() {
        when(user.getUsername()).thenReturn("52998224725");
        when(user.getAttributeStream("cpf")).thenReturn(Stream.empty());

        assertTrue(PreencheCpfDoUsername.fill(user, "ev"));

        verify(user).setSingleAttribute("cpf", "52998224725");
    }

    @Test
    void givenOnlyBlankCpfValue_whenFill_thenTreatedAsEmptyAndSet() {
        when(user.getUsername()).thenReturn("52998224725");
        when(user.getAttributeStream("cpf")).thenReturn(Stream.of(" "));

        assertTrue(PreencheCpfDoUsername.fill(user, "ev"));

        verify(user).setSingleAttribute("cpf", "52998224725");
    }

    @Test
    void givenAttributeStreamNull_whenFill_thenTreatedAsEmptyAndSet() {
        when(user.getUsername()).thenReturn("52998224725");
        when(user.getAttributeStream("cpf")).thenReturn(null);

        assertTrue(PreencheCpfDoUsername.fill(user, "ev"));

        verify(user).setSingleAttribute("cpf", "52998224725");
    }

    @Test
    void givenExistingDifferentCpf_whenFill_thenNotOverwritten() {
        when(user.getUsername()).thenReturn("52998224725");
        when(user.getAttributeStream("cpf")).thenReturn(Stream.of("11144477735"));

        assertFalse(PreencheCpfDoUsername.fill(user, "ev"));

        verify(user, never()).setSingleAttribute(anyString(), anyString());
    }

    @Test
    void givenInvalidOrFormattedUsername_whenFill_thenNothingSet() {
        for (String username : new String[] {"52998224724", "11111111111", "529.982.247-25", "maria", null}) {
            when(user.getUsername()).thenReturn(username);
            assertFalse(PreencheCpfDoUsername.fill(user, "ev"), String.valueOf(username));
        }
        verify(user, never()).setSingleAttribute(anyString(), anyString());
    }

    @Test
    void givenNullUser_whenFill_thenNothingAndNoException() {
        assertFalse(PreencheCpfDoUsername.fill(null, "ev"));
    }

    @Test
    void givenWriteFails_whenFill_thenReturnsFalseWithoutThrowing() {
        when(user.getUsername()).thenReturn("52998224725");
        when(user.getAttributeStream("cpf")).thenReturn(Stream.empty());
        doThrow(new IllegalStateException("read-only")).when(user).setSingleAttribute(anyString(), anyString());

        assertDoesNotThrow(() -> assertFalse(PreencheCpfDoUsername.fill(user, "ev")));
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"REGISTER", "IDENTITY_PROVIDER_FIRST_LOGIN"})
    void givenRegisterOrFirstBrokerLogin_thenApplies(EventType type) {
        assertTrue(PreencheCpfDoUsername.appliesTo(type));
    }

    @Test
    void givenAnyOtherEventType_thenDoesNotApply() {
        for (EventType type : EventType.values()) {
            if (type != EventType.REGISTER && type != EventType.IDENTITY_PROVIDER_FIRST_LOGIN) {
                assertFalse(PreencheCpfDoUsername.appliesTo(type), type.name());
            }
        }
    }

    @Test
    void givenNullType_thenDoesNotApply() {
        assertFalse(PreencheCpfDoUsername.appliesTo(null));
    }
}
