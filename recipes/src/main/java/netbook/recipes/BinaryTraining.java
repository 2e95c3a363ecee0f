package netbook.recipes;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import netbook.data.ArrayDataset;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.loss.MarginLoss;
import netbook.train.Callback;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainedModel;

/**
 * Trains a one-output network on a two-class data set (labels 0 and 1, read by the margin loss as
 * -1 and +1) with Adam through {@link Fit}, scoring the test set several times in the first epoch
 * and after every later one from a callback of the training loop (arg-max accuracy means nothing
 * for a single output, so Fit's own accuracy is off).
 * <pre>BinaryTraining.Result r = BinaryTraining.run(net, l1Hinge(), train, test, 5, 10, 64, 1e-3, 42);</pre>
 */
final class BinaryTraining {
    private static final int EVAL_BATCH = 1000;

    private BinaryTraining() {}

    /**
     * @param epochs       when the test set was scored, in epochs (0.1 = a tenth of the first epoch)
     * @param scores       f(x) of every test example at each of those times: [checkpoint][example]
     * @param trainSeconds time spent training, scoring excluded
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
        List<Double> at = new ArrayList<>();
        List<float[]> scores = new ArrayList<>();
        long[] scoringNanos = {0};
        Callback probe = new Callback() {
            private int checked;

            @Override
            public Decision afterStep(Run run, Map<String, Double> values) {
                int checks = run.epoch() == 1 ? firstEpochChecks : 1;
                if (run.stepInEpoch() == 1) checked = 0;
                int due = (int) ((long) run.stepInEpoch() * checks / run.stepsPerEpoch());
                if (due > checked) {   // a check point passed
                    checked = due;
                    long t0 = System.nanoTime();
                    at.add(run.epoch() - 1 + (double) run.stepInEpoch() / run.stepsPerEpoch());
                    scores.add(scores(run.model(), test));
                    scoringNanos[0] += System.nanoTime() - t0;
                }
                return Decision.CONTINUE;
            }
        };
        long t0 = System.nanoTime();
        // The same seed gives every loss the same initial weights and batches.
        try (TrainedModel m = Fit.of(net, train).loss(loss.toDjl()).accuracy(false).optimizer(Optimizers.adam(lr))
                .epochs(epochs).batchSize(batchSize).seed(seed).progress(Progress.none()).callbacks(probe).run()) {
            double seconds = (System.nanoTime() - t0 - scoringNanos[0]) / 1e9;
            return new Result(at.stream().mapToDouble(Double::doubleValue).toArray(), scores.toArray(float[][]::new), seconds);
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

    /** The labels of every example as -1 / +1. */
    static double[] signs(ArrayDataset data) {
        double[] y = new double[data.size()];
        Arrays.setAll(y, i -> data.label(i) == 0 ? -1 : 1);
        return y;
    }
}
