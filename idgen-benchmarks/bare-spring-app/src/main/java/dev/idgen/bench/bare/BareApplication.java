package dev.idgen.bench.bare;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bare Spring MVC app of the issue: Boot defaults, one controller returning
 * {@code Map.of("id", counter)}.
 */
@SpringBootApplication
@RestController
public class BareApplication {

    private final AtomicLong counter = new AtomicLong();

    @GetMapping("/ids")
    Map<String, Long> id() {
        return Map.of("id", counter.incrementAndGet());
    }

    public static void main(String[] args) {
        SpringApplication.run(BareApplication.class, args);
    }

}
