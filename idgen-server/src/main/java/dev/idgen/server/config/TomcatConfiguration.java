package dev.idgen.server.config;

import dev.idgen.server.web.ProblemErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Tomcat settings that properties cannot express. */
@Configuration(proxyBeanMethods = false)
public class TomcatConfiguration {

    /** The property whose absence lets {@link #requestThreads(int)} size the pool. */
    static final String MAX_THREADS = "server.tomcat.threads.max";

    /**
     * Tomcat's request threads (on platform threads: Java 17-20), unless
     * {@code server.tomcat.threads.max} is set: twice the CPUs, at least 4. An issuing
     * request is tens of microseconds of CPU and never blocks, so threads beyond the
     * cores only queue for a CPU, and they queue in the scheduler, where a request can
     * wait a whole time slice behind the others: on 2 cores, 32 connections, the p99 was
     * 2.3-2.7 ms with 4 threads, 5.2-5.4 ms with 8, 6.9-8.1 with 16 and 7.5-9.0 with 32
     * (Tomcat's default is 200), for the same throughput (docs/benchmarks.md). Twice the
     * cores, not once, so that a thread blocked writing a large batch to a slow reader
     * does not idle a core. With virtual threads (Java 21+) there is no pool.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> requestThreadsCustomizer(Environment environment) {
        return factory -> {
            if (environment.containsProperty(MAX_THREADS)) {
                return;
            }
            int threads = requestThreads(Runtime.getRuntime().availableProcessors());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setMaxThreads(threads);
                    protocol.setMinSpareThreads(threads);
                }
            });
        };
    }

    static int requestThreads(int cpus) {
        return Math.max(4, 2 * cpus);
    }

    /**
     * Requests Tomcat refuses before Spring MVC sees them get a problem body too. Set on
     * the host while the context is configured: the host is not started yet, and it
     * installs the valve when it starts.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValveCustomizer() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

}
