package netbook.recipes;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import netbook.dsl.Net;
import netbook.files.AtomicFiles;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 at random moments while a checkpoint is saved and a result set is written: what exists is whole. */
class CrashSafetyTest {
    /** Child: saves a checkpoint and publishes a result set (a CSV and its stamp, one counter) over and over. */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path results = Path.of(args[1]);
        Net net = Net.input(16).named("crash").add(linear(64), relu(), linear(64), relu(), linear(10));
        try (TrainedModel m = TrainedModel.untrained(net, 1)) {
            for (int i = 0; ; i++) {
                m.save(model);
                Path staging = ResultSet.prepare(results);
                AtomicFiles.writeString(staging.resolve("results.csv"), "counter\n" + i + "\n" + "x".repeat(200_000) + "\n");
                AtomicFiles.writeString(staging.resolve("results.csv.stamp.json"), "{\"counter\": " + i + "}\n");
                ResultSet.publish(staging, results);
                System.out.println("saved " + i);
                System.out.flush();
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killedWritersLeaveOnlyWholeFiles(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.netbook");
        Path results = dir.resolve("results");
        Random random = new Random(11);
        int checkedModels = 0;
        int checkedSets = 0;
        for (int round = 0; round < 6; round++) {
            Path log = dir.resolve("child-" + round + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            for (String key : System.getProperties().stringPropertyNames()) {
                if (key.startsWith("ai.djl.") || key.startsWith("netbook.")) cmd.add("-D" + key + "=" + System.getProperty(key));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashSafetyTest.class.getName(), model.toString(), results.toString()));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            try {
                while (!Files.readString(log).contains("saved 2\n")) {
                    if (!child.isAlive()) fail("the child ended:\n" + Files.readString(log));
                    if (System.nanoTime() > deadline) fail("the child did not start saving in 120 s:\n" + Files.readString(log));
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(150));
            } finally {
                child.destroyForcibly();   // SIGKILL, at a random moment of the save loop
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            if (Files.exists(model)) {
                try (TrainedModel back = TrainedModel.load(model)) {
                    assertEquals("crash", back.net().name());
                    checkedModels++;
                }
            }
            Path set = Files.exists(results) ? results : dir.resolve(".results.previous");
            if (Files.exists(set)) {
                String csv = Files.readString(set.resolve("results.csv"));
                String stamp = Files.readString(set.resolve("results.csv.stamp.json"));
                String counter = csv.split("\n")[1];
                assertEquals("{\"counter\": " + counter + "}\n", stamp, "round " + round + ": the CSV and its stamp belong together");
                checkedSets++;
            }
        }
        assertEquals(6, checkedModels, "a checkpoint existed and loaded after every kill");
        assertEquals(6, checkedSets, "a whole result set existed after every kill");
    }
}
