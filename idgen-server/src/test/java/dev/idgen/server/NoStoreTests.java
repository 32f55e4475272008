package dev.idgen.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.server.support.IdgenServerTest;
import dev.idgen.server.support.RawHttp;
import dev.idgen.server.support.SwitchableLease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An id is issued once: no cache between a client and the server (a browser, a proxy, a
 * CDN) may keep a response of the issuing endpoints and hand the same id to someone else,
 * so every one of them says {@code Cache-Control: no-store}, whatever its status.
 */
@IdgenServerTest
class NoStoreTests {

    @LocalServerPort
    int port;

    @Autowired
    SwitchableLease lease;

    @AfterEach
    void restore() {
        lease.regain();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none",
            value = { "/ids,                       none", "/ids,                       text/plain",
                    "/ids?format=base62,         application/json", "/ids/batch?count=3,         none",
                    "/ids/batch?count=3,         text/plain", "/ids/batch?count=3&format=hex, application/json" })
    void issuedIdsAreNeverStoredByACache(String target, String accept) throws Exception {
        RawHttp.Response issued = RawHttp.get(port, target, accept);

        assertThat(issued.status()).isEqualTo(200);
        assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void refusalsAreNeverStoredByACacheEither() throws Exception {
        lease.lose();

        for (String target : new String[] { "/ids", "/ids/batch?count=10" }) {
            for (String accept : new String[] { null, "text/plain" }) {
                RawHttp.Response refused = RawHttp.get(port, target, accept);

                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(refused.header("Cache-Control")).as("Cache-Control of %s", target).isEqualTo("no-store");
            }
        }
    }

    @Test
    void invalidRequestsToIssueIdsAreNeverStoredByACacheEither() throws Exception {
        for (String target : new String[] { "/ids?format=octal", "/ids/batch?count=0", "/ids/batch" }) {
            RawHttp.Response invalid = RawHttp.get(port, target, null);

            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.header("Cache-Control")).as("Cache-Control of %s", target).isEqualTo("no-store");
        }
    }

}
