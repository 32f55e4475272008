@NullMarked
package dev.idgen.core;

import org.jspecify.annotations.NullMarked;
