package dev.idgen.server.web;

import dev.idgen.core.RefusalReason;
import java.net.URI;

/**
 * The {@code type} URIs of this API's problems (RFC 9457). URNs rather than URLs: they
 * identify the kind of problem without promising a page to fetch.
 */
public final class ProblemTypes {

    /** A query or path parameter is missing, duplicated, unknown or malformed. */
    public static final URI INVALID_PARAMETER = URI.create("urn:idgen:problem:invalid-parameter");

    private static final String REFUSED_PREFIX = "urn:idgen:problem:refused:";

    private ProblemTypes() {
    }

    /** The type of a refusal, e.g. {@code urn:idgen:problem:refused:clock_backwards}. */
    public static URI refused(RefusalReason reason) {
        return URI.create(REFUSED_PREFIX + reason.tag());
    }

    /** A short, stable title for a refusal. */
    public static String refusedTitle(RefusalReason reason) {
        return switch (reason) {
            case CLOCK_BACKWARDS -> "Clock moved backwards";
            case LEASE_EXPIRED -> "Worker lease not active";
            case LEASE_NOT_YET_VALID -> "Worker lease not yet valid";
            case TIMESTAMP_OUT_OF_RANGE -> "Clock outside the id layout's range";
        };
    }

}
