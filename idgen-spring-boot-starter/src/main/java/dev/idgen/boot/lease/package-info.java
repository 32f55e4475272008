@NullMarked
package dev.idgen.boot.lease;

import org.jspecify.annotations.NullMarked;
