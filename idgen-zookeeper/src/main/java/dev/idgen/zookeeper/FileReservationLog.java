package dev.idgen.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ReservationLog} in a directory: one small file per worker id under a folder
 * named after the lease's root path, written to a temporary file, forced to disk and
 * moved into place, so a crash leaves either the old value or the new one. One write per
 * heartbeat.
 */
final class FileReservationLog implements ReservationLog {

    private final Path directory;

    private final Map<Integer, Long> floors = new ConcurrentHashMap<>();

    FileReservationLog(Path stateDir, ZooKeeperLeaseSettings settings) {
        // One folder per ensemble path, so two clusters sharing a state directory keep
        // apart.
        this.directory = stateDir.resolve("reservations" + settings.rootPath().replace('/', '_'));
    }

    @Override
    public long floor(int workerId) {
        return floors.computeIfAbsent(workerId, this::read);
    }

    private long read(int workerId) {
        try {
            String text = Files.readString(file(workerId), StandardCharsets.UTF_8).trim();
            return Long.parseLong(text);
        }
        catch (NoSuchFileException ex) {
            return Long.MIN_VALUE;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the reservation floor " + file(workerId), ex);
        }
        catch (NumberFormatException ex) {
            // A torn or foreign file: refusing is safer than guessing a floor.
            throw new IllegalStateException("the reservation floor " + file(workerId) + " is unreadable; delete it "
                    + "only if this node never issued on worker id " + workerId, ex);
        }
    }

    @Override
    public synchronized void record(int workerId, long until) throws IOException {
        if (until > floor(workerId)) {
            write(workerId, until);
        }
    }

    @Override
    public synchronized void released(int workerId, long finalUntil) throws IOException {
        if (finalUntil != floor(workerId)) {
            write(workerId, finalUntil);
        }
    }

    private void write(int workerId, long until) throws IOException {
        Files.createDirectories(directory);
        Path target = file(workerId);
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((until + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        floors.put(workerId, until);
    }

    private Path file(int workerId) {
        return directory.resolve("worker-" + workerId);
    }

    @Override
    public String toString() {
        return "FileReservationLog[" + directory + "]";
    }

}
