package netbook.kernel;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netbook.files.LogTail;

/**
 * {@code ./netbook kernel install [--user | --prefix DIR] [--name NAME]} writes the kernelspec;
 * {@code ./netbook notebook [jupyter options]} installs it and starts Jupyter Notebook on
 * localhost with {@code notebooks/} open. Jupyter comes from Debian packages ({@link #APT_PACKAGES}).
 */
public final class Install {
    /** The Debian packages that provide Jupyter and the tools the tests use. */
    static final List<String> APT_PACKAGES = List.of("jupyter-notebook", "jupyter-client", "python3-nbclient", "jupyter-nbconvert");
    static final String DEFAULT_NAME = "netbook";

    private Install() {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        String cmd = a.isEmpty() ? "help" : a.remove(0);
        try {
            switch (cmd) {
                case "kernel" -> kernel(a);
                case "notebook" -> System.exit(notebook(a));
                default -> usage();
            }
        } catch (IllegalArgumentException e) {
            System.err.println("netbook: " + e.getMessage());
            usage();
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println("usage: ./netbook kernel install [--user | --prefix DIR] [--name NAME] [--java JDK_HOME]\n"
                + "       ./netbook kernel archive   (re-record the class archives kernels start from)\n"
                + "       ./netbook notebook [jupyter notebook options]");
    }

    private static void kernel(List<String> a) throws IOException {
        if (a.size() == 1 && a.get(0).equals("archive")) {
            // The JVM ignores an archive older than the jars it lists, so a kernel installed before a
            // rebuild would start without it; ./netbook re-records each one after a build, with the
            // JDK that recorded it (its home is kept beside the archive).
            List<KernelJava> jdks = recordedJdks(lib(root()));
            if (jdks.isEmpty()) {
                jdks = List.of(KernelJava.current());
            }
            for (KernelJava jdk : jdks) {
                Path archive = classArchive(root(), jdk, false);
                System.out.println(archive == null ? "netbook: no class archive recorded for " + jdk : "Recorded " + archive);
            }
            return;
        }
        if (a.isEmpty() || !a.get(0).equals("install")) {
            throw new IllegalArgumentException("unknown kernel command " + a);
        }
        Path kernels = userKernels();
        String name = DEFAULT_NAME;
        KernelJava jdk = KernelJava.current();
        for (int i = 1; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--user" -> kernels = userKernels();
                case "--prefix" -> {
                    if (i + 1 >= a.size()) {
                        throw new IllegalArgumentException("--prefix needs a folder");
                    }
                    kernels = Path.of(a.get(++i)).toAbsolutePath().resolve("share/jupyter/kernels");
                }
                case "--name" -> {
                    if (i + 1 >= a.size()) {
                        throw new IllegalArgumentException("--name needs a value");
                    }
                    name = a.get(++i);
                }
                case "--java" -> {
                    if (i + 1 >= a.size()) {
                        throw new IllegalArgumentException("--java needs a JDK's folder, such as /usr/lib/jvm/temurin-25-jdk-amd64");
                    }
                    jdk = KernelJava.at(Path.of(a.get(++i)));
                }
                default -> throw new IllegalArgumentException("unknown option " + a.get(i));
            }
        }
        Path dir = write(kernels, name, root(), jdk, classArchive(root(), jdk, true));
        System.out.println("Installed kernelspec " + name + " in " + dir);
    }

    /** Where Jupyter looks for this user's kernels: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
    static Path userKernels() {
        String data = System.getenv("JUPYTER_DATA_DIR");
        if (data == null || data.isBlank()) {
            String xdg = System.getenv("XDG_DATA_HOME");
            data = (xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".local/share") : Path.of(xdg))
                    .resolve("jupyter").toString();
        }
        return Path.of(data, "kernels");
    }

    /** The checkout: -Dnetbook.root (set by ./netbook), else the working directory. */
    static Path root() {
        String r = System.getProperty("netbook.root");
        return (r == null || r.isBlank() ? Path.of("") : Path.of(r)).toAbsolutePath().normalize();
    }

    /**
     * The folder of jars the kernel runs from: {@code -Dnetbook.lib} (the launcher sets it; in a
     * distribution it is {@code lib/}), else a checkout's {@code kernel/dist/target/lib}.
     */
    static Path lib(Path root) {
        String l = System.getProperty("netbook.lib");
        return l == null || l.isBlank() ? root.resolve("kernel/dist/target/lib") : Path.of(l).toAbsolutePath().normalize();
    }

