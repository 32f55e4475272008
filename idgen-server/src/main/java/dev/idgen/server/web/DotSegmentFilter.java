package dev.idgen.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses paths with {@code .} or {@code ..} segments (also percent-encoded) with a 400
 * problem.
 *
 * <p>
 * Tomcat normalises such paths for its own mapping, but Spring MVC matches the raw
 * request URI, so {@code /actuator/health/../env} would reach the health endpoint with a
 * component named {@code ..} (a 500 inside Spring Boot). No valid request of this API has
 * a dot segment.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DotSegmentFilter extends OncePerRequestFilter {

    private static final byte[] PROBLEM = ("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
            + "\"detail\":\"The request path must not contain '.' or '..' segments\"}")
        .getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        if (uri != null && hasDotSegment(uri)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("application/problem+json");
            response.setContentLength(PROBLEM.length);
            response.getOutputStream().write(PROBLEM);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean hasDotSegment(String uri) {
        if (uri.indexOf('.') < 0 && uri.indexOf('%') < 0) {
            return false; // the common case: nothing to decode or compare
        }
        int start = 0;
        while (start <= uri.length()) {
            int end = uri.indexOf('/', start);
            if (end < 0) {
                end = uri.length();
            }
            String segment = uri.substring(start, end);
            int params = segment.indexOf(';');
            if (params >= 0) {
                segment = segment.substring(0, params);
            }
            String plain = segment.replace("%2e", ".").replace("%2E", ".");
            if (plain.equals(".") || plain.equals("..")) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

}
