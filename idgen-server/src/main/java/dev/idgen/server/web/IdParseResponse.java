package dev.idgen.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.idgen.core.lease.WorkerHolder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /ids/{id}/parse} returns.
 *
 * @param id the id in decimal
 * @param timestamp when it was issued: ISO-8601, UTC, with milliseconds
 * @param epochMillis the same instant in Unix milliseconds
 * @param workerId the worker id that issued it
 * @param sequence its position within that worker's millisecond
 * @param timestampField the raw timestamp field: milliseconds since the layout's epoch
 * @param encodings the id in every format
 * @param layout the layout the id was decoded with
 * @param node the node that holds or last held the worker id, when the coordinator knows
 * it
 */
@Schema(name = "IdParseResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdParseResponse(
        @Schema(description = "The id in decimal, as a string", example = "7234891234567890") String id,
        @Schema(description = "When the id was issued: ISO-8601, UTC, with milliseconds",
                example = "2024-10-27T12:00:00.123Z") String timestamp,
        @Schema(description = "The same instant in Unix milliseconds", example = "1730030400123") long epochMillis,
        @Schema(description = "Worker id that issued the id", example = "5") int workerId,
        @Schema(description = "Position within the worker's millisecond", example = "42") int sequence,
        @Schema(description = "Raw timestamp field: milliseconds since the layout's epoch",
                example = "152193600123") long timestampField,
        @Schema(description = "The id in every format (decimal, hex, base62, base32)") Map<String, String> encodings,
        @Schema(description = "The layout the id was decoded with") Layout layout,
        @Schema(description = "The node that holds or last held the worker id; absent when unknown") @Nullable Node node) {

    /**
     * The layout ids are decoded with.
     *
     * @param epoch the epoch, ISO-8601 UTC
     * @param timestampBits width of the timestamp field
     * @param workerIdBits width of the worker-id field
     * @param sequenceBits width of the sequence field
     */
    @Schema(name = "IdLayout")
    public record Layout(@Schema(example = "2020-01-01T00:00:00.000Z") String epoch,
            @Schema(example = "41") int timestampBits, @Schema(example = "10") int workerIdBits,
            @Schema(example = "12") int sequenceBits) {
    }

    /**
     * A node that holds or held a worker id.
     *
     * @param name its stable identity ({@code idgen.node-name})
     * @param host its host, when known
     * @param port its HTTP port, when known
     * @param since when it claimed the worker id, ISO-8601 UTC, when known
     * @param live whether it still holds the worker id
     */
    @Schema(name = "WorkerHolder")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(@Schema(example = "idgen-0") @Nullable String name,
            @Schema(example = "10.0.0.5") @Nullable String host, @Schema(example = "8080") @Nullable Integer port,
            @Schema(example = "2024-10-27T11:58:02.517Z") @Nullable String since,
            @Schema(example = "true") boolean live) {

        static Node of(WorkerHolder holder) {
            return new Node(holder.nodeName(), holder.host(), holder.port() > 0 ? holder.port() : null,
                    holder.since() == null ? null : holder.since().toString(), holder.live());
        }
    }
}
