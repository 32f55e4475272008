@NullMarked
package dev.idgen.server.health;

import org.jspecify.annotations.NullMarked;
