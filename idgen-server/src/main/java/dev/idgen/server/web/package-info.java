@NullMarked
package dev.idgen.server.web;

import org.jspecify.annotations.NullMarked;
