package io.ventra.gateway.core.store;

/**
 * Fails a store call that could not be made or did not finish in time. Thrown often during an outage, so it
 * carries no stack trace; the cause, when there is one, has the details.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    public StoreUnavailableException(String message) {
        this(message, null);
    }
}
