package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTest {
    @Test
    void kernelspecRunsThisCheckoutsLauncherClassPath(@TempDir Path tmp) throws Exception {
        Path root = Path.of("/opt/checkout");
        Path dir = Install.write(tmp.resolve("share/jupyter/kernels"), "netbook", root, null);
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
    void theKernelKeepsTheLaunchersJemallocAndNothingElseFromLdPreload() {
        assertEquals(java.util.Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                        "MALLOC_CONF", "oversize_threshold:0"),
                Install.allocatorEnv(java.util.Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2:/opt/other.so",
                        "MALLOC_CONF", "oversize_threshold:0", "HOME", "/root")));
        assertEquals(java.util.Map.of(), Install.allocatorEnv(java.util.Map.of("LD_PRELOAD", "/opt/other.so")));
        assertEquals(java.util.Map.of(), Install.allocatorEnv(java.util.Map.of()));
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
}
