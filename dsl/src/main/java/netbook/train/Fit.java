package netbook.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netbook.data.ArrayDataset;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.spec.AuxHead;
import netbook.internal.djl.Compiler;
import netbook.internal.djl.Trace;
import netbook.loss.Losses;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Trains a network: fluent settings, then {@link #run()}. Classification by default (softmax
 * cross-entropy, accuracy); auxiliary heads add their weighted losses automatically.
 * <pre>
 * TrainedModel m = Fit.of(net, FashionMnist.train())
 *     .validation(FashionMnist.test())
 *     .optimizer(Optimizers.adam(1e-3)).epochs(1).batchSize(128).seed(42)
 *     .run();
 * m.metrics();   // one row per epoch: loss, accuracy, examples/s, wall time
 * </pre>
 */
public final class Fit {
    private final Net net;
    private final ArrayDataset train;
    private ArrayDataset validation;
    private OptimizerSpec optimizer = Optimizers.adam(1e-3);
    private Loss loss;
    private boolean accuracy = true;
    private int epochs = 1;
    private int batchSize = 64;
    private long seed = 42;
    private Device[] devices;
    private Progress progress;
    private boolean detectAnomalies;
    private List<Callback> callbacks = List.of();

    private Fit(Net net, ArrayDataset train) {
        this.net = net;
        this.train = train;
    }

    public static Fit of(Net net, ArrayDataset train) {
        if (net == null) throw new NetbookException("Fit.of: the network is null");
        if (train == null) throw new NetbookException("Fit.of: the training data is null");
        if (!train.shape().equals(net.inputShape())) {
            throw new NetbookException("Fit.of: " + net.name() + " takes examples of " + net.inputShape() + " but "
                    + train.name() + " has examples of " + train.shape());
        }
        return new Fit(net, train);
    }

    public Fit validation(ArrayDataset v) { this.validation = v; return this; }
    public Fit optimizer(OptimizerSpec o) { this.optimizer = o; return this; }
    /** The loss of the main output (auxiliary heads reuse it with their weights). */
    public Fit loss(Loss l) { this.loss = l; return this; }
    /** Report accuracy (argmax of the main output against integer labels); on by default. */
    public Fit accuracy(boolean on) { this.accuracy = on; return this; }
    public Fit epochs(int n) { if (n <= 0) throw new NetbookException("epochs must be positive, received " + n); this.epochs = n; return this; }
    public Fit batchSize(int n) { if (n <= 0) throw new NetbookException("batch size must be positive, received " + n); this.batchSize = n; return this; }
    public Fit seed(long s) { this.seed = s; return this; }
    /** Devices to train on, data-parallel; default every GPU the engine reports, else the CPU. */
    public Fit devices(Device... d) { this.devices = d; return this; }
    public Fit progress(Progress p) { this.progress = p; return this; }
    /**
     * Checks every step (slower; for debugging): training stops at the first step where a block's
     * output or the gradient flowing into it is non-finite, even while the loss is still finite, and
     * the error names the block. Without it, the same search runs only once the loss is non-finite.
     */
    public Fit detectAnomalies() { this.detectAnomalies = true; return this; }
    /** Asked after every epoch whether to go on: {@link EarlyStopping}, {@link TimeBudget}, your own {@link Callback}. */
    public Fit callbacks(Callback... c) { this.callbacks = List.of(c); return this; }

