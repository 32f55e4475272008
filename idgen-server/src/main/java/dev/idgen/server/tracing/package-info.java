/**
 * Keeps trace propagation cheap for the requests that carry no trace.
 */
@NullMarked
package dev.idgen.server.tracing;

import org.jspecify.annotations.NullMarked;
