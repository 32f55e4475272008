@NullMarked
package dev.idgen.server.config;

import org.jspecify.annotations.NullMarked;
