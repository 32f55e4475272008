package dev.idgen.boot.ntp;

/**
 * An NTP server to compare the local clock with.
 *
 * @param host host name or address
 * @param port UDP port
 */
public record NtpServer(String host, int port) {

    /** The standard NTP port. */
    public static final int DEFAULT_PORT = 123;

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
