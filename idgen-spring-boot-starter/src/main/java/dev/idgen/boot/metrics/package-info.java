@NullMarked
package dev.idgen.boot.metrics;

import org.jspecify.annotations.NullMarked;
