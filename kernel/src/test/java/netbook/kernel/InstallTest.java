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
        assertTrue(json.contains("\"/opt/checkout/src/target/lib/*\""), json);
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
}
