package netbook.spark;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Sweeps through real Spark: embedded executor processes started by {@code ./netbook sweep}, and a
 * standalone cluster of a master and two workers started here as separate processes from the
 * module's SPARK_HOME (made by {@code mvn package}). Every trial's row is compared with the same
 * trial run one after another in this JVM at the same thread count: equal to the bit.
 */
class SparkSweepIT {
    @TempDir Path dir;

    static final Path ROOT = Path.of(System.getProperty("netbook.root", "../.."));
    static final Path SPARK_HOME = Path.of(System.getenv("SPARK_HOME"));

    private Path writeSweep(String grid, int train) throws IOException {
        Files.writeString(dir.resolve("tiny.json"), SpecJson.write(SweepTest.tiny()));
        Net linear = Net.input(1, 28, 28).named("linear").add(flatten(), linear(10));
        Files.writeString(dir.resolve("linear.json"), SpecJson.write(linear));
        Path file = dir.resolve("sweep.json");
        Files.writeString(file, """
                {"name": "it", "models": [{"spec": "tiny.json"}, {"spec": "linear.json"}],
                 "data": {"source": "fashion-mnist", "train": %d, "test": 200}, "grid": %s}""".formatted(train, grid));
        return file;
    }

    /** The rows of the same trials run one after another here, with one PyTorch thread each, by trial. */
    private static Map<Integer, Trial.Result> sequential(Sweep sweep) {
        Map<Integer, Trial.Result> byTrial = new TreeMap<>();
        for (Trial.Result r : SparkSweep.sequential(sweep, 1, null).rows()) byTrial.put(r.trial().index(), r);
        return byTrial;
    }

