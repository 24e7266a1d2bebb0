package br.gov.sp.prefeitura.lum.keycloak.avisos;

import java.util.HashMap;
import java.util.Map;

import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Sends the notice through Keycloak's own e-mail path: {@link EmailTemplateProvider} (the realm's e-mail theme, the
 * user's locale) and the realm's SMTP settings. Only to an enabled user with a VERIFIED e-mail address: an unverified
 * address may be someone else's, and even a content-free notice tells its reader that the account exists.
 */
public final class EnvioAviso {

    /** Template of the notice in the e-mail theme: {@code html/lum-aviso.ftl} and {@code text/lum-aviso.ftl}. */
    public static final String TEMPLATE = "lum-aviso.ftl";

    /** What happened: sent, or why not (never an exception for a user that cannot receive it). */
    public enum Resultado {
        ENVIADO, SEM_EMAIL_VERIFICADO, DESATIVADO
    }

    private EnvioAviso() {
    }

    public static Resultado enviar(EmailTemplateProvider email, RealmModel realm, UserModel user, PedidoAviso pedido) throws EmailException {
        if (!user.isEnabled()) {
            return Resultado.DESATIVADO;
        }
        String endereco = user.getEmail();
        if (endereco == null || endereco.isBlank() || !user.isEmailVerified()) {
            return Resultado.SEM_EMAIL_VERIFICADO;
        }
        // A mutable map: the template provider adds its own attributes (locale, properties, realmName, user…) to it.
        Map<String, Object> atributos = new HashMap<>();
        atributos.put("motivo", pedido.motivo().nome());
        email.setRealm(realm).setUser(user).send(pedido.motivo().chaveAssunto(), TEMPLATE, atributos);
        return Resultado.ENVIADO;
    }
}
