package dev.idgen.boot.autoconfigure;

import java.util.function.Consumer;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Initializes the ZooKeeper client's TLS defaults on a background thread while Spring
 * Boot builds the context, for a node that leases its worker id from ZooKeeper
 * ({@code idgen.worker.assignment} {@code embedded} or {@code zookeeper}).
 *
 * <p>
 * Why: ZooKeeper's {@code X509Util} sets up the JDK's default TLS context in a static
 * initializer, only to log the default protocol, whether or not the client uses TLS. The
 * first client built paid for it on the main thread: 0.4 to 1 s of start-up measured
 * here, most of the Curator client's share. Done here, it overlaps the configuration
 * parsing that follows on the main thread. The initializer touches only the JDK and
 * SLF4J, so it cannot deadlock with the main thread; if the main thread needs the class
 * first, it waits for this initialization as it would have run it itself.
 *
 * <p>
 * Like Spring Boot's own background pre-initializer it stays off with
 * {@code -Dspring.backgroundpreinitializer.ignore=true} and on a single CPU. Registered
 * in {@code META-INF/spring.factories}; ordered after logging is set up, since the
 * initializer logs.
 */
public final class ZooKeeperClientPreinitializer
        implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The class whose static initializer sets up the TLS defaults. */
    static final String TLS_DEFAULTS_CLASS = "org.apache.zookeeper.common.X509Util";

    private final Consumer<Runnable> background;

    public ZooKeeperClientPreinitializer() {
        this(ZooKeeperClientPreinitializer::startDaemon);
    }

    ZooKeeperClientPreinitializer(Consumer<Runnable> background) {
        this.background = background;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (wanted(event.getEnvironment(), Runtime.getRuntime().availableProcessors())) {
            ClassLoader classLoader = event.getSpringApplication().getClassLoader();
            background.accept(() -> initialize(classLoader));
        }
    }

    static boolean wanted(Environment environment, int processors) {
        if (Boolean.getBoolean("spring.backgroundpreinitializer.ignore") || processors < 2) {
            return false;
        }
        String assignment = environment.getProperty("idgen.worker.assignment", "").trim();
        return assignment.equalsIgnoreCase("embedded") || assignment.equalsIgnoreCase("zookeeper");
    }

    static void initialize(ClassLoader classLoader) {
        try {
            Class.forName(TLS_DEFAULTS_CLASS, true, classLoader);
        }
        catch (ClassNotFoundException | LinkageError | RuntimeException ex) {
            // Only a head start: without ZooKeeper on the class path, or if the
            // initializer fails, the client reports it itself when it is built.
        }
    }

    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "idgen-zookeeper-preinit");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

}
