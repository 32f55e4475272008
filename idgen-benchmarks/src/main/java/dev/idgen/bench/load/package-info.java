@NullMarked
package dev.idgen.bench.load;

import org.jspecify.annotations.NullMarked;
