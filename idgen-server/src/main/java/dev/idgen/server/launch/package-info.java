/**
 * How the executable jar starts: Spring Boot's launcher with a class loader that finds
 * classes through the build's index of the nested jars. Runs before Spring, from the
 * jar's root; nothing in the application depends on it.
 */
@NullMarked
package dev.idgen.server.launch;

import org.jspecify.annotations.NullMarked;
