package dev.idgen.boot.autoconfigure;

import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.lease.StaticWorkerLease;
import dev.idgen.boot.ntp.NtpDriftMonitor;
import dev.idgen.boot.ntp.NtpGuardedWorkerLease;
import dev.idgen.zookeeper.EmbeddedZooKeeper;
import dev.idgen.zookeeper.ZooKeeperLeaseSettings;
import dev.idgen.zookeeper.ZooKeeperWorkerLease;
import dev.idgen.core.IdGenerationListener;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.WorkerLease;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * An {@link IdGenerator} whose worker id comes from a ZooKeeper ensemble, configuration
 * or an embedded ZooKeeper, as {@code idgen.worker.assignment} says. There is no default:
 * without it (and without a lease of the application's own) start-up fails, and embedded
 * assignment is refused on a cloud platform ({@link WorkerAssignmentFailureAnalyzer}).
 * Every bean backs off when the application defines its own.
 *
 * <p>
 * Runs after Spring Cloud Zookeeper's auto-configuration so that its
 * {@link CuratorFramework}, when present, is reused rather than a second client built.
 */
@AutoConfiguration(afterName = "org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration")
@ConditionalOnClass(IdGenerator.class)
@EnableConfigurationProperties(IdGeneratorProperties.class)
public final class IdGeneratorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdGeneratorSettings idGeneratorSettings(IdGeneratorProperties properties) {
        return new IdGeneratorSettings(properties);
    }

    /**
     * The system clock, shifted by {@code idgen.clock.offset} (zero outside fault
     * drills).
     */
    @Bean
    @ConditionalOnMissingBean
    TimeSource idgenTimeSource(IdGeneratorProperties properties) {
        return TimeSource.systemWithOffset(properties.getClock().getOffset().toMillis());
    }

    @Bean
    @ConditionalOnMissingBean
    IdGenerator idGenerator(IdGeneratorSettings settings, IdGeneratorProperties properties, ManagedWorkerLease lease,
            TimeSource idgenTimeSource, ObjectProvider<IdGenerationListener> listeners,
            ObjectProvider<WorkerLeaseDecorator> leaseDecorators, ObjectProvider<IdGeneratorDecorator> decorators,
            ObjectProvider<WorkerLeaseLifecycle> leaseLifecycle) {
        // Created now rather than in its turn, so the claim it begins runs alongside the
        // rest of start-up.
        leaseLifecycle.ifAvailable((lifecycle) -> {
        });
        WorkerLease generatorLease = lease;
        for (WorkerLeaseDecorator decorator : leaseDecorators.orderedStream().toList()) {
            generatorLease = decorator.decorate(generatorLease);
        }
        if (generatorLease != lease) {
            // The lease must learn what the generator issued, whatever the decorators
            // forward.
            generatorLease = new TrackedByLease(generatorLease, lease);
        }
        IdGeneratorProperties.Clock clock = properties.getClock();
        IdGenerator generator = IdGenerator.builder()
            .layout(settings.layout())
            .lease(generatorLease)
            .timeSource(idgenTimeSource)
            .clockBackwardsPolicy(clock.getPolicy())
            .maxBackwardWait(clock.getMaxBackwardWait())
            .maxBorrow(clock.getMaxBorrow())
            .listener(listener(listeners.orderedStream().toList()))
            .build();
        for (IdGeneratorDecorator decorator : decorators.orderedStream().toList()) {
            generator = decorator.decorate(generator);
        }
        return generator;
    }

    /**
     * A decorated lease whose generators are tracked by the lease that releases the
     * worker id.
     */
    private record TrackedByLease(WorkerLease decorated, WorkerLease releasing) implements WorkerLease {

        @Override
        public LeaseWindow window() {
            return decorated.window();
        }

        @Override
        public void track(IssuedIds issued) {
            releasing.track(issued);
        }
    }

    private static IdGenerationListener listener(List<IdGenerationListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> IdGenerationListener.NOOP;
            case 1 -> listeners.get(0);
            default -> new CompositeIdGenerationListener(listeners);
        };
    }

    @Bean
    @ConditionalOnMissingBean
    WorkerLeaseLifecycle idgenWorkerLeaseLifecycle(ManagedWorkerLease lease, IdGeneratorProperties properties) {
        return new WorkerLeaseLifecycle(lease, properties.getWorker().getStartupTimeout());
    }

    /**
     * This node's host name, without a DNS lookup when the environment already says it.
     */
    static @Nullable String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            fromEnvironment = System.getenv("COMPUTERNAME");
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "static")
    static class StaticLeaseConfiguration {

        @Bean
        @ConditionalOnMissingBean(ManagedWorkerLease.class)
        StaticWorkerLease idgenWorkerLease(IdGeneratorSettings settings) {
            return new StaticWorkerLease(settings.staticWorkerId(),
                    settings.nodeName(IdGeneratorAutoConfiguration::hostName));
        }

    }

    /**
     * With no assignment configured and no lease of the application's own: no worker id
     * can be chosen safely, so start-up fails here, explained by
     * {@link WorkerAssignmentFailureAnalyzer}.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnNoAssignmentCondition.class)
    static class NoAssignmentConfiguration {

        @Bean
        @ConditionalOnMissingBean(ManagedWorkerLease.class)
        ManagedWorkerLease idgenWorkerLease() {
            throw WorkerAssignmentException.missing();
        }

    }

    /**
     * Backs off entirely when the application brings its own lease: no server or client
     * it would not use.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CuratorFramework.class)
    @Conditional(OnLeasedAssignmentCondition.class)
    @ConditionalOnMissingBean(ManagedWorkerLease.class)
    static class ZooKeeperLeaseConfiguration {

        /**
         * The embedded server; only for assignment "embedded" and when the application
         * has no CuratorFramework of its own (then that client's ZooKeeper is used
         * instead). Refused on a cloud platform, where replicas would each run one and
         * issue the same ids. Started here because its port (possibly chosen at random)
         * must be known before the client is built; it binds the loopback address only,
         * so this contacts no remote host.
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean({ EmbeddedZooKeeper.class, CuratorFramework.class })
        @ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "embedded")
        EmbeddedZooKeeper idgenEmbeddedZooKeeper(IdGeneratorSettings settings, IdGeneratorProperties properties,
                Environment environment) {
            CloudPlatform platform = CloudPlatform.getActive(environment);
            if (platform != null && platform != CloudPlatform.NONE) {
                throw WorkerAssignmentException.embeddedOn(platform);
            }
            int port = settings.zooKeeper().embeddedPort();
            String configured = properties.getZookeeper().getEmbedded().getDataDir();
            // Beside the durable floor by default: java.io.tmpdir is cleared at boot on
            // many hosts.
            Path dataDir = (configured != null && !configured.isBlank()) ? Path.of(configured)
                    : (port != 0) ? settings.stateDir().resolve("zookeeper").resolve(Integer.toString(port)) : null;
            EmbeddedZooKeeper server = new EmbeddedZooKeeper(port, dataDir);
            server.start();
            return server;
        }

        /**
         * The lease's settings, validated in one place: {@link ZooKeeperLeaseSettings}.
         */
        @Bean
        @ConditionalOnMissingBean
        ZooKeeperLeaseSettings idgenZooKeeperLeaseSettings(IdGeneratorSettings settings, Environment environment) {
            return settings.zooKeeper()
                .zooKeeperLeaseSettings(settings.nodeName(IdGeneratorAutoConfiguration::hostName), hostName(),
                        environment.getProperty("server.port", Integer.class, 0));
        }

        /**
         * A client of the embedded server or of {@code idgen.zookeeper.connect-string}.
         * {@code start()} only begins connecting in the background: nothing here waits
         * for ZooKeeper.
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        CuratorFramework idgenCuratorFramework(IdGeneratorSettings settings, ZooKeeperLeaseSettings leaseSettings,
                ObjectProvider<EmbeddedZooKeeper> embedded) {
            EmbeddedZooKeeper server = embedded.getIfAvailable();
            String connectString = (server != null) ? server.connectString()
                    : settings.zooKeeper().requiredConnectString();
            Duration sessionTimeout = leaseSettings.sessionTimeout();
            Duration connectionTimeout = sessionTimeout.compareTo(Duration.ofSeconds(15)) < 0 ? sessionTimeout
                    : Duration.ofSeconds(15);
            CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
                .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 5000));
            settings.zooKeeper().authenticate(builder);
            CuratorFramework client = builder.build();
            client.start();
            return client;
        }

        @Bean
        @ConditionalOnMissingBean(ManagedWorkerLease.class)
        ZooKeeperWorkerLease idgenWorkerLease(CuratorFramework client, ZooKeeperLeaseSettings leaseSettings,
                TimeSource idgenTimeSource) {
            return new ZooKeeperWorkerLease(client, leaseSettings, idgenTimeSource);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.commons.net.ntp.NTPUDPClient")
    @Conditional(OnNtpServersCondition.class)
    static class NtpDriftConfiguration {

        @Bean(initMethod = "start", destroyMethod = "close")
        @ConditionalOnMissingBean
        NtpDriftMonitor idgenNtpDriftMonitor(IdGeneratorSettings settings, IdGeneratorProperties properties,
                TimeSource idgenTimeSource) {
            IdGeneratorProperties.Ntp ntp = properties.getClock().getNtp();
            return new NtpDriftMonitor(settings.ntpServers(), ntp.getInterval(), ntp.getWarnThreshold(),
                    ntp.getCriticalThreshold(), idgenTimeSource);
        }

        @Bean
        @ConditionalOnBooleanProperty("idgen.clock.ntp.refuse-on-critical")
        WorkerLeaseDecorator idgenNtpRefuseOnCritical(NtpDriftMonitor idgenNtpDriftMonitor) {
            return (lease) -> new NtpGuardedWorkerLease(lease, idgenNtpDriftMonitor);
        }

    }

    /** Matches assignments that lease from ZooKeeper: "embedded" and "zookeeper". */
    static final class OnLeasedAssignmentCondition extends AnyNestedCondition {

        OnLeasedAssignmentCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "embedded")
        static final class EmbeddedAssignment {

        }

        @ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "zookeeper")
        static final class ZooKeeperAssignment {

        }

    }

    /**
     * Matches when {@code idgen.worker.assignment} is not set, in any property format.
     */
    static final class OnNoAssignmentCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean bound = Binder.get(context.getEnvironment())
                .bind(WorkerAssignmentException.PROPERTY, String.class)
                .isBound();
            return bound ? ConditionOutcome.noMatch(WorkerAssignmentException.PROPERTY + " is set")
                    : ConditionOutcome.match(WorkerAssignmentException.PROPERTY + " is not set");
        }

    }

    /**
     * Matches when {@code idgen.clock.ntp.servers} lists at least one server, in any
     * property format.
     */
    static final class OnNtpServersCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> servers = Binder.get(context.getEnvironment())
                .bind("idgen.clock.ntp.servers", Bindable.listOf(String.class))
                .orElse(List.of());
            return servers.isEmpty() ? ConditionOutcome.noMatch("idgen.clock.ntp.servers is empty")
                    : ConditionOutcome.match("idgen.clock.ntp.servers lists " + servers);
        }

    }

}
