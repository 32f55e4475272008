@NullMarked
package dev.idgen.bench.jmh;

import org.jspecify.annotations.NullMarked;
