package netbook.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netbook.files.AtomicFiles;
import netbook.files.LogTail;

/**
 * A class-data archive for the embedded executors, kept in {@code SPARK_HOME}. An executor is a
 * new JVM that loads about 7,600 classes from 250 jars (Spark, Scala, Netty, Hadoop, DJL) before
 * its first task ends; on a two-core machine two of them start side by side, and starting took
 * 9 s from launch to registration here, against 4.4 s when the classes come from an archive
 * (RESULTS.md, "Sweeps on Spark"). The archive is recorded once per build: the first embedded run
 * after a build lets its executors write the classes they load
 * ({@code -XX:DumpLoadedClassList}), and when that run ends the archive is made from executor 0's
 * list with the executor's own java and class path ({@code -Xshare:dump}), checked with
 * {@code -Xshare:on}, and stamped with the jars' names, sizes and times. Later runs give their
 * executors {@code -XX:SharedArchiveFile}; a rebuilt jar changes the stamp and the next run records
 * again. An archive only changes how classes are loaded, never what a trial computes.
 *
 * <p>Only for embedded executors: on a cluster the workers start executors from their own
 * {@code SPARK_HOME}, which this machine cannot see.
 */
final class ExecutorArchive {
    static final String ARCHIVE = "netbook-executor.jsa";
    /** One quoted word of the worker's "Spark Executor Command:" line. */
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    /** Making the archive takes about 15 s on two cores; this is the last resort if the JVM hangs. */
    static final long DUMP_DEADLINE_S = 300;

    private final Path home;
    private final String javaBinary;

    ExecutorArchive(Path sparkHome, String java) {
        this.home = sparkHome.toAbsolutePath().normalize();
        this.javaBinary = java;
    }

    /**
     * The archive of the SPARK_HOME from which this JVM's embedded workers start executors, with the
     * java they use: JAVA_HOME's when it is set, else this JVM's (Spark's own rule).
     */
    static ExecutorArchive of(Path sparkHome, Map<String, String> env) {
        String javaHome = env.getOrDefault("JAVA_HOME", "");
        if (javaHome.isBlank()) javaHome = System.getProperty("java.home");
        return new ExecutorArchive(sparkHome, Path.of(javaHome, "bin", "java").toString());
    }

    Path archive() { return home.resolve(ARCHIVE); }

    private Path stampFile() { return home.resolve(ARCHIVE + ".stamp"); }

    private Path log() { return home.resolve(ARCHIVE + ".log"); }

    private Path classList(String executorId) { return home.resolve("netbook-executor-classes-" + executorId + ".txt"); }

