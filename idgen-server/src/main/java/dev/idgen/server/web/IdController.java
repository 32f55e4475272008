package dev.idgen.server.web;

import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.WorkerHolder;
import dev.idgen.core.IdGenerationException;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.IdLayout;
import dev.idgen.core.IdParts;
import dev.idgen.core.codec.IdFormat;
import dev.idgen.core.codec.InvalidIdException;
import dev.idgen.server.IdgenServerProperties;
import dev.idgen.server.health.RecentRefusals;
import io.micrometer.tracing.Span;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /ids}: issue one id, issue a batch, parse an id.
 *
 * <p>
 * The two issuing endpoints write their small bodies by hand, straight to the response
 * with a Content-Length: they are the hot path, and neither reflection-based JSON nor
 * chunked encoding buys anything for {@code {"id":"…"}}. Ids are JSON strings because
 * most JSON readers turn numbers into doubles, which lose precision above 2^53.
 *
 * <p>
 * Every response of the issuing endpoints says {@code Cache-Control: no-store}, set
 * before anything can fail: an id is issued once, and no cache on the way may hand a
 * stored one to another client. The refusals and parameter problems keep it, because an
 * exception handler resets the body, not the headers.
 */
@RestController
@Tag(name = "ids", description = "Issue and parse 64-bit ids")
public class IdController {

    /** The response header naming the worker id that issued the ids. */
    public static final String WORKER_ID_HEADER = "X-Idgen-Worker-Id";

    private static final Logger log = LoggerFactory.getLogger(IdController.class);

    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    private static final String TEXT = "text/plain;charset=UTF-8";

    /**
     * ISO-8601 in UTC, always with milliseconds (Instant.toString drops them when zero).
     */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private static final String NO_STORE = "no-store";

    private static final String NO_STORE_DESCRIPTION = "Always no-store: an id is issued once, never from a cache";

    private static final String FORMAT_DESCRIPTION = "Text form of the ids: decimal (default), hex (16 lower-case"
            + " digits), base62 (11 chars of 0-9A-Za-z) or base32 (13 chars of Crockford's alphabet)."
            + " The fixed-width forms sort as text in id order.";

    private final IdGenerator generator;

    private final ObjectProvider<ManagedWorkerLease> lease;

    private final GenerationRecorder recorder;

    private final RecentRefusals refusals;

    private final int maxBatchSize;

    private final int workerIdShift;

    private final long workerIdMask;

    /**
     * Header values of worker ids seen so far; small ids only, so the array stays small.
     */
    private final String[] workerIdTexts = new String[1024];

    public IdController(IdGenerator generator, ObjectProvider<ManagedWorkerLease> lease, GenerationRecorder recorder,
            RecentRefusals refusals, IdgenServerProperties properties) {
        this.generator = generator;
        this.lease = lease;
        this.refusals = refusals;
        this.recorder = recorder;
        this.maxBatchSize = properties.getMaxBatchSize();
        this.workerIdShift = generator.layout().sequenceBits();
        this.workerIdMask = generator.layout().maxWorkerId();
    }

