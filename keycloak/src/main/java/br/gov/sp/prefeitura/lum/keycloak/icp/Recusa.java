package br.gov.sp.prefeitura.lum.keycloak.icp;

/**
 * Why a certificate sign-in was refused, each with its message key in the login theme
 * (themes/prefeitura-sp/login/messages): the refusal is shown on the sign-in page, where the citizen can still
 * enter with CPF and password.
 */
public enum Recusa {
    NAO_CONFIAVEL("lumIcpNaoConfiavel"),
    EXPIRADO("lumIcpExpirado"),
    REVOGADO("lumIcpRevogado"),
    REVOGACAO_INDETERMINADA("lumIcpRevogacaoIndeterminada"),
    SEM_CPF("lumIcpSemCpf"),
    SEM_CONTA("lumIcpSemConta"),
    CPF_DIVERGENTE("lumIcpCpfDivergente"),
    CONTA_DESATIVADA("accountDisabledMessage");

    private final String mensagem;

    Recusa(String mensagem) {
        this.mensagem = mensagem;
    }

    public String mensagem() {
        return mensagem;
    }

    static Recusa de(ValidadorCadeia.Resultado r) {
        return switch (r) {
            case NAO_CONFIAVEL -> NAO_CONFIAVEL;
            case EXPIRADO -> EXPIRADO;
            case REVOGADO -> REVOGADO;
            case REVOGACAO_INDETERMINADA -> REVOGACAO_INDETERMINADA;
            case VALIDO -> throw new IllegalArgumentException("VALIDO não é recusa");
        };
    }
}
