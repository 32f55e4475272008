package dev.idgen.server.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 responses. */
final class Problems {

    private Problems() {
    }

    /**
     * A problem response, always {@code application/problem+json} whatever the request's
     * Accept says: a client asking for text/plain ids must still learn why it got none.
     */
    static ResponseEntity<Object> response(ProblemDetail problem, @Nullable HttpHeaders headers,
            @Nullable HttpServletRequest request) {
        if (problem.getInstance() == null && request != null) {
            problem.setInstance(instanceOf(request));
        }
        HttpHeaders all = new HttpHeaders();
        if (headers != null) {
            all.putAll(headers);
        }
        all.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(HttpStatusCode.valueOf(problem.getStatus())).headers(all).body(problem);
    }

    /** The request's path as a URI; never fails, whatever the client sent. */
    static @Nullable URI instanceOf(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null) {
            return null;
        }
        try {
            return new URI(path);
        }
        catch (URISyntaxException e) {
            try {
                // Quotes what the raw path left unquoted.
                return new URI(null, null, path, null);
            }
            catch (URISyntaxException again) {
                return null;
            }
        }
    }

}