    /** Trains, then returns the model with its per-epoch metrics table. */
    public TrainedModel run() {
        Device[] devs = devices != null && devices.length > 0 ? devices : Env.devices();
        if (devs.length > 1 && optimizer.clipGradNorm() > 0) {
            throw new NetbookException("Fit: clipGradNorm is applied by Netbook's single-device update; DJL's optimiser on "
                    + devs.length + " devices has no global-norm clipping (use clipGrad, or one device)");
        }
        Progress prog = progress != null ? progress : Progress.current();
        Engine.getInstance().setRandomSeed((int) seed);
        List<Double> auxWeights = net.auxHeads().stream().map(AuxHead::lossWeight).toList();
        Loss mainLoss = loss != null ? loss : Losses.crossEntropy();
        Loss total = Losses.withAuxiliary(mainLoss, auxWeights);

        int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
        Model model = Model.newInstance(net.name(), devs[0]);
        model.setBlock(Compiler.compile(net));
        DefaultTrainingConfig config = new DefaultTrainingConfig(total)
                .optOptimizer(optimizer.toDjl(stepsPerEpoch, stepsPerEpoch * epochs))
                .optDevices(devs);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(Math.min(batchSize, train.size()))));
        // One device: our in-place update (PyTorch's rules, fewer passes over memory); several: DJL's parameter server.
        InPlaceOptimizer inPlace = devs.length == 1
                ? InPlaceOptimizer.of(optimizer, model.getBlock().getParameters(), model.getNDManager(), stepsPerEpoch, stepsPerEpoch * epochs)
                : null;

        IntColumn epochCol = IntColumn.create("epoch");
        DoubleColumn trainLoss = DoubleColumn.create("train_loss");
        DoubleColumn trainAcc = DoubleColumn.create("train_accuracy");
        DoubleColumn valLoss = DoubleColumn.create("val_loss");
        DoubleColumn valAcc = DoubleColumn.create("val_accuracy");
        DoubleColumn rate = DoubleColumn.create("examples_per_s");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        TrainedModel result = new TrainedModel(net, model, trainer, mainLoss, accuracy,
                Stamp.of(seed, Env.describe(devs), train.sourceHash()));
        prog.start(net.name() + " on " + Env.describe(devs), epochs, stepsPerEpoch);
        long runStart = System.nanoTime();
        ParameterCopies copies = new ParameterCopies(model);
        callbacks.forEach(Callback::beforeTraining);
        try {
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                long correct = 0;
                int step = 0;
                for (int[] batch : Batches.of(train.size(), batchSize, true, seed, e)) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new TrainingInterruptedException(net.name() + ": training interrupted after epoch " + e + ", step " + step
                                + "; the run's memory is released");
                    }
                    step++;
                    double[] out = trainStep(trainer, inPlace, batch, devs, e, step);
                    lossSum += out[0] * batch.length;
                    correct += (long) out[1];
                    prog.step(e, step, out[0]);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                epochCol.append(e);
                trainLoss.append(lossSum / train.size());
                trainAcc.append(accuracy ? (double) correct / train.size() : Double.NaN);
                rate.append(train.size() / secs);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("train_loss", lossSum / train.size());
                if (accuracy) row.put("train_accuracy", (double) correct / train.size());
                if (validation != null) {
                    double[] v = result.lossAndAccuracy(validation, batchSize);
                    valLoss.append(v[0]);
                    valAcc.append(accuracy ? v[1] : Double.NaN);
                    row.put("val_loss", v[0]);
                    if (accuracy) row.put("val_accuracy", v[1]);
                } else {
                    valLoss.appendMissing();
                    valAcc.appendMissing();
                }
                row.put("examples_per_s", train.size() / secs);
                double elapsed = (System.nanoTime() - runStart) / 1e9;
                wall.append(elapsed);
                row.put("wall_s", elapsed);
                prog.epoch(e, row);
                boolean stop = false;
                for (Callback c : callbacks) {
                    stop |= c.afterEpoch(e, row, copies) == Callback.Decision.STOP;
                }
                if (stop) break;
            }
            for (Callback c : callbacks) c.afterTraining(copies);
        } catch (RuntimeException ex) {
            result.close();
            throw ex;
        } finally {
            prog.end();
            copies.close();
            if (inPlace != null) inPlace.close();
        }
        Table metrics = Table.create(net.name() + " training", epochCol, trainLoss, trainAcc, valLoss, valAcc, rate, wall);
        result.setMetrics(metrics);
        return result;
    }

    /** Callbacks' access to the parameters: copies in a manager of their own, freed when training ends. */
    private static final class ParameterCopies implements Callback.Parameters, AutoCloseable {
        private final Model model;
        private final NDManager manager;

        ParameterCopies(Model model) {
            this.model = model;
            this.manager = model.getNDManager().newSubManager();
        }

        private record Copies(List<NDArray> arrays) implements Callback.Snapshot {}

        @Override
        public Callback.Snapshot snapshot() {
            java.util.ArrayList<NDArray> out = new java.util.ArrayList<>();
            for (var p : model.getBlock().getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(manager);
                out.add(copy);
            }
            return new Copies(out);
        }

        @Override
        public void restore(Callback.Snapshot snapshot) {
            if (!(snapshot instanceof Copies c)) throw new NetbookException("restore: not a snapshot of this training run");
            int i = 0;
            for (var p : model.getBlock().getParameters()) {
                c.arrays().get(i++).copyTo(p.getValue().getArray());
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** One update; returns {mean loss, correct count}. */
    private double[] trainStep(Trainer trainer, InPlaceOptimizer inPlace, int[] batch, Device[] devs, int epoch, int step) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = TrainedModel.features(m, train, batch);
            NDArray y = TrainedModel.labels(m, train, batch);
            int parts = Math.min(devs.length, batch.length);
            double lossValue = 0;
            long correct = 0;
            String failure = null;
            NDArray failedX = null;
            NDArray failedY = null;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList xs = parts == 1 ? new NDList(x) : x.split(parts);
                NDList ys = parts == 1 ? new NDList(y) : y.split(parts);
                for (int i = 0; i < parts && failure == null; i++) {
                    NDArray xi = xs.get(i).toDevice(devs[i], false);
                    NDArray yi = ys.get(i).toDevice(devs[i], false);
                    try (Trace trace = detectAnomalies ? Trace.start(true) : null) {
                        NDList preds = trainer.forward(new NDList(xi));
                        NDArray l = trainer.getLoss().evaluate(new NDList(yi), preds);
                        double v = l.getFloat();
                        if (!Double.isFinite(v)) {
                            failure = "loss is " + v;
                            failedX = xi;
                            failedY = yi;
                            break;
                        }
                        lossValue += v * xi.getShape().get(0) / batch.length;
                        if (accuracy) {
                            correct += preds.get(0).argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false)
                                    .eq(yi.toType(ai.djl.ndarray.types.DataType.INT64, false)).sum().getLong();
                        }
                        gc.backward(l);
                        if (trace != null) {
                            String where = NonFiniteLocator.check(trace, trainer.getModel().getBlock());
                            if (where != null) {
                                failure = "anomaly detected (loss " + v + "): " + where;
                            }
                        }
                    }
                }
            }
            if (failure != null) {
                if (failedX != null) {
                    failure += "; re-running the step with checks: " + NonFiniteLocator.rerun(trainer, failedX, failedY);
                }
                NonFiniteLocator.zeroGradients(trainer.getModel().getBlock());
                throw new NetbookException(net.name() + ": training diverged at epoch " + epoch + ", step " + step
                        + " (batch of " + batch.length + "): " + failure + ". Lower the learning rate (" + optimizer.lr()
                        + "), add clipGrad(...), or check the data for NaN");
            }
            if (inPlace != null) inPlace.step(); else trainer.step();
            return new double[] {lossValue, correct};
        }
    }

}
