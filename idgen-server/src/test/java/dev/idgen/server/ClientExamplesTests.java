package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.idgen.core.IdParts;
import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.ProjectDirectory;
import dev.idgen.server.support.SwitchableLease;
import dev.idgen.server.support.TestGeneratorConfiguration;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The client examples under {@code examples/} (Python, Node, curl) run as a team would
 * run them, as programs against the real server, each given its nodes in
 * {@code IDGEN_URLS}. Each prints {@code id <id>}, one {@code batch <id>} line per id of
 * the batch and {@code parse <id> workerId=… sequence=… timestamp=…}. An example whose
 * interpreter is not installed is skipped, never failed.
 */
@IdgenServerTest
class ClientExamplesTests {

    private static final int BATCH = 5;

    /** The timestamp text of the server's parse endpoint. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    @LocalServerPort
    int port;

    @Autowired
    SwitchableLease lease;

    @TempDir
    Path output;

    @AfterEach
    void restore() {
        lease.regain();
    }

    @ParameterizedTest
    @EnumSource
    void getsAnIdABatchAndAParseFromTheNextNodeWhenTheFirstRefusesTheConnection(Client client) throws Exception {
        Run run = client.run(output, urls(closedPortUrl(), serverUrl()), Map.of());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertIssuedByThisServer(run);
    }

    @ParameterizedTest
    @EnumSource
    void movesOnToTheNextNodeWhenTheFirstAnswers503(Client client) throws Exception {
        try (RefusingNode refusing = RefusingNode.start()) {
            Run run = client.run(output, urls(refusing.url(), serverUrl()), Map.of());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertIssuedByThisServer(run);
            assertThat(refusing.requests()).as("requests to the refusing node").isPositive();
            assertThat(run.stderr()).contains("503");
        }
    }

    @ParameterizedTest
    @EnumSource
    void waitsAsLongAsRetryAfterAsksWhenEveryNodeRefusesThenGetsItsIds(Client client) throws Exception {
        lease.lose();
        Process process = client.start(output, serverUrl(), Map.of());
        await().atMost(Duration.ofSeconds(20))
            .until(() -> Files.readString(output.resolve("stderr"), StandardCharsets.UTF_8).contains("503"));

        lease.regain();
        Run run = client.finish(process, output);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertIssuedByThisServer(run);
    }

    @ParameterizedTest
    @EnumSource
    void failsWhenNoNodeAnswersWithinItsTimeBudget(Client client) throws Exception {
        Run run = client.run(output, closedPortUrl(), Map.of("IDGEN_MAX_WAIT_SECONDS", "1"));

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.stdout()).as(run.toString()).isEmpty();
        assertThat(run.stderr()).contains("no node answered");
    }

    /**
     * Every printed id is one this server issued: distinct, positive, its worker id, and
     * exact. A client that turned ids into doubles would print rounded ids (multiples of
     * 16 at this size), breaking the rule that ids of one millisecond follow one another.
     */
    private static void assertIssuedByThisServer(Run run) {
        List<String> single = run.values("id");
        List<String> batch = run.values("batch");
        List<String> parse = run.values("parse");
        assertThat(single).as(run.toString()).hasSize(1);
        assertThat(batch).as(run.toString()).hasSize(BATCH);
        List<Long> ids = new ArrayList<>();
        for (String text : concat(single, batch)) {
            assertThat(text).as(run.toString()).matches("[0-9]{1,19}");
            ids.add(Long.parseLong(text));
        }
        assertThat(ids).as(run.toString()).doesNotHaveDuplicates().allSatisfy(id -> {
            assertThat(id).isPositive();
            assertThat(TestGeneratorConfiguration.LAYOUT.parse(id).workerId())
                .isEqualTo(TestGeneratorConfiguration.WORKER_ID);
        }).isSorted();
        for (int i = 1; i < ids.size(); i++) {
            IdParts before = TestGeneratorConfiguration.LAYOUT.parse(ids.get(i - 1));
            IdParts after = TestGeneratorConfiguration.LAYOUT.parse(ids.get(i));
            if (i > 1 && after.timestampField() == before.timestampField()) {
                assertThat(ids.get(i)).as("the batch's ids in one millisecond, %s", run).isEqualTo(ids.get(i - 1) + 1);
            }
        }
        IdParts first = TestGeneratorConfiguration.LAYOUT.parse(ids.get(0));
        assertThat(parse).as(run.toString())
            .containsExactly(ids.get(0) + " workerId=" + first.workerId() + " sequence=" + first.sequence()
                    + " timestamp=" + TIMESTAMP.format(first.timestamp()));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private String serverUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static String urls(String... urls) {
        return String.join(",", urls);
    }

    /**
     * A loopback URL where nothing listens: the port was free a moment ago and is closed
     * again.
     */
    private static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** One of the examples, and how to run it. */
    enum Client {

        PYTHON("python3", "python/idgen_client.py"), NODE("node", "node/idgen-client.mjs"),
        CURL("bash", "curl/idgen.sh");

        private final String interpreter;

        private final String script;

        Client(String interpreter, String script) {
            this.interpreter = interpreter;
            this.script = script;
        }

        Run run(Path output, String urls, Map<String, String> environment) throws Exception {
            return finish(start(output, urls, environment), output);
        }

        Process start(Path output, String urls, Map<String, String> environment) throws IOException {
            assumeRunnable();
            Path examples = ProjectDirectory.root().resolve("examples");
            ProcessBuilder builder = new ProcessBuilder(interpreter, examples.resolve(script).toString(),
                    Integer.toString(BATCH))
                .directory(examples.toFile())
                .redirectOutput(output.resolve("stdout").toFile())
                .redirectError(output.resolve("stderr").toFile());
            // Loopback only: a proxy from the developer's environment must not stand in
            // between.
            for (String proxy : List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                    "ALL_PROXY")) {
                builder.environment().remove(proxy);
            }
            builder.environment().put("IDGEN_URLS", urls);
            builder.environment().putAll(environment);
            return builder.start();
        }

        Run finish(Process process, Path output) throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(this + " example still running after 60 s");
            }
            return new Run(this, process.exitValue(),
                    Files.readString(output.resolve("stdout"), StandardCharsets.UTF_8),
                    Files.readString(output.resolve("stderr"), StandardCharsets.UTF_8));
        }

        private void assumeRunnable() {
            Assumptions.assumeTrue(onPath(interpreter),
                    () -> interpreter + " is not installed: the " + this + " client example is not run");
            if (this == CURL) {
                Assumptions.assumeTrue(onPath("curl"), "curl is not installed: the CURL client example is not run");
            }
            if (this == NODE) {
                Assumptions.assumeTrue(succeeds("node", "-e", "process.exit(typeof fetch === 'function' ? 0 : 1)"),
                        "this node has no built-in fetch (Node 18+ has; the example targets 20): the NODE client"
                                + " example is not run");
            }
        }

        private static boolean onPath(String command) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, command))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean succeeds(String... command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
                return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            }
            catch (IOException e) {
                return false;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

    }

    /** What an example printed, and how it ended. */
    record Run(Client client, int exitCode, String stdout, String stderr) {

        /** The rest of every stdout line that starts with {@code label} and a space. */
        List<String> values(String label) {
            return stdout.lines()
                .filter(line -> line.startsWith(label + " "))
                .map(line -> line.substring(label.length() + 1))
                .toList();
        }

        @Override
        public String toString() {
            return client + " example, exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * A node that answers every request with the 503 problem a refusing idgen node sends.
     */
    private static final class RefusingNode implements AutoCloseable {

        private final HttpServer server;

        private final AtomicInteger requests = new AtomicInteger();

        private RefusingNode(HttpServer server) {
            this.server = server;
        }

        static RefusingNode start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RefusingNode node = new RefusingNode(server);
            server.createContext("/", exchange -> {
                node.requests.incrementAndGet();
                byte[] body = ("{\"type\":\"urn:idgen:problem:refused:lease_expired\",\"title\":\"Worker lease not"
                        + " active\",\"status\":503,\"reason\":\"lease_expired\",\"retryAfterMillis\":1000}")
                    .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().set("Retry-After", "1");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return node;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }

    }

}
