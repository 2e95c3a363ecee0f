package netbook.train;

import static netbook.dsl.Layers.*;
import static netbook.engine.Blocks.lambda;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class FitTest {
    @TempDir Path dir;

    static Net smallCnn() {
        return Net.input(1, 28, 28).named("small-cnn").add(
                conv(32, 3).padding(1), batchNorm(), relu(), maxPool(2),
                conv(64, 3).padding(1), batchNorm(), relu(), maxPool(2),
                flatten(), linear(10));
    }

    @Test
    void aSmallCnnReaches88PercentOnFashionMnistInOneEpoch() {
        try (TrainedModel m = Fit.of(smallCnn(), FashionMnist.train()).validation(FashionMnist.test())
                .optimizer(Optimizers.adam(3e-3).schedule(Schedule.cosine())).epochs(1).batchSize(128).seed(1).progress(Progress.none()).run()) {
            Table t = m.metrics();
            assertEquals(List.of("epoch", "steps", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "examples_per_s", "wall_s"),
                    t.columnNames());
            assertEquals(1, t.rowCount());
            double acc = t.doubleColumn("val_accuracy").get(0);
            assertTrue(acc >= 0.88, "test accuracy " + acc);
            assertEquals(acc, m.evaluate(FashionMnist.test()).doubleColumn("accuracy").get(0), 1e-9);
        }
    }

    @Test
    void aCallbackPredictsWithTheNetworkAsItStandsAfterTheEpoch() {
        ArrayDataset data = FashionMnist.test().head(256);
        ArrayDataset probe = data.head(6);
        float[][][] seen = new float[1][][];
        String[] wrongShape = new String[1];
        Callback look = new Callback() {
            @Override
            public Decision afterEpoch(Run run, java.util.Map<String, Object> metrics) {
                seen[0] = run.predict(probe);
                // Examples of another shape (32x32): Netbook's error naming the data, not the engine's trace.
                wrongShape[0] = assertThrows(NetbookException.class, () -> run.predict(probe.padded(2))).getMessage();
                return Decision.CONTINUE;
            }
        };
        try (TrainedModel m = Fit.of(smallCnn(), data).epochs(1).batchSize(32).seed(5).progress(Progress.none()).callbacks(look).run()) {
            float[][] after = m.predict(probe);
            assertEquals(6, seen[0].length);
            // The last epoch's parameters are the trained model's, and inference reads them the same way.
            for (int i = 0; i < 6; i++) assertArrayEquals(after[i], seen[0][i], 0f);
            // Inference mode: the batch norms' running statistics, not the probe's own, so a single example predicts the same.
            float[][] one = m.predict(probe.head(1));
            assertArrayEquals(after[0], one[0], 1e-5f);
        }
        assertTrue(wrongShape[0].contains(probe.padded(2).name()) && wrongShape[0].contains("(N, 1, 32, 32)"), wrongShape[0]);
    }

    @Test
    void savedModelsLoadToTheSamePredictionsAndSpec() throws Exception {
        ArrayDataset data = FashionMnist.test().head(256);
        Path file = dir.resolve("cnn.netbook");
        try (TrainedModel m = Fit.of(smallCnn(), data).epochs(1).batchSize(32).progress(Progress.none()).run()) {
            m.save(file);
            float[][] before = m.predict(data.head(5));
            try (TrainedModel back = TrainedModel.load(file)) {
                assertEquals(m.net().body(), back.net().body());
                float[][] after = back.predict(data.head(5));
                for (int i = 0; i < 5; i++) assertArrayEquals(before[i], after[i], 1e-5f);
                assertEquals(m.stamp(), back.stamp());
                // the stamp names the CPU and the PyTorch threads that trained, and keeps them in the checkpoint
                assertEquals(netbook.env.Env.cpuModel(), back.stamp().cpu());
                assertTrue(back.stamp().threads() >= 1, back.stamp().toString());
                assertEquals(1, back.metrics().rowCount());
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("cnn.netbook"), files.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
        }
    }

    @Test
    void aTruncatedCheckpointIsReportedNotLoaded() throws Exception {
        ArrayDataset data = FashionMnist.test().head(64);
        Path file = dir.resolve("m.netbook");
        try (TrainedModel m = Fit.of(smallCnn(), data).batchSize(32).progress(Progress.none()).run()) {
            m.save(file);
        }
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        String msg = assertThrows(NetbookException.class, () -> TrainedModel.load(file)).getMessage();
        assertTrue(msg.startsWith("checkpoint " + file), msg);
    }

    @Test
    void aDivergingRunStopsWithTheEpochAndStep() {
        float[] x = new float[64 * 4];
        x[17 * 4] = Float.NaN; // one broken example, in the second shuffled batch or elsewhere
        ArrayDataset bad = new ArrayDataset("broken", x, Shape.of(4), new int[64], 2, null);
        Net net = Net.input(4).add(linear(2));
        String msg = assertThrows(NetbookException.class, () -> Fit.of(net, bad).batchSize(16)
                .progress(Progress.none()).run()).getMessage();
        assertTrue(msg.matches("net: training diverged at epoch 1, step [1-4] \\(batch of 16\\): loss is NaN; re-running the step "
                + "with checks: the input batch itself holds 1 non-finite values; check the data\\. "
                + "Lower the learning rate \\(0\\.001\\), add clipGrad\\(\\.\\.\\.\\) or clipGradNorm\\(\\.\\.\\.\\), or check the data for NaN"), msg);
    }

    /** Four classes from the sign pattern of two of eight features: learnable, finite data. */
    private static ArrayDataset separable(int n) {
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[n * 8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) x[i * 8 + j] = (float) r.nextGaussian();
            y[i] = (x[i * 8] > 0 ? 1 : 0) + (x[i * 8 + 1] > 0 ? 2 : 0);
        }
        return new ArrayDataset("separable", x, Shape.of(8), y, 4, null);
    }

    @Test
    void earlyStoppingRestoresTheBestEpochsParameters() {
        ArrayDataset d = separable(64);
        Net net = Net.input(8).add(linear(16), relu(), linear(4));
        float[][] afterOne;
        try (TrainedModel one = Fit.of(net, d).epochs(1).batchSize(16).seed(3).progress(Progress.none()).run()) {
            afterOne = one.predict(d);
        }
        // Maximising the training loss: epoch 1 is the best and epoch 2 (lower loss) ends the run.
        EarlyStopping stop = EarlyStopping.on("train_loss").maximize().patience(1);
        try (TrainedModel m = Fit.of(net, d).epochs(6).batchSize(16).seed(3).callbacks(stop).progress(Progress.none()).run()) {
            assertEquals(2, m.metrics().rowCount(), "stops after the first epoch that does not improve");
            assertEquals(1, stop.bestEpoch());
            float[][] restored = m.predict(d);
            for (int i = 0; i < d.size(); i++) assertArrayEquals(afterOne[i], restored[i], "example " + i);
        }
    }

    @Test
    void earlyStoppingCountsPatienceAndNamesAMissingMetric() {
        EarlyStopping stop = EarlyStopping.on("val_loss").patience(2);
        int[] snapshots = {0};
        int[] epoch = {0};
        Callback.Run fake = new FakeRun() {
            @Override public int epoch() { return epoch[0]; }
            @Override public Callback.Snapshot snapshot() { snapshots[0]++; return new Callback.Snapshot() {}; }
        };
        double[] losses = {1.0, 0.8, 0.9, 0.85, 0.7};
        List<Callback.Decision> got = new java.util.ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            epoch[0] = e;
            got.add(stop.afterEpoch(fake, new java.util.HashMap<>(java.util.Map.of("val_loss", losses[e - 1]))));
        }
        assertEquals(List.of(Callback.Decision.CONTINUE, Callback.Decision.CONTINUE, Callback.Decision.CONTINUE, Callback.Decision.STOP), got);
        assertEquals(2, stop.bestEpoch());
        assertEquals(2, snapshots[0]);
        String msg = assertThrows(NetbookException.class,
                () -> EarlyStopping.on("val_loss").afterEpoch(fake, new java.util.HashMap<>(java.util.Map.of("train_loss", 1.0)))).getMessage();
        assertEquals("EarlyStopping: the epoch table has no metric 'val_loss'; it has [train_loss] (val_ metrics need .validation(data))", msg);
    }

    @Test
    void aTimeBudgetEndsTrainingAfterTheEpochThatExceedsIt() {
        try (TrainedModel m = Fit.of(Net.input(8).add(linear(4)), separable(32)).epochs(5).batchSize(16)
                .callbacks(TimeBudget.of(java.time.Duration.ofNanos(1))).progress(Progress.none()).run()) {
            assertEquals(1, m.metrics().rowCount());
        }
    }

    @Test
    void anInterruptStopsBetweenStepsAndReleasesTheRunsMemory() throws Exception {
        // Every array the engine holds, through the system manager (the parent of every base manager).
        java.util.function.IntSupplier live = () -> {
            try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
                return probe.getParentManager().getManagedArrays().size();
            }
        };
        ArrayDataset d = separable(128);
        Net net = Net.input(8).add(linear(16), relu(), linear(4));
        int before = live.getAsInt();
        java.util.concurrent.atomic.AtomicReference<Throwable> error = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Fit.of(net, d).epochs(3).batchSize(16).progress(new Progress() {
                    @Override
                    public void step(int epoch, int step, double loss) {
                        if (epoch == 2 && step == 3) Thread.currentThread().interrupt();   // as a kernel's interrupt would
                    }
                }).run().close();
            } catch (Throwable x) {
                error.set(x);
            }
        });
        t.start();
        t.join(60_000);
        assertFalse(t.isAlive(), "the interrupted fit did not stop within 60 s");
        assertTrue(error.get() instanceof TrainingInterruptedException, String.valueOf(error.get()));
        assertEquals("net: training interrupted in epoch 2 after step 3; the run's memory is released", error.get().getMessage());
        assertEquals(before, live.getAsInt(), "engine arrays alive before the fit vs after the interrupted fit");
    }

    @Test
    void confusionMatrixAndPerClassAgreeWithAccuracy() {
        ArrayDataset d = separable(64);
        try (TrainedModel m = Fit.of(Net.input(8).add(linear(16), relu(), linear(4)), d).epochs(3).batchSize(16)
                .progress(Progress.none()).run()) {
            Table c = m.confusionMatrix(d);
            long total = 0;
            long diagonal = 0;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    int n = c.intColumn("predicted " + j).getInt(i);
                    total += n;
                    if (i == j) diagonal += n;
                }
            }
            assertEquals(64, total);
            assertEquals(m.evaluate(d).doubleColumn("accuracy").get(0), diagonal / 64.0, 1e-9);
            assertEquals(64, m.perClass(d).intColumn("support").getInt(4));
        }
    }

    @Test
    void aBlockThatDividesByZeroIsNamedByItsPath() {
        Net net = Net.input(8).add(
                seq(linear(16), relu()).named("stem"),
                seq(linear(16), lambda("DivideByZero", s -> s, x -> x.div(0f)).named("broken")).named("block1"),
                linear(4));
        String msg = assertThrows(NetbookException.class, () -> Fit.of(net, separable(64)).batchSize(16)
                .progress(Progress.none()).run()).getMessage();
        assertTrue(msg.contains("step 1 (batch of 16): loss is NaN; re-running the step with checks: the forward output of "
                + "block1.broken (DivideByZero) is the first to become non-finite (256 of 256 values); its input (the output of "
                + "block1.fc1) was finite"), msg);
    }

    @Test
    void anomalyModeStopsAtTheFirstNonFiniteGradientWhileTheLossIsFinite() {
        // sqrt(x - x) is 0 forward, but its gradient is infinite and turns NaN on the way back into
        // fc1: the loss stays finite at step 1.
        Net net = Net.input(8).add(linear(16), lambda("Vanish", s -> s, x -> x.sub(x).sqrt()).named("vanish"), linear(4));
        String msg = assertThrows(NetbookException.class, () -> Fit.of(net, separable(64)).batchSize(16).detectAnomalies()
                .progress(Progress.none()).run()).getMessage();
        assertTrue(msg.contains("at epoch 1, step 1 (batch of 16): anomaly detected (loss "), msg);
        assertTrue(msg.contains("in backward, the gradient first becomes non-finite at the output of fc1 (Linear), "
                + "flowing back from vanish (Vanish), whose output gradient is finite; parameters with non-finite gradients: fc1.weight, fc1.bias"), msg);

        // Without the mode the update writes NaN into fc1; the next step's loss is NaN and the
        // re-run names the broken parameter.
        String later = assertThrows(NetbookException.class, () -> Fit.of(net, separable(64)).batchSize(16)
                .progress(Progress.none()).run()).getMessage();
        assertTrue(later.contains("step 2 (batch of 16): loss is NaN; re-running the step with checks: parameter fc1.weight "
                + "is already non-finite before this step"), later);
    }

    @Test
    void dataOfTheWrongShapeIsRejectedBeforeTraining() {
        ArrayDataset d = new ArrayDataset("vectors", new float[12], Shape.of(3), new int[4], 2, null);
        assertEquals("Fit.of: small-cnn takes examples of (N, 1, 28, 28) but vectors has examples of (N, 3)",
                assertThrows(NetbookException.class, () -> Fit.of(smallCnn(), d)).getMessage());
    }

    @Test
    void auxiliaryHeadsTrainWithTheirWeights() {
        Net net = Net.input(1, 28, 28).add(conv(8, 3).stride(2), relu(), aux(0.3, flatten(), linear(10)), flatten(), linear(10));
        try (TrainedModel m = Fit.of(net, FashionMnist.test().head(512)).epochs(2).batchSize(64).progress(Progress.none()).run()) {
            Table t = m.metrics();
            assertTrue(t.doubleColumn("train_loss").get(1) < t.doubleColumn("train_loss").get(0));
            assertEquals(10, m.predict(FashionMnist.test().head(3))[0].length);
        }
    }

    @Test
    void sameSeedSameMetrics() {
        ArrayDataset d = FashionMnist.test().head(256);
        double a;
        double b;
        try (TrainedModel m = Fit.of(smallCnn(), d).seed(3).batchSize(32).progress(Progress.none()).run()) {
            a = m.metrics().doubleColumn("train_loss").get(0);
        }
        try (TrainedModel m = Fit.of(smallCnn(), d).seed(3).batchSize(32).progress(Progress.none()).run()) {
            b = m.metrics().doubleColumn("train_loss").get(0);
        }
        assertEquals(a, b, 1e-6);
        assertFalse(Double.isNaN(a));
    }

    @Test
    void noArraysAccumulateAcrossEpochs() {
        Net net = Net.input(1, 28, 28).add(
                conv(4, 3).stride(2).padding(1), batchNorm(), relu(), lrn(3),
                residual(conv(4, 3).padding(1), batchNorm()).scale(0.5),
                branches(conv(2, 1), seq(conv(2, 1), conv(2, 3).padding(1))),
                convTranspose(2, 2).stride(2), aux(0.3, globalAvgPool(), linear(10)),
                maxPool(2), flatten(), linear(10));
        ArrayDataset d = FashionMnist.test().head(128);
        int[] counts = new int[2];
        int[] epochs = {1, 4};
        for (int i = 0; i < 2; i++) {
            try (TrainedModel m = Fit.of(net, d).validation(d).epochs(epochs[i]).batchSize(32).progress(Progress.none()).run()) {
                counts[i] = m.djlModel().getNDManager().getManagedArrays().size();
            }
        }
        assertEquals(counts[0], counts[1], "arrays held after 1 epoch vs after 4 epochs");
    }

    @Test
    void everyStepTrainsOnItsOwnExamplesThoughTheBatchMemoryIsReused() {
        // The batch arrays are reused step after step and the next batch is read while a step
        // computes. With a learning rate too small to move a float32 weight the network stays as
        // it was, so the epoch's training loss (shuffled batches, the next one prefetched, a last
        // batch of 8) must equal the validation loss on the same 520 images (in order, batches of
        // 64): a step that saw another step's images, or a half-refilled batch, would move it.
        ArrayDataset d = FashionMnist.test().head(520);
        Net net = Net.input(1, 28, 28).named("still").add(conv(8, 3), relu(), maxPool(2), flatten(), linear(10));
        try (TrainedModel m = Fit.of(net, d).validation(d).optimizer(Optimizers.sgd(1e-30)).epochs(2).batchSize(64).seed(3)
                .progress(Progress.none()).run()) {
            Table t = m.metrics();
            for (int e = 0; e < 2; e++) {
                double train = t.doubleColumn("train_loss").get(e);
                double val = t.doubleColumn("val_loss").get(e);
                assertEquals(val, train, 1e-5 * val, "epoch " + (e + 1) + ": training loss over the shuffled batches against validation");
                assertEquals(t.doubleColumn("val_accuracy").get(e), t.doubleColumn("train_accuracy").get(e), 1e-9, "epoch " + (e + 1));
            }
            double untrained = t.doubleColumn("val_loss").get(0);
            assertEquals(untrained, t.doubleColumn("val_loss").get(1), 1e-7 * untrained, "the weights did not move");
        }
    }

    /** A run for driving callbacks by hand: epoch 1, step 1 of 1, learning rate 1. */
    static class FakeRun implements Callback.Run {
        double rate = 1;
        @Override public String name() { return "fake"; }
        @Override public int epoch() { return 1; }
        @Override public int stepInEpoch() { return 1; }
        @Override public int stepsPerEpoch() { return 1; }
        @Override public long step() { return 1; }
        @Override public ai.djl.Model model() { return null; }
        @Override public double learningRate() { return rate; }
        @Override public void scaleLearningRate(double factor) { rate *= factor; }
        @Override public Callback.Snapshot snapshot() { return new Callback.Snapshot() {}; }
        @Override public void restore(Callback.Snapshot s) {}
    }
}
