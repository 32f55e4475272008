package dev.idgen.boot.ntp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.apache.commons.net.ntp.TimeStamp;

/**
 * A real NTP responder on the loopback address for tests: answers every request with the
 * system clock shifted by a chosen offset, so a client sees exactly that offset (plus
 * loopback noise).
 */
final class LoopbackNtpServer implements AutoCloseable {

    private final DatagramSocket socket;

    private final Thread thread;

    private volatile long offsetMillis;

    LoopbackNtpServer(Duration offset) throws SocketException {
        this.offsetMillis = offset.toMillis();
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::serve, "loopback-ntp");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** "127.0.0.1:port", as {@code idgen.clock.ntp.servers} takes it. */
    String address() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    NtpServer server() {
        return new NtpServer(InetAddress.getLoopbackAddress().getHostAddress(), socket.getLocalPort());
    }

    void setOffset(Duration offset) {
        this.offsetMillis = offset.toMillis();
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                long received = System.currentTimeMillis() + offsetMillis;
                NtpV3Impl request = new NtpV3Impl();
                request.setDatagramPacket(packet);
                NtpV3Impl response = new NtpV3Impl();
                response.setMode(NtpV3Packet.MODE_SERVER);
                response.setVersion(NtpV3Packet.VERSION_3);
                response.setLeapIndicator(NtpV3Packet.LI_NO_WARNING);
                response.setStratum(1);
                response.setReferenceId(0x4c4f434c); // "LOCL"
                response.setOriginateTimeStamp(request.getTransmitTimeStamp());
                response.setReferenceTime(TimeStamp.getNtpTime(received));
                response.setReceiveTimeStamp(TimeStamp.getNtpTime(received));
                response.setTransmitTime(TimeStamp.getNtpTime(System.currentTimeMillis() + offsetMillis));
                DatagramPacket reply = response.getDatagramPacket();
                reply.setSocketAddress(packet.getSocketAddress());
                socket.send(reply);
            }
            catch (IOException ex) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
