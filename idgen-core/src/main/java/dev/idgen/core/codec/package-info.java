@NullMarked
package dev.idgen.core.codec;

import org.jspecify.annotations.NullMarked;
