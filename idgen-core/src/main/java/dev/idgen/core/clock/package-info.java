@NullMarked
package dev.idgen.core.clock;

import org.jspecify.annotations.NullMarked;
