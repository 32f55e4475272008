package dev.idgen.server.jvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Loads, on one background thread, the classes a start of this server is known to need,
 * while the main thread starts the application.
 *
 * <p>
 * Why: with a plain {@code java -jar} most of a start is the main thread loading about
 * 7,000 classes from the jar one after the other, while the second core of a small node
 * waits. The list ({@value #LIST}, one binary class name per line, in the order a start
 * loaded them) is written by {@code idgen-server/preload-classes.sh} from a real start of
 * the server; the build also orders the jar's nested libraries by it
 * ({@code NestedJarOrder} in {@code src/build}). Loading a class here does not initialize
 * it: no static initializer runs earlier or on another thread than it would anyway, so
 * the order of side effects is the application's own. A name missing from the class path
 * (the list is from an older build) is skipped; the main thread loads whatever the list
 * lacks, as without it. The thread stops at readiness: what the list still holds then is
 * not needed by this start. The production launch (a class-data archive) gets its classes
 * faster still, and this thread then finds them loaded.
 *
 * <p>
 * Measured on 2 cores (docs/benchmarks.md): a restart to ready 9% shorter on JDK 17 (3.92
 * to 3.56 s) and 12% on JDK 25 (3.95 to 3.47 s).
 */
public final class ClassPreloader implements ApplicationListener<ApplicationReadyEvent> {

    /** Where the list is, on the class path. */
    static final String LIST = "META-INF/idgen/preload-classes.txt";

    /**
     * JVM system property that turns preloading off when {@code false} (read before
     * Spring starts, so not an application property). {@code preload-classes.sh} writes
     * the list from a start with it off.
     */
    static final String ENABLED_PROPERTY = "idgen.server.preload-classes";

    private static final Logger logger = LoggerFactory.getLogger(ClassPreloader.class);

    /** The names to load; read on the preloading thread, not in {@code main}. */
    private final Supplier<List<String>> names;

    private final ClassLoader loader;

    private final Thread thread;

    private volatile boolean stopped;

    private volatile int loaded;

    private volatile int missing;

    private volatile int listed;

    private volatile long elapsedNanos;

    ClassPreloader(Supplier<List<String>> names, ClassLoader loader) {
        this.names = names;
        this.loader = loader;
        this.thread = new Thread(this::preload, "idgen-class-preload");
        this.thread.setDaemon(true);
    }

    /**
     * Starts loading the listed classes with the thread's context class loader (in a
     * {@code java -jar} launch, the jar's). Call it first in {@code main}; register the
     * result as a listener, so that it stops at readiness.
     */
    public static ClassPreloader start() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ClassPreloader.class.getClassLoader();
        }
        ClassLoader listLoader = loader;
        boolean enabled = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY));
        return new ClassPreloader(enabled ? () -> read(listLoader) : List::of, loader).begin();
    }

    ClassPreloader begin() {
        thread.start();
        return this;
    }

    /** The listed names, or none if the list is missing or unreadable. */
    static List<String> read(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
        }
        catch (IOException ex) {
            // Only a start-up aid: without the list the start is as it would be anyway.
            logger.debug("Could not read {}: {}", LIST, ex.toString());
            names.clear();
        }
        return names;
    }

    private void preload() {
        long started = System.nanoTime();
        int loadedCount = 0;
        int missingCount = 0;
        List<String> list = names.get();
        listed = list.size();
        for (String name : list) {
            if (stopped) {
                break;
            }
            try {
                Class.forName(name, false, loader);
                loadedCount++;
            }
            catch (ClassNotFoundException | LinkageError ex) {
                missingCount++; // the main thread gets the same answer if it ever asks
            }
        }
        loaded = loadedCount;
        missing = missingCount;
        elapsedNanos = System.nanoTime() - started;
    }

    /** Asks the thread to stop before its next class. */
    void stop() {
        stopped = true;
    }

    /** Waits for the whole list, for tests. */
    boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    /** Classes loaded from the list (or found loaded already) when the thread ended. */
    int loaded() {
        return loaded;
    }

    /** Listed names the class path did not have. */
    int missing() {
        return missing;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        stop();
        try {
            thread.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        logger.debug("Preloaded {} of {} listed classes in {} ms ({} not on the class path)", loaded, listed,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), missing);
    }

}
