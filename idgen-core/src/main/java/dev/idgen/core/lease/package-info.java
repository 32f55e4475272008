@NullMarked
package dev.idgen.core.lease;

import org.jspecify.annotations.NullMarked;
