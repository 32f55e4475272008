package dev.idgen.server.openapi;

import dev.idgen.server.IdgenServerProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's shared parts: the API description, the problem schema and the
 * error responses every endpoint refers to, and the configured batch limit.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI idgenOpenApi() {
        Components components = new Components().addSchemas("Problem", problemSchema())
            .addResponses("InvalidParameter", problem(
                    "A parameter is missing, duplicated, unknown or malformed;" + " the problem's 'parameter' names it",
                    Map.of("count",
                            example("urn:idgen:problem:invalid-parameter", "Invalid parameter", 400,
                                    "count must be an integer between 1 and 10000, but was '0'", "/ids/batch",
                                    Map.of("parameter", "count")))))
            .addResponses("NotAcceptable",
                    problem("The Accept header allows none of the response's media types",
                            Map.of("notAcceptable", example("about:blank", "Not Acceptable", 406,
                                    "Acceptable representations: [application/json, text/plain].", "/ids", Map.of()))))
            .addResponses("Refused",
                    problem("This node cannot issue ids safely right now (lease not active,"
                            + " clock moved backwards, hand-over wait too long); retry after Retry-After seconds or on"
                            + " another node",
                            Map.of("leaseExpired",
                                    example("urn:idgen:problem:refused:lease_expired", "Worker lease not active", 503,
                                            "no worker id is held: this node cannot prove it owns one", "/ids",
                                            Map.of("reason", "lease_expired", "retryAfterMillis", 1000))))
                        .addHeaderObject("Retry-After",
                                new Header().description("Seconds to wait before asking this node again")
                                    .schema(new IntegerSchema().minimum(BigDecimal.ONE)))
                        .addHeaderObject("Cache-Control",
                                new Header().description("Always no-store: a refusal is no more cacheable than an id")
                                    .schema(new StringSchema()._enum(java.util.List.of("no-store")))));
        return new OpenAPI()
            .info(new Info().title("idgen")
                .description("Distributed 64-bit Snowflake-style ids. Ids are returned as strings in JSON."
                        + " Errors are RFC 9457 problems (application/problem+json).")
                .version("v1")
                .license(new License().name("Apache-2.0")))
            .components(components);
    }

    /** Makes the documented maximum of {@code count} the configured one. */
    @Bean
    OpenApiCustomizer batchLimitCustomizer(IdgenServerProperties properties) {
        return openApi -> {
            if (openApi.getPaths() == null || openApi.getPaths().get("/ids/batch") == null
                    || openApi.getPaths().get("/ids/batch").getGet() == null) {
                return;
            }
            for (Parameter parameter : openApi.getPaths().get("/ids/batch").getGet().getParameters()) {
                if ("count".equals(parameter.getName()) && parameter.getSchema() != null) {
                    parameter.getSchema().setMaximum(BigDecimal.valueOf(properties.getMaxBatchSize()));
                    parameter.setDescription("How many ids, 1 to " + properties.getMaxBatchSize());
                }
            }
        };
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
            .addProperty("type", new StringSchema().format("uri").description("Kind of problem"))
            .addProperty("title", new StringSchema().description("Short summary of the kind"))
            .addProperty("status", new IntegerSchema().description("HTTP status"))
            .addProperty("detail", new StringSchema().description("What went wrong in this occurrence"))
            .addProperty("instance", new StringSchema().format("uri-reference").description("The request path"))
            .addProperty("parameter", new StringSchema().description("The offending parameter (400 only)"))
            .addProperty("reason",
                    new StringSchema()
                        ._enum(java.util.List.of("clock_backwards", "lease_expired", "lease_not_yet_valid",
                                "timestamp_out_of_range"))
                        .description("Why ids were refused (503 only)"))
            .addProperty("retryAfterMillis",
                    new IntegerSchema().format("int64").description("Suggested wait in milliseconds (503 only)"));
    }

    private static ApiResponse problem(String description, Map<String, Example> examples) {
        MediaType mediaType = new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"));
        mediaType.setExamples(new LinkedHashMap<>(examples));
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON, mediaType));
    }

    private static Example example(String type, String title, int status, String detail, String instance,
            Map<String, Object> extra) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", type);
        value.put("title", title);
        value.put("status", status);
        value.put("detail", detail);
        value.put("instance", instance);
        value.putAll(extra);
        return new Example().value(value);
    }

}