    /** What a recording depends on: the executors' java and every jar's name, size and time. */
    String stamp() throws IOException {
        StringBuilder sb = new StringBuilder(javaBinary).append('\n');
        try (var jars = Files.list(home.resolve("jars"))) {
            for (Path jar : jars.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                sb.append(jar.getFileName()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
        }
        return sb.toString();
    }

    /** True when the archive was recorded from these jars with this java. */
    boolean current() {
        try {
            return Files.isRegularFile(archive()) && Files.isRegularFile(stampFile())
                    && Files.readString(stampFile(), StandardCharsets.UTF_8).equals(stamp());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The executors' JVM options: the archive when it is current, else the option that makes each
     * executor list the classes it loads ({@code {{EXECUTOR_ID}}} is Spark's placeholder), for
     * {@link #recordAfter}. Empty when SPARK_HOME's path has a space.
     */
    String javaOptions() {
        // Spark splits the executors' options at spaces: a SPARK_HOME with a space gets no archive
        if (home.toString().contains(" ")) return "";
        if (current()) {
            // a JVM that cannot use an archive runs without it; its warning would only be noise in the executor's log
            return "-XX:SharedArchiveFile=" + archive() + " -Xlog:cds=off -Xlog:cds+dynamic=off";
        }
        return "-XX:DumpLoadedClassList=" + classList("{{EXECUTOR_ID}}");
    }

    /**
     * After an embedded run whose executors listed their classes: makes the archive from executor
     * 0's list, using the java and class path of the command its worker ran (the first line of
     * {@code work/APP/0/stderr}). Says what it does through {@code say}; a failure is a line that
     * says why, and the next run records again. Returns true when a new archive was made.
     */
    boolean recordAfter(String appId, Consumer<String> say) {
        Path list = classList("0");
        try {
            if (current() || !Files.isRegularFile(list)) return false;
            Path stderr = home.resolve("work").resolve(appId).resolve("0").resolve("stderr");
            List<String> executor = executorCommand(stderr);
            if (executor.isEmpty()) {
                say.accept("netbook: no executor command in " + stderr + "; the executors' class archive is not recorded");
                return false;
            }
            String stamp = stamp();
            Path tmp = home.resolve(ARCHIVE + ".tmp");
            List<String> dump = dumpCommand(executor, list, tmp);
            say.accept("netbook: recording the executors' class archive, so that later sweeps start their executors"
                    + " faster (once per build, about 15 s)");
            long start = System.nanoTime();
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(log());
            String failure = run(dump);
            if (failure == null) {
                // the archive must map in a JVM started as the executors are; -Xshare:on fails if it does not
                failure = run(checkCommand(dump, tmp));
            }
            if (failure != null) {
                Files.deleteIfExists(tmp);
                say.accept("netbook: could not record the executors' class archive (" + failure + "); executors start"
                        + " without it, a few seconds slower. The last lines of " + log() + ":\n" + LogTail.lastLines(log(), 5));
                return false;
            }
            Files.move(tmp, archive(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.writeString(stampFile(), stamp);
            Files.deleteIfExists(log());
            say.accept(String.format(java.util.Locale.ROOT, "netbook: recorded %s in %.1f s", archive(), (System.nanoTime() - start) / 1e9));
            return true;
        } catch (IOException e) {
            say.accept("netbook: could not record the executors' class archive: " + e.getMessage());
            return false;
        } finally {
            deleteClassLists();
        }
    }

    /** The quoted words of the worker's "Spark Executor Command:" line, or an empty list. */
    static List<String> executorCommand(Path stderr) throws IOException {
        if (!Files.isRegularFile(stderr)) return List.of();
        try (var lines = Files.lines(stderr, StandardCharsets.UTF_8)) {
            String first = lines.filter(l -> l.startsWith("Spark Executor Command:")).findFirst().orElse(null);
            if (first == null) return List.of();
            List<String> words = new ArrayList<>();
            Matcher m = QUOTED.matcher(first);
            while (m.find()) words.add(m.group(1));
            return words;
        }
    }

    /**
     * {@code java -Xshare:dump} with the executor's java, class path and module options: the JVM
     * uses an archive only with the class path it was made with.
     */
    static List<String> dumpCommand(List<String> executor, Path classList, Path archive) {
        int cp = executor.indexOf("-cp");
        if (executor.isEmpty() || cp < 0 || cp + 1 >= executor.size()) {
            throw new IllegalArgumentException("not an executor command: " + executor);
        }
        List<String> cmd = new ArrayList<>(List.of(executor.get(0), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive, "-cp", executor.get(cp + 1)));
        for (String o : executor) {
            if (o.startsWith("--add-modules") || o.startsWith("--add-opens") || o.startsWith("--add-exports")) cmd.add(o);
        }
        return cmd;
    }

    private static List<String> checkCommand(List<String> dump, Path archive) {
        List<String> cmd = new ArrayList<>();
        for (String o : dump) {
            if (o.equals("-Xshare:dump")) cmd.add("-Xshare:on");
            else if (!o.startsWith("-XX:SharedClassListFile=")) cmd.add(o.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : o);
        }
        cmd.add("-version");
        return cmd;
    }

    /** Runs {@code cmd} with its output in the log; null when it exited 0, else why not. */
    private String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        try {
            if (!p.waitFor(DUMP_DEADLINE_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no end after " + DUMP_DEADLINE_S + " s";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return p.exitValue() == 0 ? null : cmd.get(1) + " exited with " + p.exitValue();
    }

    private void deleteClassLists() {
        try (var files = Files.list(home)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("netbook-executor-classes-")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a leftover list is overwritten by the next recording run
        }
    }

}
