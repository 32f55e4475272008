@NullMarked
package dev.idgen.server.discovery;

import org.jspecify.annotations.NullMarked;