    @GetMapping(path = "/ids", produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
    @Operation(summary = "Issue one id",
            description = "Returns the next id of this node. JSON by default;"
                    + " the bare id with Accept: text/plain.")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = FORMAT_DESCRIPTION,
            schema = @Schema(type = "string", allowableValues = { "decimal", "hex", "base62", "base32" },
                    defaultValue = "decimal"))
    @ApiResponse(responseCode = "200", description = "One id",
            headers = {
                    @Header(name = WORKER_ID_HEADER, description = "Worker id that issued the id",
                            schema = @Schema(type = "integer", example = "5")),
                    @Header(name = HttpHeaders.CACHE_CONTROL, description = NO_STORE_DESCRIPTION,
                            schema = @Schema(type = "string", allowableValues = NO_STORE)) },
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = IdResponse.class),
                            examples = @ExampleObject(value = "{\"id\":\"7234891234567890\"}")),
                    @Content(mediaType = MediaType.TEXT_PLAIN_VALUE,
                            schema = @Schema(type = "string", example = "7234891234567890")) })
    @ApiResponse(responseCode = "400", ref = "InvalidParameter")
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @ApiResponse(responseCode = "503", ref = "Refused")
    public void nextId(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        String query = request.getQueryString();
        IdFormat format = IdFormat.DECIMAL;
        if (query != null) {
            format = formatOf(QueryParameters.parse(query, "format").get("format"));
        }
        long id = generate();
        String text = format == IdFormat.DECIMAL ? Long.toString(id) : format.encode(id);
        response.setHeader(WORKER_ID_HEADER, workerIdText(workerIdOf(id)));
        if (wantsText(request)) {
            IdResponseBodies.write(response, TEXT, text);
        }
        else {
            IdResponseBodies.write(response, JSON, "{\"id\":\"" + text + "\"}");
        }
    }

    @GetMapping(path = "/ids/batch", produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
    @Operation(summary = "Issue a batch of ids", description = "Returns count ids in increasing order, issued"
            + " in one step per millisecond they span. JSON by default; one id per line with Accept: text/plain.")
    @Parameter(name = "count", in = ParameterIn.QUERY, required = true,
            description = "How many ids, 1 to idgen.server.max-batch-size",
            schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "10000", example = "3"))
    @Parameter(name = "format", in = ParameterIn.QUERY, description = FORMAT_DESCRIPTION,
            schema = @Schema(type = "string", allowableValues = { "decimal", "hex", "base62", "base32" },
                    defaultValue = "decimal"))
    @ApiResponse(responseCode = "200", description = "The ids, increasing",
            headers = {
                    @Header(name = WORKER_ID_HEADER, description = "Worker id(s) that issued the ids",
                            schema = @Schema(type = "string", example = "5")),
                    @Header(name = HttpHeaders.CACHE_CONTROL, description = NO_STORE_DESCRIPTION,
                            schema = @Schema(type = "string", allowableValues = NO_STORE)) },
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = IdBatchResponse.class),
                            examples = @ExampleObject(value = "{\"ids\":[\"7234891234567890\",\"7234891234567891\","
                                    + "\"7234891234567892\"]}")),
                    @Content(mediaType = MediaType.TEXT_PLAIN_VALUE,
                            schema = @Schema(type = "string",
                                    example = "7234891234567890\n7234891234567891\n7234891234567892\n")) })
    @ApiResponse(responseCode = "400", ref = "InvalidParameter")
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @ApiResponse(responseCode = "503", ref = "Refused")
    public void nextIds(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        QueryParameters parameters = QueryParameters.parse(request.getQueryString(), "count", "format");
        int count = countOf(parameters.get("count"));
        IdFormat format = formatOf(parameters.get("format"));
        long[] ids = generateBatch(count);
        response.setHeader(WORKER_ID_HEADER, workerIdsOf(ids));
        boolean text = wantsText(request);
        response.setContentType(text ? TEXT : JSON);
        IdResponseBodies.writeBatch(response, ids, format, text);
    }

    @GetMapping(path = "/ids/{id}/parse", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Parse an id",
            description = "Splits an id into timestamp, worker id and sequence,"
                    + " using this server's configured layout (epoch and bit widths), and names the node that holds"
                    + " or last held that worker id when the coordinator knows it.")
    @Parameter(name = "id", in = ParameterIn.PATH, required = true,
            description = "The id, written in the format named by format (decimal by default)",
            schema = @Schema(type = "string", example = "7234891234567890"))
    @Parameter(name = "format", in = ParameterIn.QUERY,
            description = "Text form of the id in the path: decimal" + " (default), hex, base62 or base32",
            schema = @Schema(type = "string", allowableValues = { "decimal", "hex", "base62", "base32" },
                    defaultValue = "decimal"))
    @ApiResponse(responseCode = "200", description = "The id's parts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = IdParseResponse.class)))
    @ApiResponse(responseCode = "400", ref = "InvalidParameter")
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    public ResponseEntity<IdParseResponse> parse(@PathVariable("id") @Parameter(hidden = true) String id,
            HttpServletRequest request) {
        IdFormat format = formatOf(QueryParameters.parse(request.getQueryString(), "format").get("format"));
        long value;
        try {
            value = format.decode(id);
        }
        catch (InvalidIdException e) {
            throw new InvalidParameterException("id", e.getMessage());
        }
        IdLayout layout = generator.layout();
        IdParts parts = layout.parse(value);
        Map<String, String> encodings = new LinkedHashMap<>();
        for (IdFormat each : IdFormat.values()) {
            encodings.put(each.formatName(), each.encode(value));
        }
        return ResponseEntity.ok(new IdParseResponse(Long.toString(value), TIMESTAMP.format(parts.timestamp()),
                parts.epochMillis(), parts.workerId(), parts.sequence(), parts.timestampField(), encodings,
                new IdParseResponse.Layout(TIMESTAMP.format(layout.epoch()), layout.timestampBits(),
                        layout.workerIdBits(), layout.sequenceBits()),
                holderOf(parts.workerId()).map(IdParseResponse.Node::of).orElse(null)));
    }

    private long generate() {
        long started = System.nanoTime();
        Span span = recorder.startSpan(GenerationRecorder.KIND_SINGLE, 1);
        long id;
        try {
            id = generator.nextId();
        }
        catch (RuntimeException e) {
            failed(GenerationRecorder.KIND_SINGLE, started, span, e);
            throw e;
        }
        recorder.succeeded(GenerationRecorder.KIND_SINGLE, started, span);
        return id;
    }

    private long[] generateBatch(int count) {
        long started = System.nanoTime();
        Span span = recorder.startSpan(GenerationRecorder.KIND_BATCH, count);
        long[] ids;
        try {
            ids = generator.nextIds(count);
        }
        catch (RuntimeException e) {
            failed(GenerationRecorder.KIND_BATCH, started, span, e);
            throw e;
        }
        recorder.succeeded(GenerationRecorder.KIND_BATCH, started, span);
        return ids;
    }

    private void failed(String kind, long started, @Nullable Span span, RuntimeException e) {
        recorder.failed(kind, started, span, e);
        if (e instanceof IdGenerationException refused) {
            refusals.refused(refused);
        }
    }

    private Optional<WorkerHolder> holderOf(int workerId) {
        ManagedWorkerLease managed = lease.getIfAvailable();
        if (managed == null) {
            return Optional.empty();
        }
        try {
            return managed.holderOf(workerId);
        }
        catch (RuntimeException e) {
            // The holder is a debugging aid; parsing must not fail because the
            // coordinator is away.
            log.debug("Could not look up the holder of worker id {}", workerId, e);
            return Optional.empty();
        }
    }

    /**
     * The worker id field of an id: read from the id itself, so it is the one that really
     * issued it.
     */
    private int workerIdOf(long id) {
        return (int) ((id >>> workerIdShift) & workerIdMask);
    }

    private String workerIdText(int workerId) {
        if (workerId >= workerIdTexts.length) {
            return Integer.toString(workerId);
        }
        String text = workerIdTexts[workerId];
        if (text == null) {
            text = Integer.toString(workerId); // a benign race: every thread computes the
                                               // same string
            workerIdTexts[workerId] = text;
        }
        return text;
    }

    /**
     * Worker ids of a batch, comma-separated if the lease moved to another worker id
     * mid-batch.
     */
    private String workerIdsOf(long[] ids) {
        int first = workerIdOf(ids[0]);
        int last = workerIdOf(ids[ids.length - 1]);
        if (first == last) {
            return workerIdText(first);
        }
        return Arrays.stream(ids)
            .mapToInt(this::workerIdOf)
            .distinct()
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
    }

    private int countOf(@Nullable String value) {
        if (value == null) {
            throw new InvalidParameterException("count", "count is required: an integer between 1 and " + maxBatchSize);
        }
        if (!value.isEmpty() && value.length() <= 10 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long count = Long.parseLong(value);
            if (count >= 1 && count <= maxBatchSize) {
                return (int) count;
            }
        }
        throw new InvalidParameterException("count", "count must be an integer between 1 and " + maxBatchSize
                + ", but was " + InvalidParameterException.quote(value));
    }

    private static IdFormat formatOf(@Nullable String value) {
        if (value == null) {
            return IdFormat.DECIMAL;
        }
        for (IdFormat format : IdFormat.values()) {
            if (format.formatName().equals(value)) {
                return format;
            }
        }
        throw new InvalidParameterException("format", "format must be one of decimal, hex, base62, base32, but was "
                + InvalidParameterException.quote(value));
    }

    /**
     * Whether the client prefers text/plain over JSON. The mapping's {@code produces}
     * already answered 406 if it accepts neither; no Accept or {@code *}{@code /*} (curl,
     * most load generators) means JSON.
     */
    private static boolean wantsText(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null || accept.equals("*/*") || accept.equals(JSON)) {
            return false;
        }
        if (accept.equals(MediaType.TEXT_PLAIN_VALUE)) {
            return true;
        }
        List<MediaType> accepted = MediaType.parseMediaTypes(accept);
        MediaType best = null;
        for (MediaType type : accepted) {
            if (type.getQualityValue() > 0
                    && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                            || type.isCompatibleWith(MediaType.TEXT_PLAIN))
                    && (best == null || type.getQualityValue() > best.getQualityValue())) {
                best = type;
            }
        }
        return best != null && !best.isCompatibleWith(MediaType.APPLICATION_JSON);
    }

    /** One id, for the OpenAPI document. */
    @Schema(name = "IdResponse")
    record IdResponse(@Schema(description = "The id, as a string", example = "7234891234567890") String id) {
    }

    /** A batch of ids, for the OpenAPI document. */
    @Schema(name = "IdBatchResponse")
    record IdBatchResponse(@Schema(description = "The ids, increasing") List<String> ids) {
    }

}