    /** Runs {@code ./netbook sweep FILE --out OUT}; its output. */
    private String launch(Path file, Path out) throws Exception {
        Path log = dir.resolve(out.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("netbook").toString(), "sweep", file.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
        pb.environment().put("NETBOOK_SKIP_BUILD", "1");   // inside mvn verify: the jars are the ones just packaged
        Process p = pb.start();
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./netbook sweep did not end in 6 minutes:\n" + Files.readString(log));
        }
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("on local-cluster["), text);
        return text;
    }

    /** The executor command lines Spark's workers ran for the application of the sweep whose output is {@code log}. */
    private static List<String> executorCommands(String log) throws IOException {
        List<String> commands = new ArrayList<>();
        try (var apps = Files.list(SPARK_HOME.resolve("work"))) {
            for (Path app : apps.toList()) {
                try (var executors = Files.list(app)) {
                    for (Path e : executors.toList()) {
                        Path stderr = e.resolve("stderr");
                        if (Files.isRegularFile(stderr) && Files.getLastModifiedTime(stderr).toMillis() >= LAUNCHED.get()) {
                            commands.add(Files.readAllLines(stderr).get(0));
                        }
                    }
                }
            }
        }
        assertTrue(!commands.isEmpty(), "no executor log in " + SPARK_HOME.resolve("work") + "\n" + log);
        return commands;
    }

    private static final java.util.concurrent.atomic.AtomicLong LAUNCHED = new java.util.concurrent.atomic.AtomicLong();

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void theLaunchersEmbeddedSweepGivesTheRowsOfTheTrialsRunOneAfterAnother() throws Exception {
        // 8 trials; the linear model at a step of 1e38 diverges, and its rows say so while the sweep goes on
        Path file = writeSweep("{\"optimizer\": \"sgd\", \"lr\": [0.05, 1e38], \"schedule\": \"constant\", \"batch\": 64, \"seed\": [1, 2]}", 600);
        Map<Integer, Trial.Result> expected = sequential(Sweep.read(file));

        // The first embedded run after a build lists its executors' classes and records their
        // archive when it ends; the second starts its executors from that archive.
        Path jsa = SPARK_HOME.resolve(ExecutorArchive.ARCHIVE);
        Files.deleteIfExists(jsa);
        Files.deleteIfExists(SPARK_HOME.resolve(ExecutorArchive.ARCHIVE + ".stamp"));
        LAUNCHED.set(System.currentTimeMillis() - 1000);
        String first = launch(file, dir.resolve("out"));
        assertTrue(first.contains("recording the executors' class archive") && first.contains("recorded " + jsa), first);
        assertTrue(executorCommands(first).stream().allMatch(c -> c.contains("-XX:DumpLoadedClassList=")), first);
        assertTrue(ExecutorArchive.of(SPARK_HOME, System.getenv()).current(), "the archive is stamped with these jars");
        check(expected, dir.resolve("out"));

        LAUNCHED.set(System.currentTimeMillis() - 1000);
        String second = launch(file, dir.resolve("again"));
        assertTrue(!second.contains("recording the executors' class archive"), second);
        List<String> commands = executorCommands(second);
        assertTrue(commands.stream().allMatch(c -> c.contains("-XX:SharedArchiveFile=" + jsa)), String.join("\n", commands));
        check(expected, dir.resolve("again"));
    }

    /** The rows of an embedded sweep's results.csv against the same trials run here one after another. */
    private void check(Map<Integer, Trial.Result> expected, Path out) throws IOException {
        Table t = Table.read().csv(out.resolve("results.csv").toFile());
        assertEquals(8, t.rowCount(), t.print());
        int ok = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            int trial = t.intColumn("trial").get(i);
            Trial.Result e = expected.get(trial);
            assertEquals(e.status(), t.stringColumn("status").get(i), "trial " + trial + "\n" + t.print());
            if (e.ok()) {
                ok++;
                assertEquals(e.trainLoss(), t.doubleColumn("train_loss").get(i), 0.0, "trial " + trial);
                assertEquals(e.valLoss(), t.doubleColumn("val_loss").get(i), 0.0, "trial " + trial);
                assertEquals(e.valAccuracy(), t.doubleColumn("val_accuracy").get(i), 0.0, "trial " + trial);
                assertTrue(t.stringColumn("ran_on").get(i).startsWith("executor "), t.stringColumn("ran_on").get(i));
            }
            if (e.trial().model().name().equals("linear") && e.trial().settings().lr() > 1) {
                assertEquals("diverged", t.stringColumn("status").get(i), t.print());
                assertTrue(t.stringColumn("message").get(i).contains("training diverged"), t.stringColumn("message").get(i));
            }
        }
        assertTrue(ok >= 4, "the four trials at a step of 0.05 finish\n" + t.print());
        // the best trial's model comes back and predicts
        try (TrainedModel best = TrainedModel.load(out.resolve("best.netbook"))) {
            assertEquals(t.stringColumn("model").get(0), best.net().name());
        }
        assertTrue(Files.readString(out.resolve("results.html")).contains("<table"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aStandaloneClusterRunsTheSweepAndFinishesItWhenAWorkerIsKilled() throws Exception {
        Path file = writeSweep("{\"lr\": [0.001, 0.003, 0.01], \"batch\": 64, \"seed\": [1]}", 1500);
        Sweep sweep = Sweep.read(file);
        try (Cluster cluster = Cluster.start(dir, 2)) {
            AtomicBoolean killed = new AtomicBoolean();
            List<Trial.Result> seen = new ArrayList<>();
            SparkSweep.Results r = SparkSweep.on(cluster.masterUrl(), 1).run(sweep, row -> {
                seen.add(row);
                // after the first row, the other worker dies with its executor, in the middle of the trial it is running
                String first = row.executor().replaceAll("executor ([0-9]+)@.*", "$1");
                if (killed.compareAndSet(false, true)) cluster.killWorkerOfAnExecutorOtherThan(first);
            });
            assertTrue(killed.get());
            assertEquals(6, r.rows().size(), r.table().print());
            // the trial that was running there ran again, on the surviving executor
            assertTrue(r.rows().stream().anyMatch(row -> row.executor().contains("(attempt 2)")), r.table().print());
            Map<Integer, Trial.Result> expected = sequential(sweep);
            for (Trial.Result row : r.rows()) {
                Trial.Result e = expected.get(row.trial().index());
                assertEquals("ok", row.status(), row.message());
                assertEquals(e.trainLoss(), row.trainLoss(), 0.0, row.trial().toString());
                assertEquals(e.valAccuracy(), row.valAccuracy(), 0.0, row.trial().toString());
            }
            assertTrue(r.where().contains(cluster.masterUrl()), r.where());
            assertNotNull(r.best());

            // the best model over an image folder, through the same cluster (its surviving worker)
            Path model = dir.resolve("best.netbook");
            Files.write(model, r.best().model());
            Path images = dir.resolve("images");
            BatchPredictIT.writeImages(images);
            Path out = Files.createDirectories(dir.resolve("predicted"));
            BatchPredict.Summary s = BatchPredict.run(SparkTarget.on("batch-predict", cluster.masterUrl(), 1), model, images, out, 3);
            assertEquals(90, s.summary().longColumn("records").get(0));
            assertEquals(BatchPredictIT.expected(model, images), BatchPredictIT.predictions(out, false));
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anUnreachableMasterIsAOneLineError() throws Exception {
        Sweep sweep = Sweep.read(writeSweep("{\"lr\": [0.001]}", 100));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // free, and nothing listens once closed
        }
        String msg = assertThrows(NetbookException.class, () -> SparkSweep.on("spark://127.0.0.1:" + port, 1).run(sweep, null)).getMessage();
        assertTrue(msg.startsWith("sweep: cannot reach the Spark master at 127.0.0.1:" + port), msg);
    }

    /** A Spark standalone master and workers, each a process of its own, bound to 127.0.0.1. */
    static final class Cluster implements AutoCloseable {
        private final Process master;
        private final List<Process> workers = new ArrayList<>();
        private final int port;

        private Cluster(Process master, int port) {
            this.master = master;
            this.port = port;
        }

        String masterUrl() { return "spark://127.0.0.1:" + port; }

        static Cluster start(Path dir, int workerCount) throws Exception {
            int port = freePort(), ui = freePort();
            Cluster c = new Cluster(spark(dir, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(ui)), port);
            try {
                for (int i = 0; i < workerCount; i++) {
                    Path work = Files.createDirectories(dir.resolve("worker" + i));
                    c.workers.add(spark(dir, "worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                            "--cores", "1", "--memory", "3g", "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(),
                            c.masterUrl()));
                }
                c.awaitWorkers(dir, ui, workerCount);
                return c;
            } catch (Exception | Error e) {
                c.close();   // never leave a master or worker behind
                throw e;
            }
        }

        private static Process spark(Path dir, String name, String mainClass, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", SPARK_HOME.resolve("jars") + "/*"));
            for (String opt : System.getProperty("netbook.spark.java.options", "").split(" ")) if (!opt.isBlank()) cmd.add(opt);
            cmd.add(mainClass);
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
            pb.environment().put("SPARK_HOME", SPARK_HOME.toString());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            return pb.start();
        }

        private void awaitWorkers(Path dir, int ui, int count) throws Exception {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String last = "";
            while (System.nanoTime() < deadline) {
                try {
                    last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui + "/json/")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    if (last.replace(" ", "").contains("\"aliveworkers\":" + count)) return;
                } catch (IOException notYet) {
                    // the master's web UI is not up yet
                }
                Thread.sleep(500);
            }
            throw new AssertionError("the cluster did not have " + count + " workers in 90 s: " + last + "\nmaster log:\n"
                    + Files.readString(dir.resolve("master.log")));
        }

        /** Kills the worker whose executor is not {@code executorId}, with that executor, as a machine that goes away would. */
        void killWorkerOfAnExecutorOtherThan(String executorId) {
            for (Process w : workers) {
                boolean runsOther = w.descendants().anyMatch(d -> {
                    List<String> args = List.of(d.info().arguments().orElse(new String[0]));
                    int at = args.indexOf("--executor-id");
                    return at >= 0 && at + 1 < args.size() && !args.get(at + 1).equals(executorId);
                });
                if (runsOther) {
                    w.descendants().forEach(ProcessHandle::destroyForcibly);
                    w.destroyForcibly();
                    return;
                }
            }
            throw new AssertionError("no worker runs an executor other than " + executorId);
        }

        @Override
        public void close() {
            for (Process w : workers) {
                w.descendants().forEach(ProcessHandle::destroyForcibly);
                w.destroyForcibly();
            }
            master.destroyForcibly();
            for (Process p : workers) waitQuietly(p);
            waitQuietly(master);
        }

        private static void waitQuietly(Process p) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
