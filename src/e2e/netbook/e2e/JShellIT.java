package netbook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./netbook jshell}: the startup imports are there, a model trains, and snippets compile
 * against the runtime without {@code netbook.internal} (lib/cells/), as notebook cells do, while
 * the runtime itself runs from the full jars.
 */
class JShellIT {
    @BeforeAll
    static void root() {
        JupyterIT.root = Path.of(System.getProperty("netbook.root", "..")).toAbsolutePath().normalize();
    }

    @Test
    void snippetsUseThePublicApiAndTrainButCannotNameTheInternals(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("session.jsh");
        Files.writeString(script, String.join("\n",
                "Class<?> c = netbook.internal.djl.Compiler.class;",
                "var rows = new float[8][4];",
                "for (int i = 0; i < 8; i++) rows[i][i % 4] = 1;",
                "try (var m = Fit.of(Net.input(4).add(linear(2)), ArrayDataset.of(rows, new int[] {0, 1, 0, 1, 0, 1, 0, 1}))",
                "        .epochs(1).batchSize(4).seed(1).progress(Progress.none()).run()) {",
                "    System.out.println(\"metrics rows: \" + m.metrics().rowCount());",
                "}",
                "System.out.println(\"numerics: \" + netbook.env.Numerics.mode());",
                "System.out.println(\"heap pages: \" + netbook.env.Env.javaHeapPages());",
                "/exit", ""));
        // Empty values: the launcher, not this test's own environment, decides the natives' code paths.
        Map<String, String> env = Map.of("NETBOOK_SKIP_BUILD", "1", "ATEN_CPU_CAPABILITY", "", "ONEDNN_MAX_CPU_ISA", "", "MKL_CBWR", "");
        JupyterIT.Result r = JupyterIT.run(List.of(JupyterIT.root.resolve("netbook").toString(), "jshell", script.toString()), env, 300);
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("package netbook.internal.djl does not exist"), r.out());
        assertTrue(r.out().contains("metrics rows: 1"), r.out());
        // AVX2 code paths wherever the CPU has AVX2 (forcing them on a CPU without it would crash)
        boolean avx2 = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().anyMatch(l -> l.startsWith("flags") && (l + " ").contains(" avx2 "));
        assertTrue(r.out().contains("numerics: " + (avx2 ? "portable" : "native")), r.out());
        // Huge pages for the snippets' JVM wherever Linux offers them on request, 4 KiB pages elsewhere
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(thp) && Files.readString(thp).matches("(?s).*\\[(always|madvise)\\].*");
        assertTrue(r.out().contains("heap pages: " + (offered ? "2 MiB transparent huge pages" : "4 KiB pages")), r.out());
    }

    @Test
    void nativeNumericsLeaveTheCodePathsToTheNatives(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("native.jsh");
        Files.writeString(script, "System.out.println(\"numerics: \" + netbook.env.Numerics.mode());\n/exit\n");
        Map<String, String> env = Map.of("NETBOOK_SKIP_BUILD", "1", "NETBOOK_NUMERICS", "native",
                "ATEN_CPU_CAPABILITY", "", "ONEDNN_MAX_CPU_ISA", "", "MKL_CBWR", "");
        JupyterIT.Result r = JupyterIT.run(List.of(JupyterIT.root.resolve("netbook").toString(), "jshell", script.toString()), env, 300);
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("numerics: native"), r.out());
    }
}
