@NullMarked
package dev.idgen.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
