package dev.idgen.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idgen.core.IdGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * A real HTTP server on 127.0.0.1 and an ephemeral port that answers {@code GET /ids} and
 * {@code GET /ids/batch?count=N} the way the idgen server does, from whatever the test
 * supplies.
 */
final class IdHttpServer implements AutoCloseable {

    /** What to answer for a request of {@code count} ids. */
    record Answer(int status, String body) {
    }

    private final HttpServer server;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    private IdHttpServer(IntFunction<Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ids", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                int count;
                if (path.equals("/ids")) {
                    count = 0;
                }
                else if (path.equals("/ids/batch")) {
                    count = Integer.parseInt(exchange.getRequestURI().getQuery().replace("count=", ""));
                }
                else {
                    respond(exchange, new Answer(404, "{}"));
                    return;
                }
                respond(exchange, answers.apply(count));
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /**
     * A node issuing ids from a real generator; count 0 means one id in the single-id
     * format.
     */
    static IdHttpServer issuing(IdGenerator generator) throws IOException {
        return new IdHttpServer(count -> count == 0 ? new Answer(200, "{\"id\":\"" + generator.nextId() + "\"}")
                : new Answer(200, batchJson(generator.nextIds(count))));
    }

    /** A node answering everything the same way. */
    static IdHttpServer answering(IntFunction<Answer> answers) throws IOException {
        return new IdHttpServer(answers);
    }

    static String batchJson(long[] ids) {
        StringBuilder json = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < ids.length; i++) {
            json.append(i == 0 ? "\"" : ",\"").append(ids[i]).append('"');
        }
        return json.append("]}").toString();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}
