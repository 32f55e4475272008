@NullMarked
package dev.idgen.server.openapi;

import org.jspecify.annotations.NullMarked;
