package dev.idgen.server.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole server on a random loopback port, over {@link TestGeneratorConfiguration}'s
 * generator. Every test class using it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "idgen.worker.assignment=static",
                "idgen.worker.id=" + TestGeneratorConfiguration.WORKER_ID,
                "management.tracing.sampling.probability=1.0" })
@Import({ TestGeneratorConfiguration.class, RecordingSpanProcessor.class })
public @interface IdgenServerTest {

}
