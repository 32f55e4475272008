package dev.idgen.bench.load;

import dev.idgen.core.IdLayout;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a load run does. Build with {@link #builder()} or read a command line with
 * {@link #parse}.
 *
 * @param urls base URLs, one per node (not a load balancer: the per-node checks need the
 * node)
 * @param concurrency client loops, each with one request in flight at a time
 * @param duration how long to send requests
 * @param batch 0 to call {@code GET /ids}; otherwise the count for
 * {@code GET /ids/batch?count=}
 * @param layout how to decode the ids' timestamps and worker ids
 * @param timestampTolerance allowed distance of an id's timestamp outside its request's
 * time span
 * @param requestTimeout longest wait for one response
 * @param errorBackoff pause of a loop after a transport error, so a dead node is not
 * hammered
 */
public record LoadOptions(List<URI> urls, int concurrency, Duration duration, int batch, IdLayout layout,
        Duration timestampTolerance, Duration requestTimeout, Duration errorBackoff) {

    /** Largest batch the tool asks for. */
    public static final int MAX_BATCH = 1_000_000;

    static final String USAGE = """
            Usage: java -cp benchmarks.jar dev.idgen.bench.load.LoadTool --url URL [--url URL ...] [options]
              --url URL                  base URL of one idgen node (repeat for each node)
              --concurrency N            client loops, one request in flight each (default 32)
              --duration D               e.g. 30s, 500ms, 2m, PT1M (default 30s)
              --batch N                  0: GET /ids; N > 0: GET /ids/batch?count=N (default 0)
              --epoch E                  layout epoch, ISO instant or Unix ms (default 2020-01-01T00:00:00Z)
              --bits T/W/S               timestamp/worker/sequence bits (default 41/10/12)
              --timestamp-tolerance D    id timestamp may lie this far outside its request, at most 1h (default 1s)
              --request-timeout D        per request (default 10s)
              --error-backoff D          pause after a transport error (default 10ms)
            Exit status: 0 all ids verified; 1 a violation was found; 2 bad usage; 3 no ids were received.
            """;

    public LoadOptions {
        Objects.requireNonNull(urls, "urls");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one --url is required");
        }
        for (URI url : urls) {
            if ((!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("--url must be an absolute http(s) URL, but was " + url);
            }
        }
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 10000, but was " + concurrency);
        }
        requirePositive("--duration", duration);
        if (batch < 0 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("--batch must be between 0 and " + MAX_BATCH + ", but was " + batch);
        }
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(timestampTolerance, "timestampTolerance");
        if (timestampTolerance.isNegative() || timestampTolerance.toMillis() > IdVerifier.MAX_TOLERANCE_MILLIS) {
            throw new IllegalArgumentException(
                    "--timestamp-tolerance must be between 0 and 1h, but was " + timestampTolerance);
        }
        requirePositive("--request-timeout", requestTimeout);
        Objects.requireNonNull(errorBackoff, "errorBackoff");
        if (errorBackoff.isNegative()) {
            throw new IllegalArgumentException("--error-backoff must not be negative, but was " + errorBackoff);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options from a command line.
     * @throws IllegalArgumentException naming the offending option
     */
    public static LoadOptions parse(String... args) {
        Builder builder = builder();
        long epochMillis = IdLayout.DEFAULT_EPOCH.toEpochMilli();
        int[] bits = { 41, 10, 12 };
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--url" ->
                    builder.url(URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value));
                case "--concurrency" -> builder.concurrency(parseInt(option, value));
                case "--duration" -> builder.duration(parseDuration(option, value));
                case "--batch" -> builder.batch(parseInt(option, value));
                case "--epoch" -> epochMillis = parseEpoch(value);
                case "--bits" -> bits = parseBits(value);
                case "--timestamp-tolerance" -> builder.timestampTolerance(parseDuration(option, value));
                case "--request-timeout" -> builder.requestTimeout(parseDuration(option, value));
                case "--error-backoff" -> builder.errorBackoff(parseDuration(option, value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        try {
            builder.layout(IdLayout.of(Instant.ofEpochMilli(epochMillis), bits[0], bits[1], bits[2]));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--epoch/--bits: " + e.getMessage(), e);
        }
        return builder.build();
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, but was " + value, e);
        }
    }

    private static long parseEpoch(String value) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value)
                    : Instant.parse(value).toEpochMilli();
        }
        catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("--epoch must be an ISO instant or Unix milliseconds, but was " + value,
                    e);
        }
    }

    private static int[] parseBits(String value) {
        String[] parts = value.split("[/,]", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "--bits must be timestamp/worker/sequence, e.g. 41/10/12, but was " + value);
        }
        int[] bits = new int[3];
        for (int i = 0; i < 3; i++) {
            bits[i] = parseInt("--bits", parts[i].trim());
        }
        return bits;
    }

    /**
     * {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 such as
     * {@code PT30S}.
     */
    static Duration parseDuration(String option, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    option + " must be a duration such as 30s, 500ms, 2m or PT30S, but was " + value, e);
        }
    }

    /** Collects options; every one but the URLs has a default. */
    public static final class Builder {

        private final List<URI> urls = new ArrayList<>();

        private int concurrency = 32;

        private Duration duration = Duration.ofSeconds(30);

        private int batch;

        private IdLayout layout = IdLayout.defaults();

        private Duration timestampTolerance = Duration.ofSeconds(1);

        private Duration requestTimeout = Duration.ofSeconds(10);

        private Duration errorBackoff = Duration.ofMillis(10);

        private Builder() {
        }

        public Builder url(URI url) {
            urls.add(Objects.requireNonNull(url, "url"));
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder layout(IdLayout layout) {
            this.layout = layout;
            return this;
        }

        public Builder timestampTolerance(Duration timestampTolerance) {
            this.timestampTolerance = timestampTolerance;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder errorBackoff(Duration errorBackoff) {
            this.errorBackoff = errorBackoff;
            return this;
        }

        public LoadOptions build() {
            return new LoadOptions(urls, concurrency, duration, batch, layout, timestampTolerance, requestTimeout,
                    errorBackoff);
        }

    }
}
