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
import java.util.List;
import netbook.data.ArrayDataset;

/**
 * One side of a training-throughput comparison: a DJL block (the DSL-compiled ResNet-18 or the
 * same network written by hand in plain DJL) trained with SGD momentum 0.9 on Fashion-MNIST
 * batches. Both sides run the identical DJL training step, so the ratio isolates the DSL.
 */
final class Throughput {
    private Throughput() {}

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One model with its trainer; {@link #steps} trains and returns images per second. */
    static final class Side implements AutoCloseable {
        final Model model;
        final Trainer trainer;
        final int batch;

        Side(Block block, int batch) {
            Engine.getInstance().setRandomSeed(1);
            this.batch = batch;
            model = Model.newInstance("bench", Device.cpu());
            model.setBlock(block);
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build())
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(new Shape(batch, 1, 28, 28));
        }

        long params() {
            long n = 0;
            for (var p : model.getBlock().getParameters()) {
                if (p.getValue().requiresGradient()) n += p.getValue().getArray().size();
            }
            return n;
        }

        double steps(ArrayDataset data, int steps) {
            long t0 = System.nanoTime();
            float[] buf = new float[batch * 784];
            float[] y = new float[batch];
            for (int s = 0; s < steps; s++) {
                int off = (s * batch) % (data.size() - batch + 1);
                for (int i = 0; i < batch; i++) {
                    data.copyFeatures(off + i, buf, i * 784);
                    y[i] = data.label(off + i);
                }
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDArray x = m.create(buf, new Shape(batch, 1, 28, 28));
                    NDArray l;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList p = trainer.forward(new NDList(x));
                        l = trainer.getLoss().evaluate(new NDList(m.create(y)), p);
                        gc.backward(l);
                    }
                    trainer.step();
                }
            }
            return (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

}
