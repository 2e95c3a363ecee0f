package netbook.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import netbook.data.ArrayDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** {@code ./netbook gpu-check}'s program on the CPU (CI has no GPU; RESULTS.md has its run on one). */
class GpuCheckTest {
    @Test
    void withTheCpuStandingInEveryCheckPassesAndARepeatIsEqualToTheBit(@TempDir Path scratch) throws Exception {
        Table t = GpuCheck.run(Device.cpu(), true, scratch);
        List<String> names = t.stringColumn("check").asList();
        // The title names what the speed rows depend on: engine, devices, CPU and the host allocator.
        assertTrue(t.name().startsWith("gpu-check on cpu() (PyTorch ") && t.name().endsWith(netbook.env.Env.allocator() + ")"), t.name());
        for (int i = 0; i < t.rowCount(); i++) {
            assertTrue(t.booleanColumn("passed").get(i), names.get(i) + ": " + t.stringColumn("value").get(i));
        }
        // On the CPU the same seed and weights give the same losses to the bit (the project's contract).
        assertEquals("equal to the bit", t.stringColumn("value").get(names.indexOf("second run, same seed and weights")));
        assertTrue(t.stringColumn("value").get(names.indexOf("first epoch's loss against the CPU's, same weights and batches"))
                .endsWith("relative difference 0.00e+00"));
        // Every small zoo model was put through the network once.
        assertEquals(netbook.zoo.Zoo.names().stream().filter(n -> n.endsWith("-small")).count(),
                names.stream().filter(n -> n.startsWith("forward ")).count());
    }

    @Test
    void theSyntheticImagesAreASeededDrawThatHoldsEveryClass() {
        ArrayDataset a = GpuCheck.squares(200, 5);
        ArrayDataset b = GpuCheck.squares(200, 5);
        int[] counts = new int[GpuCheck.CLASSES];
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.label(i), b.label(i));
            counts[a.label(i)]++;
        }
        for (int c = 0; c < counts.length; c++) assertTrue(counts[c] > 0, "class " + c + " never drawn");
        assertArrayEquals(new long[] {1, 28, 28}, a.shape().dims());
    }

    @Test
    void largestRelativeDifferenceIsZeroOnlyForEqualRuns() {
        assertEquals(0.0, GpuCheck.maxRelative(new double[] {1, 2}, new double[] {1, 2}));
        assertEquals(0.5, GpuCheck.maxRelative(new double[] {1, 3}, new double[] {1, 2}), 1e-12);
    }

    /** The command line: a wrong option names itself; without a GPU the program says so and exits 2. */
    @Test
    void theCommandLineNamesAWrongOptionAndAMissingGpu() throws Exception {
        Result wrong = launch("--epochs", "3");
        assertEquals(2, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("gpu-check: unknown option --epochs"), wrong.output());
        if (Engine.getInstance().getGpuCount() == 0) {
            Result none = launch();
            assertEquals(2, none.exit(), none.output());
            assertTrue(none.output().contains("the engine reports no GPU"), none.output());
        } else {
            Result gpu = launch("--quick");
            assertEquals(0, gpu.exit(), gpu.output());
        }
    }

    private record Result(int exit, String output) {}

    private static Result launch(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                GpuCheck.class.getName()));
        cmd.addAll(List.of(args));
        File log = Files.createTempFile("gpu-check", ".log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gpu-check did not end within 120 s: " + Files.readString(log.toPath(), StandardCharsets.UTF_8));
        }
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        Files.delete(log.toPath());
        return new Result(p.exitValue(), out);
    }
}
