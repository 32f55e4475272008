@NullMarked
package dev.idgen.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
