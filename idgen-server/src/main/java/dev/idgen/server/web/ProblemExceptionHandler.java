package dev.idgen.server.web;

import dev.idgen.core.IdGenerationException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem: this API's own (invalid parameter, refusal)
 * and Spring MVC's (404, 405, 406, 415, …, through
 * {@link ResponseEntityExceptionHandler}).
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> invalidParameter(InvalidParameterException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(ProblemTypes.INVALID_PARAMETER);
        problem.setTitle("Invalid parameter");
        problem.setProperty("parameter", e.parameter());
        return Problems.response(problem, null, request);
    }

    /**
     * 503 with Retry-After: a refusal is this node protecting uniqueness, never a client
     * error, and it is always safe to retry here later or on another node at once.
     */
    @ExceptionHandler(IdGenerationException.class)
    ResponseEntity<Object> refused(IdGenerationException e, HttpServletRequest request) {
        long retryAfterSeconds = Math.max(1, (e.retryAfterMillis() + 999) / 1000);
        log.debug("Refused to issue ids: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setType(ProblemTypes.refused(e.reason()));
        problem.setTitle(ProblemTypes.refusedTitle(e.reason()));
        problem.setProperty("reason", e.reason().tag());
        problem.setProperty("retryAfterMillis", e.retryAfterMillis());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return Problems.response(problem, headers, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail : ProblemDetail.forStatus(statusCode);
        HttpServletRequest servletRequest = request instanceof NativeWebRequest nativeRequest
                ? nativeRequest.getNativeRequest(HttpServletRequest.class) : null;
        return Problems.response(problem, headers, servletRequest);
    }

}
