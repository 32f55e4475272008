package dev.idgen.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idgen.core.IdLayout;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadOptionsTests {

    @Test
    void readsEveryOptionOfTheCommandLine() {
        LoadOptions options = LoadOptions.parse("--url", "http://127.0.0.1:8080/", "--url", "http://127.0.0.1:8081",
                "--concurrency", "8", "--duration", "500ms", "--batch", "4096", "--epoch", "2024-01-01T00:00:00Z",
                "--bits", "41/0/22", "--timestamp-tolerance", "PT2S", "--request-timeout", "3s", "--error-backoff",
                "0ms");

        assertThat(options.urls()).containsExactly(URI.create("http://127.0.0.1:8080"),
                URI.create("http://127.0.0.1:8081"));
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.batch()).isEqualTo(4096);
        assertThat(options.layout()).isEqualTo(IdLayout.of(Instant.parse("2024-01-01T00:00:00Z"), 41, 0, 22));
        assertThat(options.timestampTolerance()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.errorBackoff()).isZero();
    }

    @Test
    void defaultsToThirtySecondsOfSingleIdsWithThirtyTwoLoopsAndTheDefaultLayout() {
        LoadOptions options = LoadOptions.parse("--url", "http://127.0.0.1:8080");

        assertThat(options.concurrency()).isEqualTo(32);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.batch()).isZero();
        assertThat(options.layout()).isEqualTo(IdLayout.defaults());
        assertThat(options.timestampTolerance()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void acceptsTheEpochInUnixMilliseconds() {
        LoadOptions options = LoadOptions.parse("--url", "http://h:1", "--epoch", "1577836800000");

        assertThat(options.layout().epoch()).isEqualTo(IdLayout.DEFAULT_EPOCH);
    }

    @Test
    void requiresAUrl() {
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--concurrency", "2"))
            .withMessageContaining("--url");
    }

    @Test
    void namesTheOptionWhoseValueIsWrong() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LoadOptions.parse("--url", "http://h:1", "--duration", "soon"))
            .withMessageContaining("--duration");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LoadOptions.parse("--url", "http://h:1", "--concurrency", "0"))
            .withMessageContaining("--concurrency");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--url", "http://h:1", "--batch", "-1"))
            .withMessageContaining("--batch");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LoadOptions.parse("--url", "http://h:1", "--bits", "41/10/11"))
            .withMessageContaining("--epoch/--bits");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--url", "ftp://h:1"))
            .withMessageContaining("--url");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--url", "http://h:1", "--bogus", "1"))
            .withMessageContaining("--bogus");
    }

}
