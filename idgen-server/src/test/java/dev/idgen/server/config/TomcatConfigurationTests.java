package dev.idgen.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.coyote.http11.Http11Nio2Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

class TomcatConfigurationTests {

    private final TomcatConfiguration configuration = new TomcatConfiguration();

    @Test
    void platformThreadsGetNio2() {
        assertThat(TomcatConfiguration.connectorProtocol(false)).isEqualTo(Http11Nio2Protocol.class.getName());
    }

    @Test
    void virtualThreadsKeepNioWhoseExecutorTheyReplace() {
        assertThat(TomcatConfiguration.connectorProtocol(true)).isEqualTo(Http11NioProtocol.class.getName());
    }

    @Test
    void withoutVirtualThreadsTheFactoryIsSetToNio2() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

        this.configuration.connectorProtocolCustomizer(new MockEnvironment()).customize(factory);

        assertThat(factory.getProtocol()).isEqualTo(Http11Nio2Protocol.class.getName());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void virtualThreadsAskedForBeforeJava21AreNotActiveSoTheFactoryIsSetToNio2() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

        this.configuration
            .connectorProtocolCustomizer(new MockEnvironment().withProperty("spring.threads.virtual.enabled", "true"))
            .customize(factory);

        assertThat(factory.getProtocol()).isEqualTo(Http11Nio2Protocol.class.getName());
    }

}
