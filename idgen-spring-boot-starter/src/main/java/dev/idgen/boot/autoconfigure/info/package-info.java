@NullMarked
package dev.idgen.boot.autoconfigure.info;

import org.jspecify.annotations.NullMarked;
