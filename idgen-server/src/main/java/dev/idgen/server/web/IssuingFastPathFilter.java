package dev.idgen.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Serves the common requests of the two issuing endpoints by calling {@link IdController}
 * directly, ahead of Spring MVC's dispatch: {@code GET /ids} and {@code GET /ids/batch},
 * exactly those paths, with no Accept header or one of {@code *}{@code /*},
 * {@code application/json}, {@code text/plain}.
 *
 * <p>
 * Why: profiled under load (JFR, 32 connections, 2 cores), DispatcherServlet's handler
 * lookup, argument resolution and the filters behind this one took about a quarter of
 * each request's CPU, for a controller method that needs none of it. Everything else
 * still goes through DispatcherServlet as before (other methods, other Accept headers,
 * HEAD, paths that only MVC's matching accepts), so 405, 406 and the rest keep their one
 * implementation.
 *
 * <p>
 * The contract stays the controller's own: it parses the query, writes the body and its
 * headers. An exception is handed to the same {@link HandlerExceptionResolver}
 * DispatcherServlet uses, so a bad parameter or a refusal is the same RFC 9457 problem
 * (with Retry-After) as before. It runs inside the {@code http.server.requests}
 * observation, whose {@code uri} tag and span name get the endpoint's path as MVC's
 * mapping would set them; the controller's own {@code idgen.generate} timer and span are
 * unchanged.
 */
@Component
@Order(IssuingFastPathFilter.ORDER)
public class IssuingFastPathFilter extends HttpFilter {

    /**
     * Right after Spring Boot's {@link ServerHttpObservationFilter} (at highest
     * precedence + 1).
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<IdController> controllers;

    private final transient ObjectProvider<HandlerExceptionResolver> resolvers;

    /**
     * Looked up at the first request, so this filter does not pull them forward in
     * start-up.
     */
    private transient volatile @Nullable IdController controller;

    private transient volatile @Nullable HandlerExceptionResolver resolver;

    public IssuingFastPathFilter(ObjectProvider<IdController> controllers,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolvers) {
        this.controllers = controllers;
        this.resolvers = resolvers;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = issuingPath(request);
        if (path == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(path));
        Throwable handled = serve(request, response, path);
        if (handled != null) {
            request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, handled);
        }
    }

    /**
     * The mapping of an issuing request this path serves ({@code /ids} or
     * {@code /ids/batch}), or {@code null} for any other request.
     */
    static @Nullable String issuingPath(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || !plainAccept(request.getHeader("Accept"))) {
            return null;
        }
        String uri = request.getRequestURI();
        if ("/ids".equals(uri)) {
            return "/ids";
        }
        return "/ids/batch".equals(uri) ? "/ids/batch" : null;
    }

    /**
     * Serves an issuing request through the controller. Returns the exception the
     * controller threw and {@link HandlerExceptionResolver} turned into the response (a
     * problem), or {@code null}; rethrows one it could not resolve.
     */
    @Nullable Exception serve(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        try {
            if (path.equals("/ids/batch")) {
                controller().nextIds(request, response);
            }
            else {
                controller().nextId(request, response);
            }
            return null;
        }
        catch (IOException | RuntimeException e) {
            // What DispatcherServlet does with a handler's exception: resolve it, or let
            // it propagate.
            ModelAndView handled = resolver().resolveException(request, response, null, e);
            if (handled == null) {
                throw e;
            }
            return e;
        }
    }

    /** The Accept headers that cannot make Spring MVC answer 406 for these endpoints. */
    private static boolean plainAccept(@Nullable String accept) {
        return accept == null || accept.equals("*/*") || accept.equals(MediaType.APPLICATION_JSON_VALUE)
                || accept.equals(MediaType.TEXT_PLAIN_VALUE);
    }

    private IdController controller() {
        IdController found = controller; // a benign race: every thread finds the same
                                         // singleton
        if (found == null) {
            found = controllers.getObject();
            controller = found;
        }
        return found;
    }

    private HandlerExceptionResolver resolver() {
        HandlerExceptionResolver found = resolver;
        if (found == null) {
            found = resolvers.getObject();
            resolver = found;
        }
        return found;
    }

}
