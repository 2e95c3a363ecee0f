package netbook.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class EnvTest {
    @Test
    void namesTheAllocatorThisProcessRunsOn() {
        // ./netbook test preloads jemalloc when Debian's libjemalloc2 is installed; plain mvn does not.
        String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
        String allocator = Env.allocator();
        if (preload.contains("libjemalloc")) {
            assertTrue(allocator.startsWith("jemalloc"), allocator);
        } else {
            assertEquals("glibc malloc", allocator);
        }
    }

    @Test
    void theEnvironmentTableReportsAllocatorThreadsAndOfflineMode() {
        Table t = Env.table();
        var keys = t.stringColumn("property").asList();
        assertTrue(keys.containsAll(java.util.List.of("engine", "allocator", "intra-op threads", "offline", "cpu", "conv guard")), keys.toString());
        String guard = t.where(t.stringColumn("property").isEqualTo("conv guard")).stringColumn("value").get(0);
        // "on, channel tails padded to multiples of 16 (auto; ...; CPU has AVX-512)" or "off (...)".
        assertTrue(guard.matches("(on, channel tails padded to multiples of (8|16)|off) \\(.*\\)") && guard.contains("AVX-512"), guard);
        assertEquals(Env.allocator(), t.where(t.stringColumn("property").isEqualTo("allocator")).stringColumn("value").get(0));
    }
}
