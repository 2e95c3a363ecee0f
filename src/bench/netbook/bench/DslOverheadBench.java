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
import java.util.Arrays;
import java.util.List;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.internal.djl.Compiler;
import netbook.zoo.ResNet;

/**
 * Training images/s of the DSL-built ResNet-18 (1x28x28 form) against the same network written
 * in plain DJL, on the same Fashion-MNIST batches, SGD momentum 0.9, interleaved A B A B in one
 * process; medians and their ratio. Both sides run the identical DJL training step.
 */
final class DslOverheadBench {
    private DslOverheadBench() {}

    record Result(double dslImagesPerS, double plainImagesPerS, long dslParams, long plainParams) {
        double ratio() { return dslImagesPerS / plainImagesPerS; }
    }

    static Result run(int[] widths, int batch, int stepsPerRound, int rounds) {
        Net net = ResNet.of(18).input(1, 28, 28).smallInput().widths(widths).classes(10).build();
        ArrayDataset data = FashionMnist.train().head(batch * stepsPerRound);
        try (Side dsl = new Side(Compiler.compile(net), batch);
             Side plain = new Side(PlainDjlResNet.build(widths, 10), batch)) {
            dsl.steps(data, 2); // warm-up: first steps allocate and check gradients
            plain.steps(data, 2);
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                a.add(dsl.steps(data, stepsPerRound));
                b.add(plain.steps(data, stepsPerRound));
                System.err.printf("  round %d/%d: dsl %.1f img/s, plain DJL %.1f img/s%n", r + 1, rounds, a.get(r), b.get(r));
            }
            return new Result(median(a), median(b), dsl.params(), plain.params());
        }
    }

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

    static String describe(int[] widths) {
        return Arrays.toString(widths);
    }
}
