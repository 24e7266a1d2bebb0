package br.gov.sp.prefeitura.lum.keycloak.sala;

import java.net.URI;
import java.util.function.Function;

import org.jboss.logging.Logger;

/**
 * Where the Sala de Espera is and how references are signed, from the process environment:
 * {@code LUM_SALA_URL} (default: the origin of {@code LUM_EVENTS_URL} + {@code /sala-espera}, i.e. the API that
 * receives the events), {@code LUM_EVENTS_HMAC_SECRET} (the key is derived from it, see {@link ReferenciaSala}) and
 * {@code LUM_SALA_VALIDADE_S} (lifetime of a reference, default 900 s, 60–3600).
 */
public record SalaEsperaConfig(URI url, String segredo, long validadeSegundos) {

    private static final Logger LOG = Logger.getLogger(SalaEsperaConfig.class);
    static final String PADRAO_EVENTOS = "http://127.0.0.1:3000/eventos/keycloak";
    static final long VALIDADE_PADRAO = 900;

    public static SalaEsperaConfig doAmbiente(Function<String, String> env) {
        String url = env.apply("LUM_SALA_URL");
        URI destino;
        if (url != null && !url.isBlank()) {
            destino = URI.create(url.trim());
        } else {
            String eventos = env.apply("LUM_EVENTS_URL");
            URI e = URI.create(eventos == null || eventos.isBlank() ? PADRAO_EVENTOS : eventos.trim());
            destino = e.resolve("/sala-espera");
        }
        String segredo = env.apply("LUM_EVENTS_HMAC_SECRET");
        long validade = VALIDADE_PADRAO;
        String v = env.apply("LUM_SALA_VALIDADE_S");
        if (v != null && !v.isBlank()) {
            try {
                long x = Long.parseLong(v.trim());
                if (x >= 60 && x <= 3600) {
                    validade = x;
                } else {
                    LOG.warnf("lum-sala-espera: LUM_SALA_VALIDADE_S=%s outside 60..3600; using %d", v, VALIDADE_PADRAO);
                }
            } catch (NumberFormatException ex) {
                LOG.warnf("lum-sala-espera: LUM_SALA_VALIDADE_S=%s is not a number; using %d", v, VALIDADE_PADRAO);
            }
        }
        return new SalaEsperaConfig(destino, segredo == null || segredo.isBlank() ? null : segredo, validade);
    }
}
