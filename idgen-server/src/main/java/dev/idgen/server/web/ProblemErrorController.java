package dev.idgen.server.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders errors the container forwards to the error path (raised outside Spring MVC,
 * e.g. in a filter) as problems too, in place of Spring Boot's JSON error map. Never
 * includes a stack trace or an exception message: a failure here is ours, not the
 * client's, and its details belong in the log.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // Asked for directly rather than forwarded by the container: there is no such
            // resource.
            return Problems.response(ProblemDetail.forStatus(HttpStatus.NOT_FOUND), null, request);
        }
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null || !status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail problem = ProblemDetail.forStatus(status);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            try {
                problem.setInstance(new URI(null, null, path, null));
            }
            catch (URISyntaxException e) {
                // leave the instance out rather than fail while reporting a failure
            }
        }
        return Problems.response(problem, null, null);
    }

}
