package netbook.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import netbook.data.ArrayDataset;
import netbook.train.InPlaceOptimizer;
import netbook.train.Optimizers;

/**
 * One side of a training-throughput comparison: a DJL block trained with SGD momentum 0.9 (lr
 * 0.01) on Fashion-MNIST batches, updated either by Netbook's runtime ({@link InPlaceOptimizer},
 * what {@code Fit} uses) or by DJL's stock {@code Trainer.step()}.
 */
final class Throughput {
    private Throughput() {}

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** How the parameters are updated after backward. */
    enum Update { NETBOOK, DJL }

    /** One model with its trainer; {@link #steps} trains and returns images per second. */
    static final class Side implements AutoCloseable {
        final Model model;
        final Trainer trainer;
        final int batch;
        final Shape image;
        private final InPlaceOptimizer inPlace;
        /** Seconds of forward+loss, backward and update of each step of the last {@link #steps} call. */
        final List<double[]> lastSplit = new ArrayList<>();

        Side(Block block, Shape image, Loss loss, int batch, Update update) {
            Engine.getInstance().setRandomSeed(1);
            this.batch = batch;
            this.image = image;
            model = Model.newInstance("bench", Device.cpu());
            model.setBlock(block);
            trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build())
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(new Shape(batch).addAll(image));
            inPlace = update == Update.NETBOOK
                    ? InPlaceOptimizer.of(Optimizers.sgd(0.01).momentum(0.9), block.getParameters(), model.getNDManager(), 1, Integer.MAX_VALUE)
                    : null;
        }

        long params() {
            long n = 0;
            for (var p : model.getBlock().getParameters()) {
                if (p.getValue().requiresGradient()) n += p.getValue().getArray().size();
            }
            return n;
        }

        double steps(ArrayDataset data, int steps) {
            lastSplit.clear();
            int size = (int) image.size();
            float[] buf = new float[batch * size];
            float[] y = new float[batch];
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                int off = (s * batch) % (data.size() - batch + 1);
                for (int i = 0; i < batch; i++) {
                    data.copyFeatures(off + i, buf, i * size);
                    y[i] = data.label(off + i);
                }
                try (NDManager m = trainer.getManager().newSubManager()) {
                    long a = System.nanoTime();
                    NDArray x = m.create(buf, new Shape(batch).addAll(image));
                    long b;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList p = trainer.forward(new NDList(x));
                        NDArray l = trainer.getLoss().evaluate(new NDList(m.create(y)), p);
                        b = System.nanoTime();
                        gc.backward(l);
                    }
                    long c = System.nanoTime();
                    if (inPlace != null) inPlace.step(); else trainer.step();
                    long d = System.nanoTime();
                    lastSplit.add(new double[] {(b - a) / 1e9, (c - b) / 1e9, (d - c) / 1e9});
                }
            }
            return (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
        }

        /** Median seconds of part {@code k} (0 forward+loss, 1 backward, 2 update) over the last call's steps. */
        double splitMedian(int k) {
            return median(lastSplit.stream().map(s -> s[k]).toList());
        }

        @Override
        public void close() {
            if (inPlace != null) inPlace.close();
            trainer.close();
            model.close();
        }
    }
}
