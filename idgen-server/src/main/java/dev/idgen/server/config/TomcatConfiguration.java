package dev.idgen.server.config;

import dev.idgen.server.web.ProblemErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.apache.coyote.http11.Http11Nio2Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Tomcat settings that properties cannot express. */
@Configuration(proxyBeanMethods = false)
public class TomcatConfiguration {

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

    /**
     * The connector's protocol: {@link #connectorProtocol(boolean)}.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectorProtocolCustomizer(Environment environment) {
        return factory -> factory.setProtocol(connectorProtocol(Threading.VIRTUAL.isActive(environment)));
    }

    /**
     * NIO2 on platform threads, NIO on virtual threads.
     *
     * <p>
     * Why NIO2: an issuing request is a few microseconds of work, so the connector's own
     * cost shows. Measured side by side on 2 cores with Java 17 (wrk at 32 and 256
     * connections, NIO and NIO2 alternating over five rounds, see docs/benchmarks.md),
     * the server used 43–45 µs of CPU per request on NIO2 (68 in one noisy round) where
     * NIO used 49–55 µs, and served 4–13% more at 256 connections.
     *
     * <p>
     * Why not NIO2 on virtual threads: NIO2 needs an executor of its own for its
     * asynchronous channel group. Given Tomcat's virtual-thread executor it warns and
     * falls back to the JDK's shared group, so there NIO, which virtual threads were made
     * for, stays.
     * @param virtualThreads whether Tomcat runs requests on virtual threads
     * @return the class name of the protocol handler
     */
    static String connectorProtocol(boolean virtualThreads) {
        return (virtualThreads ? Http11NioProtocol.class : Http11Nio2Protocol.class).getName();
    }

}
