@NullMarked
package dev.idgen.server.jvm;

import org.jspecify.annotations.NullMarked;
