package dev.idgen.server.config;

import dev.idgen.server.web.ProblemErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

}
