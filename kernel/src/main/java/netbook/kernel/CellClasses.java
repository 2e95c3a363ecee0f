package netbook.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars cells compile against, unpacked into folders of class files. javac opens every jar on
 * its class path at a session's first compile and walks all of its entries to learn its packages
 * (21,000 entries here, 12,800 of them fastutil's); a folder it lists one package at a time, when
 * a cell's imports or names reach that package. Measured on two cores (RESULTS.md, Jupyter kernel,
 * paired launches): a kernel's first reply about 0.09 s sooner, a trivial cell about 1 ms sooner.
 *
 * <p>The folders are made once per build, by {@code ./netbook kernel install}, {@code notebook}
 * and the archive step after a build, in {@value #FOLDER} beside the {@code lib} folder: one
 * folder per jar, with a stamp ({@code NAME.from}: the jar's size and time) written last. A kernel
 * compiles against a folder only when its stamp matches the jar it stands for, and against the jar
 * otherwise (never against a half-written or stale copy). Cells still run from the jars: only
 * javac reads the folders.
 */
final class CellClasses {
    /** The folder beside {@code lib} that holds one unpacked folder per jar. */
    static final String FOLDER = "netbook-cell-classes";

    private CellClasses() {}

    /**
     * The folder that stands for {@code jar} when it is current, else {@code jar} itself. A jar
     * in {@code lib/} or {@code lib/cells/} has its folder in {@code lib/../}{@value #FOLDER}.
     */
    static String forCompiling(String jar) {
        Path folder = folderOf(Path.of(jar));
        return folder != null && current(Path.of(jar), folder) ? folder.toString() : jar;
    }

    /** Where {@code jar}'s unpacked classes go, or null for anything but a jar. */
    static Path folderOf(Path jar) {
        String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
        Path dir = jar.toAbsolutePath().getParent();
        if (!name.endsWith(".jar") || dir == null) {
            return null;
        }
        if (dir.getFileName() != null && dir.getFileName().toString().equals("cells")) {
            dir = dir.getParent();
        }
        Path beside = dir.getParent();
        return beside == null ? null : beside.resolve(FOLDER).resolve(name.substring(0, name.length() - ".jar".length()));
    }

    private static Path stampOf(Path folder) {
        return folder.resolveSibling(folder.getFileName() + ".from");
    }

    private static String stampFor(Path jar) throws IOException {
        return Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n";
    }

    static boolean current(Path jar, Path folder) {
        try {
            Path stamp = stampOf(folder);
            return Files.isDirectory(folder) && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(stampFor(jar));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Unpacks every jar cells compile against from the class path {@code lib/*} (see
     * {@link Session#cellJars}) whose folder is missing or stale, and removes the folders of jars
     * that are gone. A jar that cannot be unpacked stays as it is, with one line on standard error.
     *
     * @return the number of jars unpacked now
     */
    static int unpack(Path lib) {
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            String classpath = String.join(File.pathSeparator,
                    files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().map(Path::toString).toList());
            jars = Session.cellJars(classpath).stream().map(Path::of).toList();
        } catch (IOException e) {
            return 0;
        }
        int unpacked = 0;
        Set<String> kept = new HashSet<>();
        for (Path jar : jars) {
            Path folder = folderOf(jar);
            if (folder == null) {
                continue;
            }
            kept.add(folder.getFileName().toString());
            if (current(jar, folder)) {
                continue;
            }
            try {
                unpackOne(jar, folder);
                unpacked++;
            } catch (IOException | RuntimeException e) {
                System.err.println("netbook: cells will compile against " + jar.getFileName() + " itself (could not unpack it into "
                        + folder + ": " + e.getMessage() + ")");
            }
        }
        Path parent = lib.toAbsolutePath().getParent().resolve(FOLDER);
        if (Files.isDirectory(parent)) {
            try (Stream<Path> old = Files.list(parent)) {
                for (Path p : old.toList()) {
                    String n = p.getFileName().toString();
                    String base = n.endsWith(".from") ? n.substring(0, n.length() - ".from".length()) : n.endsWith(".tmp") ? null : n;
                    if (base == null || !kept.contains(base)) {
                        deleteTree(p);
                    }
                }
            } catch (IOException e) {
                // an old folder left behind costs disk space, nothing else: javac is never given it
            }
        }
        return unpacked;
    }

    /**
     * Writes {@code jar}'s class files into {@code folder}: first into {@code folder.tmp}, renamed
     * when complete, then the stamp. Module descriptors (ignored on the class path) and
     * multi-release variants under {@code META-INF/versions} are left out: javac needs a library's
     * public signatures, which a jar's variants keep (of the jars here, one internal class of
     * RoaringBitmap has a variant).
     */
    static void unpackOne(Path jar, Path folder) throws IOException {
        Files.deleteIfExists(stampOf(folder));
        deleteTree(folder);
        Path tmp = folder.resolveSibling(folder.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Path root = tmp.toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("entry " + name + " points outside the folder");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stampOf(folder), stampFor(jar), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        }
    }
}
