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

    @Test
    void theHeapPagesAreWhatTheJvmWasToldToUse() {
        boolean asked = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:+UseTransparentHugePages");
        // Surefire's JVM gets the option only where the build passes it; either way the row must say
        // what this JVM was given, not what Linux offers.
        assertEquals(asked ? "2 MiB transparent huge pages" : "4 KiB pages", Env.javaHeapPages());
        Table t = Env.table();
        assertEquals(Env.javaHeapPages(), t.where(t.stringColumn("property").isEqualTo("java heap pages")).stringColumn("value").get(0));
    }

    @Test
    void theCpuIsNamedWithFamilyModelAndVectorWidth() {
        // the first processor's block of /proc/cpuinfo; the second must not be read into it
        var zen5 = java.util.List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 26", "model\t\t: 2",
                "model name\t: AMD EPYC", "flags\t\t: fpu sse2 avx avx2 avx512f avx512bw", "",
                "processor\t: 1", "model name\t: Other CPU", "flags\t\t: fpu");
        assertEquals("AMD EPYC (family 26 model 2, AVX-512)", Env.describeCpu(zen5));
        var zen3 = java.util.List.of("cpu family\t: 25", "model\t\t: 1", "model name\t: AMD EPYC", "flags\t\t: fpu avx avx2 fma");
        assertEquals("AMD EPYC (family 25 model 1, AVX2, no AVX-512)", Env.describeCpu(zen3));
        assertEquals("unknown", Env.describeCpu(java.util.List.of()));
        // this machine's, as stamps record it
        assertTrue(Env.cpuModel().matches(".+ \\(family [0-9]+ model [0-9]+, .+\\)"), Env.cpuModel());
    }
}
