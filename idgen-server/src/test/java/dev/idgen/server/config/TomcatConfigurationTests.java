package dev.idgen.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

class TomcatConfigurationTests {

    @Test
    void sizesThePoolAtTwiceTheCpusAndNeverBelowFour() {
        assertThat(TomcatConfiguration.requestThreads(1)).isEqualTo(4);
        assertThat(TomcatConfiguration.requestThreads(2)).isEqualTo(4);
        assertThat(TomcatConfiguration.requestThreads(3)).isEqualTo(6);
        assertThat(TomcatConfiguration.requestThreads(16)).isEqualTo(32);
    }

    @Test
    void givesAnUnconfiguredConnectorThatPool() {
        AbstractProtocol<?> protocol = customizedProtocol(new MockEnvironment());

        int expected = TomcatConfiguration.requestThreads(Runtime.getRuntime().availableProcessors());
        assertThat(protocol.getMaxThreads()).isEqualTo(expected);
        assertThat(protocol.getMinSpareThreads()).isEqualTo(expected);
    }

    @Test
    void leavesThePoolAloneWhenServerTomcatThreadsMaxIsSet() {
        AbstractProtocol<?> protocol = customizedProtocol(
                new MockEnvironment().withProperty(TomcatConfiguration.MAX_THREADS, "48"));

        assertThat(protocol.getMaxThreads()).as("Tomcat's own default; Spring Boot applies the property")
            .isEqualTo(200);
    }

    private static AbstractProtocol<?> customizedProtocol(MockEnvironment environment) {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        new TomcatConfiguration().requestThreadsCustomizer(environment).customize(factory);
        Connector connector = new Connector("HTTP/1.1");
        factory.getConnectorCustomizers().forEach(customizer -> customizer.customize(connector));
        return (AbstractProtocol<?>) connector.getProtocolHandler();
    }

}
