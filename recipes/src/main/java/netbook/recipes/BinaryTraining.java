package netbook.recipes;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netbook.data.ArrayDataset;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.internal.djl.Compiler;
import netbook.loss.MarginLoss;

/**
 * Trains a one-output network on a two-class data set (labels 0 and 1, read by the margin loss as
 * -1 and +1) with Adam, scoring the test set several times in the first epoch and after every
 * later one. A small loop of its own because
 * {@code Fit} reports arg-max accuracy, which means nothing for a single output, and has no
 * hook to score the test set during training.
 * <pre>BinaryTraining.Result r = BinaryTraining.run(net, l1Hinge(), train, test, 5, 10, 64, 1e-3, 42);</pre>
 */
final class BinaryTraining {
    private static final int EVAL_BATCH = 1000;

    private BinaryTraining() {}

    /**
     * @param epochs       when the test set was scored, in epochs (0.1 = a tenth of the first epoch)
     * @param scores       f(x) of every test example at each of those times: [checkpoint][example]
     * @param trainSeconds time spent in training steps, scoring excluded
     */
    record Result(double[] epochs, float[][] scores, double trainSeconds) {
        float[] finalScores() {
            return scores[scores.length - 1];
        }
    }

    /**
     * Trains for {@code epochs} epochs, scoring the test set {@code firstEpochChecks} times during the
     * first epoch (where most of the learning happens) and at the end of every later one.
     */
    static Result run(Net net, MarginLoss loss, ArrayDataset train, ArrayDataset test, int epochs, int firstEpochChecks,
            int batchSize, double lr, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);   // same initial weights for every loss
        try (Model model = Model.newInstance(net.name())) {
            model.setBlock(Compiler.compile(net));
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss.toDjl())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build())
                    .optDevices(new ai.djl.Device[] {model.getNDManager().getDevice()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(net.inputShape().withBatch(batchSize)));
                List<Double> at = new ArrayList<>();
                List<float[]> scores = new ArrayList<>();
                long trainNanos = 0;
                for (int e = 1; e <= epochs; e++) {
                    List<int[]> batches = Batches.of(train.size(), batchSize, true, seed, e);
                    int checks = e == 1 ? firstEpochChecks : 1;
                    int checked = 0;
                    for (int step = 1; step <= batches.size(); step++) {
                        long t0 = System.nanoTime();
                        step(trainer, train, batches.get(step - 1), loss, e, step);
                        trainNanos += System.nanoTime() - t0;
                        if ((long) step * checks / batches.size() > checked) {   // a check point passed
                            checked = (int) ((long) step * checks / batches.size());
                            at.add(e - 1 + (double) step / batches.size());
                            scores.add(scores(model, test));
                        }
                    }
                }
                return new Result(at.stream().mapToDouble(Double::doubleValue).toArray(),
                        scores.toArray(float[][]::new), trainNanos / 1e9);
            }
        }
    }

    /** One Adam update on one batch. */
    private static void step(Trainer trainer, ArrayDataset data, int[] batch, MarginLoss loss, int epoch, int step) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = features(m, data, batch);
            NDArray y = m.create(labels(data, batch));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList f = trainer.forward(new NDList(x));
                NDArray value = trainer.getLoss().evaluate(new NDList(y), f);
                float v = value.getFloat();
                if (!Float.isFinite(v)) {
                    throw new NetbookException(loss.name() + ": training diverged: loss is " + v + " at epoch "
                            + epoch + ", step " + step + ". Lower the learning rate");
                }
                collector.backward(value);
            }
            trainer.step();
        }
    }

    /** f(x) of every example, in inference mode. */
    static float[] scores(Model model, ArrayDataset data) {
        float[] out = new float[data.size()];
        int at = 0;
        for (int[] batch : Batches.of(data.size(), EVAL_BATCH, false, 0, 0)) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList f = model.getBlock().forward(new ParameterStore(m, false), new NDList(features(m, data, batch)), false);
                float[] values = f.head().toFloatArray();
                System.arraycopy(values, 0, out, at, values.length);
                at += values.length;
            }
        }
        return out;
    }

    private static NDArray features(NDManager m, ArrayDataset data, int[] batch) {
        int n = (int) data.shape().size();
        float[] buf = new float[batch.length * n];
        for (int i = 0; i < batch.length; i++) {
            data.copyFeatures(batch[i], buf, i * n);
        }
        return m.create(buf, new Shape(data.shape().withBatch(batch.length)));
    }

    /** The labels 0 and 1 as floats; the margin loss reads 0 as -1. */
    static float[] labels(ArrayDataset data, int[] batch) {
        float[] y = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
            y[i] = data.label(batch[i]);
        }
        return y;
    }

    /** The labels of every example as -1 / +1. */
    static double[] signs(ArrayDataset data) {
        double[] y = new double[data.size()];
        Arrays.setAll(y, i -> data.label(i) == 0 ? -1 : 1);
        return y;
    }
}
