package dev.idgen.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.bench.load.Violation.Kind;
import dev.idgen.core.IdGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole tool over real sockets, against tiny servers that issue ids from the real
 * core generator.
 */
class LoadToolTests {

    private static LoadOptions.Builder options(URI... urls) {
        LoadOptions.Builder builder = LoadOptions.builder()
            .concurrency(4)
            .duration(Duration.ofMillis(300))
            .errorBackoff(Duration.ofMillis(1));
        for (URI url : urls) {
            builder.url(url);
        }
        return builder;
    }

    private static IdGenerator generator(int workerId) {
        return IdGenerator.builder().workerId(workerId).build();
    }

    @Test
    void idsFromARealGeneratorPassEveryCheck() throws IOException {
        try (IdHttpServer node = IdHttpServer.issuing(generator(1))) {
            LoadResult result = LoadTool.run(options(node.url()).build());

            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(result.exitCode()).isZero();
            assertThat(result.ids()).isPositive().isEqualTo(result.verification().ids());
            NodeReport report = result.nodes().get(0);
            assertThat(report.errors()).isZero();
            assertThat(report.refused()).isZero();
            assertThat(report.successes()).isEqualTo(result.ids()).isEqualTo(result.latency().count());
            assertThat(report.workerStints()).extracting(WorkerStint::workerId).containsExactly(1);
        }
    }

    @Test
    void batchesFromARealGeneratorPassEveryCheck() throws IOException {
        try (IdHttpServer node = IdHttpServer.issuing(generator(1))) {
            LoadResult result = LoadTool.run(options(node.url()).batch(64).build());

            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(result.ids()).isPositive();
            assertThat(result.ids() % 64).isZero();
            assertThat(result.nodes().get(0).successes() * 64).isEqualTo(result.ids());
        }
    }

    @Test
    void twoNodesWithTheirOwnWorkerIdsPass() throws IOException {
        try (IdHttpServer first = IdHttpServer.issuing(generator(1));
                IdHttpServer second = IdHttpServer.issuing(generator(2))) {
            LoadResult result = LoadTool.run(options(first.url(), second.url()).build());

            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(result.nodes()).allSatisfy(node -> assertThat(node.ids()).isPositive());
            assertThat(result.nodes().get(0).workerStints()).extracting(WorkerStint::workerId).containsExactly(1);
            assertThat(result.nodes().get(1).workerStints()).extracting(WorkerStint::workerId).containsExactly(2);
        }
    }

    @Test
    void twoNodesSharingAWorkerIdAreCaught() throws IOException {
        try (IdHttpServer first = IdHttpServer.issuing(generator(5));
                IdHttpServer second = IdHttpServer.issuing(generator(5))) {
            LoadResult result = LoadTool.run(options(first.url(), second.url()).build());

            assertThat(result.passed()).isFalse();
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.verification().count(Kind.ONE_WORKER_ID_ON_TWO_NODES)).isPositive();
        }
    }

    @Test
    void aNodeRepeatingAnIdIsCaught() throws IOException {
        long once = generator(1).nextId();
        try (IdHttpServer broken = IdHttpServer
            .answering(count -> new IdHttpServer.Answer(200, "{\"id\":\"" + once + "\"}"))) {
            LoadResult result = LoadTool.run(options(broken.url()).build());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.verification().duplicates()).isEqualTo(result.ids() - 1).isPositive();
            assertThat(result.verification().count(Kind.NOT_INCREASING)).isPositive();
            assertThat(result.summary()).contains("FAILED");
        }
    }

    @Test
    void idsFromAnotherLayoutFailTheTimestampCheck() throws IOException {
        // A server on a 2010 epoch: decoded with the default 2020 epoch, its ids lie ten
        // years ahead.
        IdGenerator generator = IdGenerator.builder()
            .layout(dev.idgen.core.IdLayout.of(java.time.Instant.parse("2010-01-01T00:00:00Z"), 41, 10, 12))
            .workerId(1)
            .build();
        try (IdHttpServer node = IdHttpServer.issuing(generator)) {
            LoadResult result = LoadTool.run(options(node.url()).build());

            assertThat(result.verification().count(Kind.TIMESTAMP_OUT_OF_TOLERANCE)).isEqualTo(result.ids())
                .isPositive();
        }
    }

    @Test
    void refusalsAreCountedPerNodeAndAreNotErrors() throws IOException {
        try (IdHttpServer serving = IdHttpServer.issuing(generator(1));
                IdHttpServer refusing = IdHttpServer
                    .answering(count -> new IdHttpServer.Answer(503, "{\"title\":\"Service Unavailable\"}"))) {
            LoadResult result = LoadTool.run(options(serving.url(), refusing.url()).build());

            assertThat(result.passed()).as(result.summary()).isTrue();
            NodeReport refused = result.nodes().get(1);
            assertThat(refused.refused()).isPositive().isEqualTo(refused.requests());
            assertThat(refused.errors()).isZero();
            assertThat(refused.ids()).isZero();
            assertThat(refused.refusingMillis()).isPositive();
            assertThat(refused.firstRefusalMillis()).isNotNegative();
            assertThat(result.nodes().get(0).refused()).isZero();
            assertThat(result.nodes().get(0).refusingMillis()).isZero();
        }
    }

    @Test
    void serverErrorsAndMalformedAnswersAreErrorsAndMalformedOnesAViolation() throws IOException {
        try (IdHttpServer failing = IdHttpServer.answering(count -> new IdHttpServer.Answer(500, "{}"));
                IdHttpServer garbled = IdHttpServer.answering(count -> new IdHttpServer.Answer(200, "{\"di\":1}"))) {
            LoadResult result = LoadTool.run(options(failing.url(), garbled.url()).build());

            assertThat(result.nodes().get(0).errorsByCause()).containsOnlyKeys("HTTP 500");
            assertThat(result.nodes().get(0).failingMillis()).isPositive();
            assertThat(result.nodes().get(1).errorsByCause()).containsOnlyKeys("malformed 200 response");
            assertThat(result.verification().count(Kind.MALFORMED_RESPONSE)).isPositive();
            assertThat(result.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aNodeThatCannotBeReachedIsAnErrorAndLeavesNothingVerified() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LoadResult result = LoadTool.run(options(URI.create("http://127.0.0.1:" + closedPort)).build());

        assertThat(result.nodes().get(0).errors()).isPositive();
        assertThat(result.nodes().get(0).errorsByCause()).containsKey("ConnectException");
        assertThat(result.ids()).isZero();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.summary()).contains("NOTHING VERIFIED");
    }

    @Test
    void aStartedRunCanBeStoppedEarly() throws IOException {
        try (IdHttpServer node = IdHttpServer.issuing(generator(1))) {
            LoadTool.LoadRun run = LoadTool.start(options(node.url()).duration(Duration.ofHours(1)).build());
            run.stop();
            LoadResult result = run.await();

            assertThat(result.elapsed()).isLessThan(Duration.ofHours(1));
            assertThat(result.verification().passed()).isTrue();
            assertThat(run.await()).isSameAs(result);
        }
    }

}
