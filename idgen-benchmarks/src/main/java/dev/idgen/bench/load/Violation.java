package dev.idgen.bench.load;

/**
 * One broken promise found in the ids a run collected.
 *
 * @param kind which rule was broken
 * @param node index of the node (in the order of the base URLs) or -1 when no single node
 * is to blame
 * @param message what was seen, with the ids and times involved
 */
public record Violation(Kind kind, int node, String message) {

    /**
     * The rules {@link IdVerifier} checks; see its class comment for their exact
     * definitions.
     */
    public enum Kind {

        /** An id was received more than once, from any node or nodes. */
        DUPLICATE,
        /**
         * A node returned an id not greater than one it returned earlier on the same
         * request stream.
         */
        NOT_INCREASING,
        /**
         * An id's timestamp lies outside the request's send-to-receive time, widened by
         * the tolerance.
         */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** A node issued ids under two worker ids in the same millisecond. */
        TWO_WORKER_IDS_ON_ONE_NODE,
        /** Two nodes held the same worker id over overlapping periods. */
        ONE_WORKER_ID_ON_TWO_NODES,
        /**
         * A successful response that was not the JSON the API promises, or had the wrong
         * number of ids.
         */
        MALFORMED_RESPONSE

    }

    @Override
    public String toString() {
        return kind + (node >= 0 ? " [node " + node + "]" : "") + ": " + message;
    }
}