    /** Writes {@code kernels/name/kernel.json} (to a temporary name, then renamed) and returns the folder. */
    static Path write(Path kernels, String name, Path root, KernelJava jdk, Path archive) throws IOException {
        Path dir = kernels.resolve(name);
        Files.createDirectories(dir);
        Path tmp = dir.resolve("kernel.json.tmp");
        Files.writeString(tmp, kernelJson(name, root, jdk, archive), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** The kernelspec: the chosen JDK, this JVM's options, the checkout's launcher class path. */
    static String kernelJson(String name, Path root, KernelJava jdk, Path archive) {
        List<String> argv = new ArrayList<>();
        argv.add(jdk.java().toString());
        argv.addAll(jvmOptions(root, jdk));
        if (archive != null) {
            argv.addAll(jdk.startFrom(archive));
        }
        argv.add("-cp");
        argv.add(lib(root).toString() + File.separator + "*");
        argv.add(Kernel.class.getName());
        argv.add("{connection_file}");
        StringBuilder sb = new StringBuilder("{\n  \"argv\": [");
        for (int i = 0; i < argv.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(json(argv.get(i)));
        }
        sb.append("\n  ],\n");
        sb.append("  \"display_name\": ").append(json(name.equals(DEFAULT_NAME) ? "Netbook (Java " + jdk.feature() + ")" : "Netbook " + name)).append(",\n");
        sb.append("  \"language\": \"java\",\n");
        sb.append("  \"interrupt_mode\": \"message\",\n");
        Map<String, String> env = kernelEnv(System.getenv());
        // %spark adds Spark from here, and embedded sweeps start their executor processes from it
        Path sparkHome = root.resolve("recipes/spark/target/spark-home");
        if (Files.isDirectory(sparkHome.resolve("jars"))) env.put("SPARK_HOME", sparkHome.toString());
        sb.append("  \"env\": {");
        int n = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            sb.append(n++ == 0 ? "" : ", ").append(json(e.getKey())).append(": ").append(json(e.getValue()));
        }
        sb.append("},\n");
        sb.append("  \"metadata\": {\"debugger\": false}\n}\n");
        return sb.toString();
    }

    /**
     * What the kernel's process gets from the launcher that installs it: the allocator (below) and
     * the natives' code paths ({@link netbook.env.Numerics}), so that a cell computes the same
     * losses as {@code ./netbook train} on this machine and on any other.
     */
    static Map<String, String> kernelEnv(Map<String, String> launcherEnv) {
        Map<String, String> env = allocatorEnv(launcherEnv);
        env.putAll(netbook.env.Numerics.passOn(launcherEnv));
        return env;
    }

    /**
     * The allocator settings the kernel inherits from the launcher that installs it: jemalloc's
     * preload and MALLOC_CONF when ./netbook found jemalloc (PyTorch's CPU tensors train faster
     * and stop growing the resident set with it), nothing otherwise.
     */
    static Map<String, String> allocatorEnv(Map<String, String> env) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String preload = env.getOrDefault("LD_PRELOAD", "");
        for (String lib : preload.split("[: ]+")) {
            if (lib.contains("libjemalloc")) {
                out.put("LD_PRELOAD", lib);
                String conf = env.get("MALLOC_CONF");
                if (conf != null && !conf.isEmpty()) {
                    out.put("MALLOC_CONF", conf);
                }
                break;
            }
        }
        return out;
    }

    /**
     * Whether the kernel gets one JIT compiler thread instead of the JVM's two: on a machine of two
     * cores or fewer, with C1 alone, where no count was given. While a kernel starts, its two C1
     * threads, JShell's first compilation and the kernel's set-up share two cores (the compiler
     * threads used about 0.33 s of CPU before the first reply on a 2-vCPU Zen 4); with one, the
     * first reply came 0.06 s [0.03, 0.08] sooner over 25 paired launches (RESULTS.md). Full
     * tiered compilation needs at least two threads, so it is left alone.
     */
    static boolean oneCompilerThread(List<String> opts, int processors) {
        return processors <= 2
                && opts.contains("-XX:TieredStopAtLevel=1")
                && opts.stream().noneMatch(o -> o.startsWith("-XX:CICompilerCount"));
    }

