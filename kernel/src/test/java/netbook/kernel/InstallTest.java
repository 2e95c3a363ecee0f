package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTest {
    @Test
    void kernelspecRunsThisCheckoutsLauncherClassPath(@TempDir Path tmp) throws Exception {
        Path root = Path.of("/opt/checkout");
        Path dir = Install.write(tmp.resolve("share/jupyter/kernels"), "netbook", root, Install.KernelJava.current(), null);
        assertEquals(tmp.resolve("share/jupyter/kernels/netbook"), dir);
        String json = Files.readString(dir.resolve("kernel.json"));
        assertTrue(json.contains("\"interrupt_mode\": \"message\""), json);
        assertTrue(json.contains("\"display_name\": \"Netbook (Java"), json);
        assertTrue(json.contains("\"-Dai.djl.offline=true\""), json);
        assertTrue(json.contains("\"-Dnetbook.root=/opt/checkout\""), json);
        assertTrue(json.contains("\"/opt/checkout/kernel/dist/target/lib/*\""), json);
        assertTrue(json.contains("\"netbook.kernel.Kernel\",\n    \"{connection_file}\""), json);
        assertTrue(json.contains("\"-Xmx"), json);
        assertTrue(json.contains("\"" + IdleIndexing.OPENS + "\""), json);
        assertTrue(!json.contains("SharedArchiveFile"), json);
        assertTrue(json.contains(Path.of(System.getProperty("java.home"), "bin", "java").toString()), json);
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void aKernelOnJava25StartsFromAnAheadOfTimeCacheAndOneOnJava17FromAClassDataArchive(@TempDir Path tmp) throws Exception {
        // Fake JDK folders (a release file and an executable bin/java): what is read from them, on any machine.
        Install.KernelJava j25 = Install.KernelJava.at(fakeJdk(tmp.resolve("jdk25"), "25.0.4"));
        // 25.0.3 and older keep a stale cache after a rebuild (JDK-8377932): a class-data archive instead
        Install.KernelJava j25early = Install.KernelJava.at(fakeJdk(tmp.resolve("jdk2503"), "25.0.3"));
        assertEquals(3, j25early.update());
        assertTrue(!j25early.aheadOfTime() && j25.aheadOfTime() && Install.KernelJava.at(fakeJdk(tmp.resolve("jdk26"), "26")).aheadOfTime());
        Install.KernelJava j17 = Install.KernelJava.at(fakeJdk(tmp.resolve("jdk17"), "17.0.15"));
        assertEquals(25, j25.feature());
        assertEquals(17, j17.feature());
        Path lib = Path.of("/opt/checkout/kernel/dist/target/lib");
        assertEquals(Path.of("/opt/checkout/kernel/dist/target/netbook-kernel-java25.aot"), j25.archive(lib));
        assertEquals(Path.of("/opt/checkout/kernel/dist/target/netbook-kernel-java17.jsa"), j17.archive(lib));

        Path dir = Install.write(tmp.resolve("kernels"), "netbook", Path.of("/opt/checkout"), j25, j25.archive(lib));
        String json = Files.readString(dir.resolve("kernel.json"));
        assertTrue(json.contains("\"" + tmp.resolve("jdk25/bin/java") + "\""), json);
        assertTrue(json.contains("\"-XX:AOTCache=/opt/checkout/kernel/dist/target/netbook-kernel-java25.aot\""), json);
        assertTrue(json.contains("\"display_name\": \"Netbook (Java 25)\""), json);
        assertTrue(!json.contains("SharedArchiveFile"), json);
        // JDK 24 removed sun.security.action: opening it on 25 printed a warning at every kernel start
        assertTrue(!json.contains("sun.security.action") && json.contains("\"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED\""), json);
        // JNA's System.load (and Netty's Unsafe) printed WARNING lines to the server's log from every kernel on 25 that used DJL
        assertTrue(json.contains("\"--enable-native-access=ALL-UNNAMED\"") && json.contains("\"--sun-misc-unsafe-memory-access=allow\""), json);
        json = Files.readString(Install.write(tmp.resolve("kernels"), "netbook", Path.of("/opt/checkout"), j17, j17.archive(lib)).resolve("kernel.json"));
        assertTrue(json.contains("\"-XX:SharedArchiveFile=/opt/checkout/kernel/dist/target/netbook-kernel-java17.jsa\""), json);
        assertTrue(!json.contains("AOTCache"), json);
        assertTrue(json.contains("\"--add-opens=java.base/sun.security.action=ALL-UNNAMED\""), json);
        // Java 17 knows neither option as these JDKs mean it
        assertTrue(!json.contains("--enable-native-access") && !json.contains("--sun-misc-unsafe-memory-access"), json);
    }

    @Test
    void aFolderThatIsNotAJdkOrTooOldIsRefusedByName(@TempDir Path tmp) throws Exception {
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Install.KernelJava.at(tmp));
        assertTrue(none.getMessage().startsWith("--java " + tmp + ": no bin/java there"), none.getMessage());
        Path old = fakeJdk(tmp.resolve("jdk11"), "11.0.2");
        IllegalArgumentException eleven = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Install.KernelJava.at(old));
        assertEquals("--java " + old + " is Java 11; the kernel needs Java 17 or newer", eleven.getMessage());
    }

    /**
     * A class archive is recorded by running the kernel's warm-up under the chosen JDK. Here that
     * JDK is a script that counts its runs and writes the archive the JVM would (or fails, as a
     * warm-up that got no reply does), so what is reused, re-recorded and reported is seen on any machine.
     */
    @Test
    void anArchiveIsReusedUntilAJarChangesAndAFailedRecordingSaysWhy(@TempDir Path tmp) throws Exception {
        Path jdkHome = fakeJdk(tmp.resolve("jdk17"), "17.0.9");
        Files.writeString(jdkHome.resolve("bin/java"), """
                #!/bin/sh
                home="$(dirname "$0")/.."
                echo run >> "$home/runs"
                for a in "$@"; do case "$a" in -XX:ArchiveClassesAtExit=*) out="${a#-XX:ArchiveClassesAtExit=}";; esac; done
                if [ -f "$home/fail" ]; then echo "netbook: no reply to kernel_info_request on port 4242 within 30.0 s"; exit 1; fi
                echo classes > "$out"
                """);
        Install.KernelJava jdk = Install.KernelJava.at(jdkHome);
        Path root = tmp.resolve("checkout");
        Path lib = Files.createDirectories(root.resolve("kernel/dist/target/lib"));
        Path jar = Files.writeString(lib.resolve("netbook-kernel-0.1.0.jar"), "v1"); // the kernel's own jar: not one cells compile against, so not unpacked
        Path runs = jdkHome.resolve("runs");
        java.util.function.IntSupplier recordings = () -> {
            try {
                return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };

        Path archive = Install.classArchive(root, jdk, true);
        assertEquals(root.resolve("kernel/dist/target/netbook-kernel-java17.jsa"), archive);
        assertEquals(1, recordings.getAsInt());
        assertEquals(jdkHome.toAbsolutePath().normalize(), Install.recordedJdks(lib).get(0).home(), "the stamp's first line names the JDK");
        assertEquals(archive, Install.classArchive(root, jdk, true));
        assertEquals(1, recordings.getAsInt(), "the same jars and command: the archive is reused");
        assertEquals(archive, Install.classArchive(root, jdk, false));
        assertEquals(2, recordings.getAsInt(), "kernel archive re-records even an up-to-date archive");

        Files.writeString(jar, "v2, rebuilt");
        assertEquals(archive, Install.classArchive(root, jdk, true));
        assertEquals(3, recordings.getAsInt(), "a changed jar makes the archive stale: recorded again");

        Files.writeString(jar, "v3, rebuilt again");
        Files.writeString(jdkHome.resolve("fail"), "");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            org.junit.jupiter.api.Assertions.assertNull(Install.classArchive(root, jdk, true));
        } finally {
            System.setErr(oldErr);
        }
        String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("could not record the class archive for Java 17") && said.contains("exit 1")
                && said.contains("no reply to kernel_info_request on port 4242"), said);
        assertTrue(!Files.exists(archive.resolveSibling(archive.getFileName() + ".tmp")), "no half-written archive is left");
    }

    private static Path fakeJdk(Path home, String version) throws java.io.IOException {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        assertTrue(java.toFile().setExecutable(true));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void theKernelKeepsTheLaunchersJemallocAndNothingElseFromLdPreload() {
        assertEquals(java.util.Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                        "MALLOC_CONF", "oversize_threshold:0"),
                Install.allocatorEnv(java.util.Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2:/opt/other.so",
                        "MALLOC_CONF", "oversize_threshold:0", "HOME", "/root")));
        assertEquals(java.util.Map.of(), Install.allocatorEnv(java.util.Map.of("LD_PRELOAD", "/opt/other.so")));
        assertEquals(java.util.Map.of(), Install.allocatorEnv(java.util.Map.of()));
    }

    @Test
    void theKernelGetsTheLaunchersNumericsSoACellComputesWhatTheLauncherDoes() {
        var launcher = java.util.Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2", "MKL_CBWR", "AVX2",
                "LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "PATH", "/usr/bin");
        assertEquals(java.util.Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2", "MKL_CBWR", "AVX2",
                "LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), Install.kernelEnv(launcher));
        // NETBOOK_NUMERICS=native: the launcher set none of them, and the kernel gets none
        assertEquals(java.util.Map.of(), Install.kernelEnv(java.util.Map.of("PATH", "/usr/bin")));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\"", Install.json("a\"b\\c\n"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void stoppingTheServerAlsoStopsWhatItStarted() throws Exception {
        // A "server" that ignores nothing but leaves two children behind when it dies, as a server
        // whose kernels outlive it would: both must be gone after stopTree, within the grace period.
        Process server = new ProcessBuilder("bash", "-c", "sleep 300 & sleep 300 & wait").start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.toHandle().descendants().count() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        java.util.List<ProcessHandle> children = server.toHandle().descendants().toList();
        assertEquals(2, children.size(), "the two sleeps started");
        long t0 = System.nanoTime();
        Install.stopTree(server.toHandle(), 2_000);
        for (ProcessHandle p : children) {
            p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(!p.isAlive(), "child " + p.pid() + " still runs");
        }
        assertTrue(server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the server stopped");
        assertTrue((System.nanoTime() - t0) / 1e9 < 8, "within the grace period and the kill");
    }

    @Test
    void hugePagesOnlyWhereLinuxOffersThemAndNoPageOptionWasGiven() {
        List<String> plain = List.of("-Xmx8g", "-XX:TieredStopAtLevel=1");
        assertTrue(Install.hugePagesForTheHeap(plain, "always defer defer+madvise [madvise] never"));
        assertTrue(Install.hugePagesForTheHeap(plain, "[always] madvise never"));
        assertFalse(Install.hugePagesForTheHeap(plain, "always madvise [never]"), "Linux refuses them: the JVM would only warn");
        assertFalse(Install.hugePagesForTheHeap(plain, null), "no such file (another system, or a container without /sys)");
        assertFalse(Install.hugePagesForTheHeap(List.of("-Xmx8g", "-XX:-UseTransparentHugePages"), "[madvise]"),
                "the user's own choice stays");
        assertFalse(Install.hugePagesForTheHeap(List.of("-XX:+UseLargePages"), "[madvise]"), "explicit large pages stay");
    }

    @Test
    void oneCompilerThreadOnlyOnTwoCoresWithC1AloneAndNoCountGiven() {
        List<String> c1 = List.of("-Xmx8g", "-XX:TieredStopAtLevel=1");
        assertTrue(Install.oneCompilerThread(c1, 2));
        assertTrue(Install.oneCompilerThread(c1, 1));
        assertFalse(Install.oneCompilerThread(c1, 4), "more cores: the JVM's own count");
        assertFalse(Install.oneCompilerThread(List.of("-Xmx8g"), 2),
                "full tiered compilation needs two threads");
        assertFalse(Install.oneCompilerThread(
                List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=3"), 2), "a count the user gave stays");
    }
}
