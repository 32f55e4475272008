package dev.idgen.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The idgen REST service: issues and parses ids over HTTP. */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(IdgenServerProperties.class)
public class IdgenServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(IdgenServerApplication.class, args);
    }

}
