@NullMarked
package dev.idgen.boot.health;

import org.jspecify.annotations.NullMarked;
