package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one decision of the Sala de Espera, shared by the authenticator (browser and post-broker-login flows) and the
 * required action (every other way a sign-in completes: registration, password reset): does this account meet what
 * this client — and this request — requires, and if not, where does the browser go.
 */
final class Porteiro {

    /** The raw request parameters Keycloak's authorization endpoint keeps as client notes. */
    static final String NOTA_ACR = "acr_values";
    static final String NOTA_CLAIMS = "claims";

    sealed interface Decisao permits Passa, Sala, SemSegredo {
    }

    /** The account meets the requirement (or is staff). */
    record Passa(int nivelExigido) implements Decisao {
    }

    /** It does not: the room's address with the signed reference. */
    record Sala(URI destino) implements Decisao {
    }

    /** It does not, and no reference can be signed: the sign-in must fail. */
    record SemSegredo() implements Decisao {
    }

    private final SalaEsperaConfig config;
    private final Clock relogio;

    Porteiro(SalaEsperaConfig config, Clock relogio) {
        this.config = config;
        this.relogio = relogio;
    }

    Decisao decidir(RealmModel realm, AuthenticationSessionModel sessao, UserModel usuario) {
        ClientModel cliente = sessao.getClient();
        Requisito requisito = Requisito.doCliente(cliente::getAttribute).comPedido(sessao.getClientNote(NOTA_ACR), sessao.getClientNote(NOTA_CLAIMS));
        if (realm != null) {
            for (String nome : SalaEsperaAuthenticator.PAPEIS_ISENTOS) {
                RoleModel papel = realm.getRole(nome);
                if (papel != null && usuario.hasRole(papel)) {
                    return new Passa(requisito.nivel());
                }
            }
        }
        Avaliacao a = Avaliacao.avaliar(requisito, usuario.getFirstAttribute(Avaliacao.ATRIBUTO_NIVEL_CONTA), usuario.getFirstAttribute(Avaliacao.ATRIBUTO_DADOS_CONTA));
        if (a.atende()) {
            return new Passa(requisito.nivel());
        }
        if (config.segredo() == null) {
            return new SemSegredo();
        }
        long agora = relogio.instant().getEpochSecond();
        String nome = cliente.getName() == null || cliente.getName().isBlank() ? cliente.getClientId() : cliente.getName();
        String ref = new ReferenciaSala(config.segredo()).emitir(new ReferenciaSala.Dados(usuario.getId(), usuario.getUsername(), cliente.getClientId(), nome,
                requisito.orgao(), requisito.nivel(), List.copyOf(requisito.dados()), agora, agora + config.validadeSegundos(), UUID.randomUUID().toString()));
        return new Sala(destino(config.url(), ref));
    }

    /** The room's address with the reference (base64url and '.', nothing to escape). */
    static URI destino(URI sala, String ref) {
        String base = sala.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + "ref=" + ref);
    }
}
