package netbook.recipes;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import netbook.dsl.NetbookException;

/**
 * A folder of results that appears as a whole or not at all: a recipe writes into a staging
 * folder beside the target, which replaces the target by a rename once everything is written. A
 * crash leaves the previous results (or, between the two renames, the previous folder under a
 * {@code .previous} name), never new tables beside an old stamp.
 */
public final class ResultSet {
    private ResultSet() {}

    /** The staging folder for {@code out}, created empty; checks that {@code out} can be written. */
    public static Path prepare(Path out) {
        return prepare("recipe", out);
    }

    /** As {@link #prepare(Path)}, for another command's {@code --out}. */
    public static Path prepare(String command, Path out) {
        requireWritableFolder(command, "--out", out);
        Path abs = out.toAbsolutePath();
        try {
            // --out results/a/b where results/a does not exist yet: made, as mkdir -p would
            Files.createDirectories(abs.getParent());
            return Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".staging-");
        } catch (IOException e) {
            throw new NetbookException(command + ": cannot create a folder beside " + out + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * As {@link #prepare(Path)}, with a copy of the files already in {@code out}: a run of one part
     * of a recipe ({@code --only}) replaces that part's files and keeps the other parts'.
     */
    public static Path prepareKeeping(Path out) {
        Path staging = prepare("recipe", out);
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            try (Stream<Path> files = Files.list(abs)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            } catch (IOException e) {
                discard(staging);
                throw new NetbookException("recipe: cannot copy the existing results of " + out + " (" + e.getMessage() + ")", e);
            }
        }
        return staging;
    }

    /** Replaces {@code out} with the staging folder: rename the old one aside, rename the new one in, delete the old. */
    public static void publish(Path staging, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path previous = abs.resolveSibling("." + abs.getFileName() + ".previous");
        delete(previous);
        try {
            if (Files.exists(abs)) Files.move(abs, previous, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new NetbookException(out + ": this file system cannot rename folders atomically; results are in " + staging);
        }
        delete(previous);
    }

    public static void discard(Path staging) {
        try {
            delete(staging);
        } catch (IOException e) {
            System.err.println("netbook: could not remove " + staging + ": " + e.getMessage());
        }
    }

    /** An option's folder must be a folder (or not exist yet) and writable: checked before any work starts. */
    public static void requireWritableFolder(String command, String option, Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new NetbookException(command + ": " + option + " " + dir + " is a file, not a folder");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new NetbookException(command + ": " + option + " " + dir + " cannot be written (" + existing + " is not a writable folder)");
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
