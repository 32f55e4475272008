@NullMarked
package dev.idgen.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
