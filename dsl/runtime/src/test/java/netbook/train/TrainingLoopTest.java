package netbook.train;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netbook.data.ArrayDataset;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The training loop's callbacks and checkpoints: resume after a kill, reduce-on-plateau, evaluations, refusals. */
class TrainingLoopTest {
    static final int EPOCHS = 4;
    static final long CHILD_DEADLINE_S = 240;

    /** Four classes from the sign pattern of two of eight features, with noise features. */
    static ArrayDataset data(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * 8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) x[i * 8 + j] = (float) r.nextGaussian();
            y[i] = (x[i * 8] > 0 ? 1 : 0) + (x[i * 8 + 1] > 0 ? 2 : 0);
        }
        return new ArrayDataset("signs-" + seed, x, Shape.of(8), y, 4, null);
    }

    /** Dropout and batch norm: random draws and buffers both have to come back right after a resume. */
    static Net net() {
        return Net.input(8).named("resumable").add(linear(32), batchNorm(), relu(), dropout(0.3), linear(4));
    }

    static Fit fit() {
        return Fit.of(net(), data(512, 1)).validation(data(128, 2)).epochs(EPOCHS).batchSize(32).seed(11)
                .optimizer(Optimizers.adam(3e-3)).progress(Progress.none());
    }

    /**
     * Child JVM: {@code full OUT} trains without interruption; {@code killable DIR OUT} checkpoints
     * into DIR and, from epoch 2 on, slows its steps and prints them so the parent can kill it
     * mid-epoch; {@code resume DIR OUT} continues from DIR's checkpoint. Metrics go to OUT.
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Fit fit = fit();
        int[] firstEpoch = {0};
        Callback watch = new Callback() {
            @Override
            public Decision afterStep(Run run, Map<String, Double> values) {
                if (firstEpoch[0] == 0) firstEpoch[0] = run.epoch();
                if (mode.equals("killable") && run.epoch() >= 2) {
                    System.out.println("epoch " + run.epoch() + " step " + run.stepInEpoch());
                    System.out.flush();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Decision.CONTINUE;
            }
        };
        fit.callbacks(watch);
        if (!mode.equals("full")) fit.checkpoints(Path.of(args[1]));
        if (mode.equals("resume")) fit.resume();
        try (TrainedModel m = fit.run()) {
            Files.writeString(Path.of(args[args.length - 1]), "first trained epoch " + firstEpoch[0] + "\n" + metrics(m.metrics()));
        }
    }

    /** The loss and accuracy columns at full precision, one line per epoch. */
    static String metrics(Table t) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < t.rowCount(); i++) {
            s.append("epoch ").append(t.intColumn("epoch").get(i));
            for (String c : List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy")) {
                s.append(' ').append(c).append('=').append(t.doubleColumn(c).get(i));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aRunKilledMidEpochAndResumedEndsWithTheMetricsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.txt");
        DeterminismTest.runChild(dir.resolve("full.log"), TrainingLoopTest.class, List.of("full", full.toString()), null);

        Path checkpoints = dir.resolve("checkpoints");
        Path log = dir.resolve("killable.log");
        Process child = start(log, List.of("killable", checkpoints.toString(), dir.resolve("never.txt").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_DEADLINE_S);
        try {
            while (!Files.readString(log).contains("epoch 2 step 3\n")) {
                if (!child.isAlive()) fail("the child ended before it could be killed:\n" + Files.readString(log));
                if (System.nanoTime() > deadline) fail("the child did not reach epoch 2, step 3 in " + CHILD_DEADLINE_S + " s:\n" + Files.readString(log));
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();   // SIGKILL: no shutdown hooks, no cleanup, as a crash
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
        }
        assertFalse(Files.readString(log).contains("epoch 3 step"), "killed in epoch 2:\n" + Files.readString(log));
        assertFalse(Files.exists(dir.resolve("never.txt")), "the killed run never finished");
        Path ckpt = checkpoints.resolve("resumable.resume");
        assertTrue(Files.isRegularFile(ckpt), "the epoch-1 checkpoint exists");
        try (var files = Files.list(checkpoints)) {
            assertEquals(List.of("resumable.resume"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left behind");
        }

        Path resumed = dir.resolve("resumed.txt");
        DeterminismTest.runChild(dir.resolve("resume.log"), TrainingLoopTest.class, List.of("resume", checkpoints.toString(), resumed.toString()), null);
        String a = Files.readString(full);
        String b = Files.readString(resumed);
        assertTrue(b.startsWith("first trained epoch 2\n"), "the resumed run starts at epoch 2:\n" + b);
        assertEquals(a.substring(a.indexOf('\n') + 1), b.substring(b.indexOf('\n') + 1),
                "same losses and accuracies, every epoch, as the uninterrupted run");
        assertEquals(EPOCHS, b.lines().filter(l -> l.startsWith("epoch ")).count());
    }

    private static Process start(Path log, List<String> args) throws IOException {
        Files.writeString(log, "");
        return new ProcessBuilder(DeterminismTest.childCommand(TrainingLoopTest.class, args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }


    @Test
    void resumingInProcessContinuesAndRefusesAnotherSetting(@TempDir Path dir) throws Exception {
        try (TrainedModel m = fit().epochs(2).checkpoints(dir).run()) {
            assertEquals(2, m.metrics().rowCount());
        }
        String msg = assertThrows(NetbookException.class, () -> fit().seed(12).checkpoints(dir).resume().run()).getMessage();
        assertTrue(msg.matches("checkpoint .*resumable\\.resume was written by a run with seed = 11, this run has 12; "
                + "resume with the same settings or delete the checkpoint"), msg);
        Files.write(dir.resolve("resumable.resume"), new byte[] {80, 75, 3, 4, 1, 2, 3});
        msg = assertThrows(NetbookException.class, () -> fit().checkpoints(dir).resume().run()).getMessage();
        assertTrue(msg.contains("resumable.resume") && msg.contains("delete it to start over"), msg);
        msg = assertThrows(NetbookException.class, () -> fit().resume().run()).getMessage();
        assertEquals("Fit.resume: say where the checkpoints are with .checkpoints(dir)", msg);
    }

    @Test
    void reduceOnPlateauScalesTheRateAfterPatienceEpochsWithoutImprovement() {
        ReduceOnPlateau r = ReduceOnPlateau.on("val_loss").factor(0.5).patience(2).minRate(0.2);
        FitTest.FakeRun run = new FitTest.FakeRun();
        double[] losses = {1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.94, 0.96, 0.97};
        List<Double> rates = new ArrayList<>();
        for (double l : losses) {
            Map<String, Object> row = new HashMap<>(Map.of("val_loss", l));
            r.afterEpoch(run, row);
            rates.add((Double) row.get("lr"));
        }
        // best 0.9 at epoch 2; epochs 3 and 4 stale -> 0.5; 5, 6 stale -> 0.25; 7, 8 stale -> 0.2 (the floor); 9 stale once.
        assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2), rates);
        assertEquals(3, r.reductions());
        String msg = assertThrows(NetbookException.class, () -> ReduceOnPlateau.on("val_loss").factor(1.5)).getMessage();
        assertEquals("ReduceOnPlateau.factor: must be in (0, 1), received 1.5", msg);
    }

    @Test
    void reduceOnPlateauLowersTheOptimisersRateInsideFit() {
        // A metric that never improves after epoch 1: with patience 1 the rate halves after every later epoch.
        EvaluateEvery flat = EvaluateEvery.epochs(1, run -> Map.of("flat", 1.0));
        ReduceOnPlateau reduce = ReduceOnPlateau.on("flat").factor(0.5).patience(1);
        try (TrainedModel m = fit().callbacks(flat, reduce).run()) {
            List<Double> lr = m.metrics().doubleColumn("lr").asList();
            double[] expected = {3e-3, 1.5e-3, 7.5e-4, 3.75e-4};
            assertEquals(expected.length, lr.size());
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], lr.get(i), 1e-15, "epoch " + (i + 1) + ": " + lr);
            assertEquals(3, reduce.reductions());
        }
    }

    @Test
    void theOptimiserUsesTheScaledRate() {
        try (TrainedModel a = fit().epochs(2).run();
             TrainedModel b = fit().epochs(2).callbacks(new Callback() {
                 @Override
                 public void beforeTraining(Run run) {
                     run.scaleLearningRate(0.5);
                 }
             }).run();
             TrainedModel c = fit().epochs(2).optimizer(Optimizers.adam(1.5e-3)).run()) {
            assertFalse(a.metrics().doubleColumn("train_loss").get(1).equals(b.metrics().doubleColumn("train_loss").get(1)));
            assertEquals(c.metrics().doubleColumn("train_loss").asList(), b.metrics().doubleColumn("train_loss").asList(),
                    "half of 3e-3 from the start is the same run as 1.5e-3");
        }
    }

    @Test
    void evaluationsRunEveryNStepsAndEveryNEpochs() {
        List<Long> seenSteps = new ArrayList<>();
        EvaluateEvery bySteps = EvaluateEvery.steps(5, run -> {
            seenSteps.add(run.step());
            return Map.of("probe", (double) run.step());
        });
        EvaluateEvery byEpochs = EvaluateEvery.epochs(2, run -> Map.of("probe_epoch", run.epoch() * 10));
        try (TrainedModel m = fit().epochs(3).callbacks(bySteps, byEpochs).run()) {
            // 512 / 32 = 16 steps per epoch, 48 in all: evaluations after steps 5, 10, ..., 45.
            assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L), seenSteps);
            assertEquals(9, bySteps.table().rowCount());
            assertEquals(5.0 / 16, bySteps.table().doubleColumn("epochs_done").get(0), 1e-12);
            Table t = m.metrics();
            assertEquals(List.of(0, 2), byEpochs.table().intColumn("epoch").asList(), "a baseline before training, then every 2 epochs");
            assertTrue(t.doubleColumn("probe_epoch").isMissing(0));
            assertEquals(20.0, t.doubleColumn("probe_epoch").get(1));
            assertTrue(t.doubleColumn("probe_epoch").isMissing(2));
        }
    }

    @Test
    void earlyStoppingCanWatchAnEvaluationMadeEveryFewEpochs() {
        double[] fake = {0.5, 0.4, 0.6, 0.7, 0.8, 0.9};
        EvaluateEvery eval = EvaluateEvery.epochs(2, run -> Map.of("score", run.epoch() == 0 ? 1.0 : fake[run.epoch() / 2 - 1]));
        EarlyStopping stop = EarlyStopping.on("score").minimize().patience(2);
        try (TrainedModel m = fit().epochs(12).callbacks(eval, stop).run()) {
            // measured at epochs 2 (0.5), 4 (0.4, best), 6 (0.6), 8 (0.7): two measurements without improvement.
            assertEquals(8, m.metrics().rowCount());
            assertEquals(4, stop.bestEpoch());
        }
    }

    @Test
    void frozenBlocksKeepTheirWeightsAndTheTableSaysSo() {
        Net net = Net.input(8).named("freezable").add(linear(16).named("body"), relu(), linear(4).named("head"));
        float[][] before = new float[2][];
        Callback record = new Callback() {
            @Override
            public void beforeTraining(Run run) {
                before[0] = run.model().getBlock().getParameters().get("body_weight").getArray().toFloatArray();
                before[1] = run.model().getBlock().getParameters().get("head_weight").getArray().toFloatArray();
            }
        };
        try (TrainedModel m = Fit.of(net, data(256, 1)).epochs(2).batchSize(32).freeze("body").callbacks(record)
                .progress(Progress.none()).run()) {
            var params = m.djlModel().getBlock().getParameters();
            org.junit.jupiter.api.Assertions.assertArrayEquals(before[0], params.get("body_weight").getArray().toFloatArray(), "frozen");
            assertFalse(java.util.Arrays.equals(before[1], params.get("head_weight").getArray().toFloatArray()), "trained");
            Table t = m.parameters();
            assertEquals(List.of("frozen", "frozen", "yes", "yes"), t.stringColumn("trained").asList());
            assertEquals(List.of("body.weight", "body.bias", "head.weight", "head.bias"), t.stringColumn("path").asList());
            assertEquals(List.of(false, false, true), m.summary().table().booleanColumn("trained").asList());
            assertEquals(4 * 16 + 4, m.summary().trainableParams());
            assertTrue(m.summary().toString().contains("frozen by freeze(body) 144"), m.summary().toString());
        }
        String msg = assertThrows(NetbookException.class, () -> Fit.of(net, data(64, 1)).freeze("stage1").progress(Progress.none()).run()).getMessage();
        assertEquals("Fit.freeze: freezable has no block 'stage1' with parameters; top-level blocks with parameters are [body, head]", msg);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
