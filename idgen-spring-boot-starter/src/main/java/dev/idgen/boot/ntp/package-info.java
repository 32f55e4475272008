@NullMarked
package dev.idgen.boot.ntp;

import org.jspecify.annotations.NullMarked;
