package dev.idgen.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;

/**
 * The server ships with {@code idgen.worker.assignment=embedded} so that a plain
 * {@code java -jar} runs on one host; this says so loudly once the server is up, so that
 * nobody mistakes it for a deployment that can grow to a second node.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "idgen.worker.assignment", havingValue = "embedded")
public class EmbeddedAssignmentWarning implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedAssignmentWarning.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        logger.warn("idgen.worker.assignment=embedded: ONE-HOST DEVELOPMENT MODE. The worker id is leased from an"
                + " in-process ZooKeeper, so a second host in this mode would issue the same ids. For more than one"
                + " node set idgen.worker.assignment=zookeeper with idgen.zookeeper.connect-string (a ZooKeeper"
                + " ensemble every node shares), or idgen.worker.assignment=static with a distinct idgen.worker.id"
                + " per node.");
    }

}
