@NullMarked
package dev.idgen.server;

import org.jspecify.annotations.NullMarked;