    /** Where Linux says whether processes may ask for transparent huge pages. */
    static final Path TRANSPARENT_HUGE_PAGES = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * Whether the kernel's JVM asks for transparent huge pages for its heap and code: where Linux
     * offers them (its setting reads {@code [always]} or {@code [madvise]}; {@code [never]}, an
     * unreadable file or another system leaves them off, where the JVM would only warn), and no
     * page option was given. A kernel's start touches a few hundred megabytes of fresh memory
     * (javac's first compilations fill the young generation several times); in 4 KiB pages that
     * was about 57,000 page faults before a warm-up's end, in 2 MiB pages about 16,000. Over 15
     * paired launches on a 2-vCPU Zen 5 the first reply came 0.07 s sooner on Java 17 and 0.08 s
     * sooner on Java 25, both settled (RESULTS.md).
     */
    static boolean hugePagesForTheHeap(List<String> opts, String setting) {
        return setting != null
                && (setting.contains("[always]") || setting.contains("[madvise]"))
                && opts.stream().noneMatch(o -> o.contains("TransparentHugePages") || o.contains("LargePages"));
    }

    /** The line Linux gives in {@link #TRANSPARENT_HUGE_PAGES}, or null where there is none. */
    static String transparentHugePagesSetting() {
        try {
            return Files.readString(TRANSPARENT_HUGE_PAGES, StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * The options of this JVM as ./netbook set them (heap, DJL offline and thread counts), with
     * {@code -Dai.djl.offline=true} and {@code -Dnetbook.root} always present, and the packages
     * Spark's driver needs opened that {@code jdk} has.
     */
    static List<String> jvmOptions(Path root, KernelJava jdk) {
        List<String> opts = new ArrayList<>();
        for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (o.startsWith("-D") || o.startsWith("-Xm") || o.startsWith("-Xss") || o.startsWith("-XX:")) {
                if (!o.startsWith("-Dnetbook.root=") && !o.startsWith("-Dai.djl.offline=")) {
                    opts.add(o);
                }
            }
        }
        if (opts.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            opts.add(0, "-Xmx8g");
        }
        if (opts.stream().noneMatch(o -> o.startsWith("-Dai.djl.pytorch.num_threads="))) {
            opts.add("-Dai.djl.pytorch.num_threads=" + Runtime.getRuntime().availableProcessors());
            opts.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        if (opts.stream().noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel") || o.contains("TieredCompilation"))) {
            // C1 only: javac inside JShell warms up in a few cells instead of hundreds, which halves the
            // first-cell and per-cell latency on small machines; training time is spent in PyTorch.
            opts.add("-XX:TieredStopAtLevel=1");
        }
        if (oneCompilerThread(opts, Runtime.getRuntime().availableProcessors())) {
            opts.add("-XX:CICompilerCount=1");
        }
        if (hugePagesForTheHeap(opts, transparentHugePagesSetting())) {
            opts.add("-XX:+UseTransparentHugePages");
        }
        opts.add(IdleIndexing.OPENS);
        // What Spark's driver needs opened on Java 17 (as Spark's own launcher does), for %spark
        opts.add("-Djdk.reflect.useDirectMethodHandle=false");
        opts.add("-Dio.netty.tryReflectionSetAccessible=true");
        for (String pkg : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
                "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
                "sun.security.action", "sun.util.calendar")) {
            // JDK 24 removed sun.security.action; opening it there only printed a warning at every start
            if (!pkg.equals("sun.security.action") || jdk.feature() < 24) {
                opts.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
            }
        }
        if (jdk.feature() >= 24) {
            // From JDK 24 the JVM warns the first time JNA loads a native library (a restricted
            // method) and the first time a library uses sun.misc.Unsafe's memory access (Spark's
            // Netty): four WARNING lines in the notebook server's log for every kernel that touched
            // DJL, saying the access "will be blocked in a future release". The kernel runs the
            // user's own code with these libraries; granting both is what the warnings ask for.
            opts.add("--enable-native-access=ALL-UNNAMED");
            opts.add("--sun-misc-unsafe-memory-access=allow");
        }
        opts.add("-Dai.djl.offline=true");
        opts.add("-Dnetbook.root=" + root);
        return opts;
    }

    /**
     * The JDK a kernel runs on. Its start is recorded once into a class archive beside the launcher's
     * jars: from Java 25.0.4 an ahead-of-time cache (classes loaded and linked, the lambdas javac
     * uses already resolved; see RESULTS.md for what it saves), before that a dynamic class-data archive.
     */
    record KernelJava(Path home, int feature, int update) {
        static KernelJava current() {
            return new KernelJava(Path.of(System.getProperty("java.home")), Runtime.version().feature(), Runtime.version().update());
        }

        /** The JDK in {@code home}, read from its {@code release} file; a clear error when it is not one. */
        static KernelJava at(Path home) {
            Path dir = home.toAbsolutePath().normalize();
            if (!Files.isExecutable(dir.resolve("bin/java"))) {
                throw new IllegalArgumentException("--java " + home + ": no bin/java there; give a JDK's folder, such as /usr/lib/jvm/temurin-25-jdk-amd64");
            }
            int feature = 0;
            int update = 0;
            try {
                for (String line : Files.readAllLines(dir.resolve("release"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String[] v = line.substring("JAVA_VERSION=".length()).replace("\"", "").split("[+-]")[0].split("\\.");
                        feature = Integer.parseInt(v[0]);
                        update = v.length > 2 ? Integer.parseInt(v[2]) : 0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalArgumentException("--java " + home + ": cannot read the Java version from its release file (" + e.getMessage() + ")");
            }
            if (feature < 17) {
                throw new IllegalArgumentException("--java " + home + " is Java " + (feature == 0 ? "of unknown version" : feature)
                        + "; the kernel needs Java 17 or newer");
            }
            return new KernelJava(dir, feature, update);
        }

        Path java() {
            return home.resolve("bin").resolve("java");
        }

        /**
         * Whether this JDK records an ahead-of-time cache. Before 25.0.4 such a cache was not
         * rejected when a jar on the class path changed (JDK-8377932), so a rebuilt kernel would
         * run the classes of the old one; those JDKs record a class-data archive, which is.
         */
        boolean aheadOfTime() {
            return feature > 25 || feature == 25 && update >= 4;
        }

        /** One archive per Java version: an archive recorded by one JDK is useless to another. */
        Path archive(Path lib) {
            return lib.resolveSibling("netbook-kernel-java" + feature + (aheadOfTime() ? ".aot" : ".jsa"));
        }

        /** The options that start a kernel from {@code archive}; the JVM starts without it, silently, when it is stale. */
        List<String> startFrom(Path archive) {
            return aheadOfTime() ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
                    : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }

        List<String> record(Path archive) {
            return aheadOfTime() ? List.of("-XX:AOTCacheOutput=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
                    : List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }

        @Override
        public String toString() {
            // "17.9" read as a version that never existed; the release file says 17.0.9
            return "Java " + feature + (update > 0 ? " update " + update : "") + " (" + home + ")";
        }
    }

    /** The JDKs whose archives lie beside {@code lib} (each archive keeps its JDK's home in NAME.jdk). */
    static List<KernelJava> recordedJdks(Path lib) {
        List<KernelJava> out = new ArrayList<>();
        try (var files = Files.list(lib.toAbsolutePath().getParent())) {
            for (Path home : files.filter(p -> p.getFileName().toString().matches("netbook-kernel-java[0-9]+\\.(aot|jsa)\\.jdk")).toList()) {
                try {
                    out.add(KernelJava.at(Path.of(Files.readString(home, StandardCharsets.UTF_8).strip().lines().findFirst().orElse(""))));
                } catch (IllegalArgumentException e) {
                    // that JDK is gone: its archive is of no use any more
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * Records the classes a kernel on {@code jdk} loads into its archive next to the launcher's jars
     * (for example netbook-kernel-java17.jsa beside the lib folder), which cuts the kernel's start;
     * null if that fails, with the reason on standard error. A rebuild makes the archive stale: the
     * JVM then ignores it, and the next build or install re-records it. First brings the unpacked
     * copies of the jars cells compile against up to date ({@link CellClasses}).
     *
     * @param reuse keep an archive recorded by the same command over the same jars (install and
     *     notebook, where ./netbook has just recorded it); {@code kernel archive} always re-records
     */
    static Path classArchive(Path root, KernelJava jdk, boolean reuse) {
        Path lib = lib(root);
        Path archive = jdk.archive(lib);
        if (!Files.isDirectory(lib)) {
            return null;
        }
        // Before recording, so that the warm-up kernel compiles its cells the way installed ones will.
        if (CellClasses.unpack(lib) > 0) {
            System.err.println("netbook: unpacked the jars cells compile against into " + lib.toAbsolutePath().getParent().resolve(CellClasses.FOLDER));
        }
        Path stamp = archive.resolveSibling(archive.getFileName() + ".jdk");
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        try {
            Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
            List<String> cmd = new ArrayList<>();
            cmd.add(jdk.java().toString());
            cmd.addAll(jvmOptions(root, jdk));
            cmd.addAll(jdk.record(tmp));
            cmd.addAll(List.of("-cp", lib + File.separator + "*", Kernel.class.getName(), "--warmup"));
            String recorded = archiveStamp(jdk, cmd, lib);
            if (reuse && Files.isRegularFile(archive) && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(recorded)) {
                return archive;
            }
            System.err.println("netbook: recording the classes a kernel on Java " + jdk.feature() + " starts with (a few seconds, once per build)");
            Files.deleteIfExists(tmp);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // The warm-up has its own two-minute watchdog; this is the last resort if the JVM hangs in its exit.
            boolean done = p.waitFor(RECORD_DEADLINE_S, java.util.concurrent.TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (!done || p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                Files.deleteIfExists(tmp);
                System.err.println("netbook: could not record the class archive for " + jdk + " ("
                        + (done ? "exit " + p.exitValue() : "no end after " + RECORD_DEADLINE_S + " s") + "); kernels start without it, "
                        + "about half a second slower. The warm-up kernel's last words, from " + log + ":\n" + LogTail.lastLines(log, 5));
                return null;
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stamp, recorded, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return archive;
        } catch (IOException e) {
            System.err.println("netbook: could not record the class archive for " + jdk + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Seconds a recording may take before it is killed (its own watchdog stops it after 120). */
    static final long RECORD_DEADLINE_S = 180;

    /**
     * What an archive was recorded from: the JDK's home on the first line ({@link #recordedJdks}
     * reads it), then the recording command and every jar's name, size and time, so that an
     * archive is reused only where the JVM would accept it and the kernel would start the same way.
     */
    static String archiveStamp(KernelJava jdk, List<String> cmd, Path lib) throws IOException {
        StringBuilder sb = new StringBuilder(jdk.home().toString()).append('\n');
        sb.append(String.join(" ", cmd)).append('\n');
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                sb.append(jar.getFileName()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
        }
        return sb.toString();
    }


    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static int notebook(List<String> extra) throws IOException, InterruptedException {
        Path root = root();
        String jupyter = findJupyterNotebook();
        if (jupyter == null) {
            boolean isRoot = "root".equals(System.getProperty("user.name")) || "0".equals(uid());
            String apt = "apt-get install -y " + String.join(" ", APT_PACKAGES);
            if (!isRoot || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                System.err.println("netbook: Jupyter Notebook is not installed. Install it with:\n    sudo " + apt
                        + "\nthen run ./netbook notebook again.");
                return 1;
            }
            System.err.println("netbook: installing Jupyter: " + apt);
            int rc = run(List.of("/usr/bin/apt-get", "install", "-y", APT_PACKAGES.get(0), APT_PACKAGES.get(1), APT_PACKAGES.get(2), APT_PACKAGES.get(3)), Map.of("DEBIAN_FRONTEND", "noninteractive"));
            if (rc != 0 || (jupyter = findJupyterNotebook()) == null) {
                System.err.println("netbook: apt-get failed (exit " + rc + "); install the packages by hand: " + apt);
                return 1;
            }
        }
        KernelJava jdk = KernelJava.current();
        Path dir = write(userKernels(), DEFAULT_NAME, root, jdk, classArchive(root, jdk, true));
        System.err.println("netbook: kernelspec installed in " + dir);
        Path notebooks = root.resolve("notebooks");
        Files.createDirectories(notebooks);
        List<String> cmd = new ArrayList<>(List.of(jupyter, "--ip=127.0.0.1", "--notebook-dir=" + notebooks));
        if ("0".equals(uid())) {
            cmd.add("--allow-root");
        }
        cmd.addAll(extra);
        System.err.println("netbook: " + String.join(" ", cmd));
        return runServer(cmd);
    }

    /** How long the server gets to stop its kernels after a SIGTERM before they are killed. */
    static final long STOP_GRACE_MS = 10_000;

    /**
     * Runs the notebook server as a child and stops it with this process: when the launcher gets
     * SIGTERM (a service manager, a closed terminal) or SIGINT, the JVM's shutdown hook asks the
     * server to stop (it shuts its kernels down), waits up to {@link #STOP_GRACE_MS}, then kills
     * whatever of the server and its kernels is left, so nothing keeps running after the launcher.
     */
    private static int runServer(List<String> cmd) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(cmd).inheritIO().start();
        Thread stopper = new Thread(() -> stopTree(server.toHandle(), STOP_GRACE_MS), "netbook-stop-server");
        Runtime.getRuntime().addShutdownHook(stopper);
        int rc = server.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
        return rc;
    }

    /** Stops a process politely, then forcibly, with every descendant it had. */
    static void stopTree(ProcessHandle root, long graceMs) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(0, root);
        root.destroy();
        long deadline = System.nanoTime() + graceMs * 1_000_000L;
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // still running after the grace period: killed below
            }
        }
        for (ProcessHandle p : tree) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    private static String findJupyterNotebook() {
        for (String p : List.of("/usr/bin/jupyter-notebook", "/usr/local/bin/jupyter-notebook")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }

    private static int run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }
}
