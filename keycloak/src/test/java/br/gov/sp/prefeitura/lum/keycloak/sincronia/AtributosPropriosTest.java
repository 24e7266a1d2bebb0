package br.gov.sp.prefeitura.lum.keycloak.sincronia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AtributosPropriosTest {

    @Test
    void defaultOwnsTheLevelAndTheEvidenceSummary() {
        assertEquals(Set.of("nivel_confianca", "lastro", "dados_complementares"), new AtributosProprios(null).nomes());
        assertEquals(Set.of("nivel_confianca", "resumo_evidencias"), new AtributosProprios(" nivel_confianca , resumo_evidencias ").nomes());
    }

    @Test
    void acceptsOwnedAttributesNullAndEnabled() {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("nivel_confianca", "3");
        AtributosProprios.Pedido p = new AtributosProprios(null).validar(Map.of("atributos", attrs, "habilitado", false));
        assertEquals(Map.of("nivel_confianca", "3"), p.atributos());
        assertEquals(Boolean.FALSE, p.habilitado());
        attrs.put("nivel_confianca", null);
        assertEquals(null, new AtributosProprios(null).validar(Map.of("atributos", attrs)).atributos().get("nivel_confianca"));
    }

    @Test
    void refusesEverythingElseNamingIt() {
        AtributosProprios a = new AtributosProprios(null);
        assertEquals("Atributo não pertence à API de cadastro: email (permitidos: dados_complementares, lastro, nivel_confianca)",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of("email", "x@y")))).getMessage());
        assertEquals("Campos desconhecidos: firstName",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "firstName", "A"))).getMessage());
        assertEquals("Valor de nivel_confianca deve ser texto ou null",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of("nivel_confianca", 3)))).getMessage());
        assertEquals("habilitado deve ser true ou false",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "habilitado", "sim"))).getMessage());
        assertEquals("atributos deve ser um objeto", assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of())).getMessage());
        assertEquals("Valor de nivel_confianca excede 2048 caracteres",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of("nivel_confianca", "9".repeat(2049))))).getMessage());
    }

    @Test
    void aBatchIsValidatedWholeNamingTheBadItem() {
        AtributosProprios a = new AtributosProprios(null);
        java.util.List<AtributosProprios.ItemLote> lote = a.validarLote(Map.of("itens", java.util.List.of(
                Map.of("id", "u-1", "atributos", Map.of("nivel_confianca", "3")),
                Map.of("id", "u-2", "atributos", Map.of("nivel_confianca", "2"), "habilitado", false))));
        assertEquals(2, lote.size());
        assertEquals("u-1", lote.get(0).id());
        assertEquals(Map.of("nivel_confianca", "3"), lote.get(0).pedido().atributos());
        assertEquals(null, lote.get(0).pedido().habilitado());
        assertEquals("u-2", lote.get(1).id());
        assertEquals(Boolean.FALSE, lote.get(1).pedido().habilitado());

        assertEquals("itens[1]: Atributo não pertence à API de cadastro: email (permitidos: dados_complementares, lastro, nivel_confianca)",
                assertThrows(IllegalArgumentException.class, () -> a.validarLote(Map.of("itens", java.util.List.of(
                        Map.of("id", "u-1", "atributos", Map.of()), Map.of("id", "u-2", "atributos", Map.of("email", "x@y")))))).getMessage());
        assertEquals("itens[0]: id deve ser o identificador do usuário",
                assertThrows(IllegalArgumentException.class, () -> a.validarLote(Map.of("itens", java.util.List.of(Map.of("atributos", Map.of()))))).getMessage());
        assertEquals("itens deve ser uma lista não vazia",
                assertThrows(IllegalArgumentException.class, () -> a.validarLote(Map.of("itens", java.util.List.of()))).getMessage());
        assertEquals("Campos desconhecidos: usuarios",
                assertThrows(IllegalArgumentException.class, () -> a.validarLote(Map.of("usuarios", java.util.List.of()))).getMessage());
        java.util.List<Object> grande = new java.util.ArrayList<>();
        for (int i = 0; i < 201; i++) {
            grande.add(Map.of("id", "u-" + i, "atributos", Map.of()));
        }
        assertEquals("Lote com 201 itens excede o máximo de 200",
                assertThrows(IllegalArgumentException.class, () -> a.validarLote(Map.of("itens", grande))).getMessage());
    }

    @Test
    void theProfileOfATiedAccountIsValidatedFieldByField() {
        AtributosProprios a = new AtributosProprios(null);
        AtributosProprios.Perfil p = a.validar(Map.of("atributos", Map.of(), "perfil",
                Map.of("firstName", "Maria", "lastName", "da Silva", "email", "maria@exemplo.test", "emailVerificado", true))).perfil();
        assertEquals(new AtributosProprios.Perfil("Maria", "da Silva", "maria@exemplo.test", true), p);
        assertEquals(new AtributosProprios.Perfil("Luna", null, null, null),
                a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("firstName", "Luna"))).perfil());
        assertEquals(null, a.validar(Map.of("atributos", Map.of())).perfil());
        assertEquals("perfil.firstName é obrigatório",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("lastName", "Silva")))).getMessage());
        assertEquals("Campo desconhecido em perfil: username",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("firstName", "A", "username", "x")))).getMessage());
        assertEquals("perfil.email não é um endereço de e-mail",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("firstName", "A", "email", "sem-arroba")))).getMessage());
        assertEquals("perfil.lastName excede 255 caracteres",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("firstName", "A", "lastName", "b".repeat(256))))).getMessage());
        assertEquals("perfil.emailVerificado deve ser true ou false",
                assertThrows(IllegalArgumentException.class, () -> a.validar(Map.of("atributos", Map.of(), "perfil", Map.of("firstName", "A", "emailVerificado", "sim")))).getMessage());
    }
}
