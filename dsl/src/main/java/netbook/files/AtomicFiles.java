package netbook.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import netbook.dsl.NetbookException;

/**
 * Writes files so that a crash never leaves a half-written one: write a temporary sibling, flush
 * it to the disk (fsync), rename it over the target atomically, then fsync the directory so the
 * rename itself survives a power cut. A file system without atomic renames is an error, never a
 * silent copy. Temporary files left by a crashed writer (older than ten minutes) are removed. The
 * final file gets the permissions of a newly created file (the user's umask), not a temp file's.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    private static final long STALE_MILLIS = 10 * 60 * 1000L;

    /** Something that writes a whole file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String prefix = "." + target.getFileName() + ".";
        removeStale(dir, prefix);
        Path tmp = dir.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            // CREATE_NEW with default permissions: the umask applies, as for any new file.
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new NetbookException(target + ": this file system cannot rename atomically (" + e.getMessage()
                        + "); write to a local disk so that a crash cannot leave a half-written file");
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** fsync of a directory: makes a rename in it durable (a no-op where the platform cannot open directories). */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory for syncing; the rename is still atomic there.
        }
    }

    private static void removeStale(Path dir, String prefix) {
        try (var files = Files.list(dir)) {
            long now = System.currentTimeMillis();
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".tmp") && now - Files.getLastModifiedTime(p).toMillis() > STALE_MILLIS) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Cleaning up is a courtesy; the write itself does not depend on it.
        }
    }
}
