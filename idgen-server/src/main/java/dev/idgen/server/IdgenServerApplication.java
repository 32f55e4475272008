package dev.idgen.server;

import dev.idgen.server.jvm.ClassPreloader;
import dev.idgen.server.jvm.HeapDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The idgen REST service: issues and parses ids over HTTP. */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(IdgenServerProperties.class)
public class IdgenServerApplication {

    public static void main(String[] args) {
        // First, so that the second core loads classes while this thread starts the
        // application.
        ClassPreloader preloader = ClassPreloader.start();
        // Before start-up allocates: the flags are read at each collection.
        HeapDefaults heapDefaults = HeapDefaults.apply();
        SpringApplication application = new SpringApplication(IdgenServerApplication.class);
        application.addListeners(preloader, heapDefaults);
        application.run(args);
    }

}
