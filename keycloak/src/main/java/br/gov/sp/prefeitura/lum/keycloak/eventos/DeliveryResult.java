package br.gov.sp.prefeitura.lum.keycloak.eventos;

/**
 * Final outcome of one {@link Delivery}.
 *
 * @param status         what happened
 * @param attempts       HTTP attempts actually made (0 when dropped before the first one)
 * @param lastHttpStatus status code of the last HTTP response, or -1 when the last attempt got none
 */
public record DeliveryResult(Status status, int attempts, int lastHttpStatus) {

    public enum Status {
        /** The API answered 2xx, or 409 (it already had this event id). */
        DELIVERED,
        /** The API answered another 4xx (or an unexpected 1xx/3xx): not retried. */
        REJECTED,
        /** Every attempt failed with 5xx, a network error or a timeout. */
        GAVE_UP,
        /** Never attempted, or abandoned: queue full, or the executor was shut down. */
        DROPPED
    }

    public boolean delivered() {
        return status == Status.DELIVERED;
    }
}
