package netbook.train;

import netbook.env.Stamp;
import netbook.env.Env;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netbook.data.Dataset;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.internal.djl.Compiler;
import netbook.internal.djl.Scalar;
import netbook.loss.Losses;

/**
 * Trains a network of the DSL through the {@link TrainingLoop}: fluent settings, then {@link #run()}. Classification by default (softmax
 * cross-entropy, accuracy), regression for data with numeric targets (mean squared error);
 * auxiliary heads add their weighted losses automatically.
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
    private final Dataset train;
    private Dataset validation;
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
    private Path checkpointDir;
    private netbook.data.Augment augment;
    private List<String> frozen = List.of();
    private Path initialWeights;
    private boolean resume;

    private Fit(Net net, Dataset train) {
        this.net = net;
        this.train = train;
    }

    public static Fit of(Net net, Dataset train) {
        if (net == null) throw new NetbookException("Fit.of: the network is null");
        if (train == null) throw new NetbookException("Fit.of: the training data is null");
        if (!train.shape().equals(net.inputShape())) {
            throw new NetbookException("Fit.of: " + net.name() + " takes examples of " + net.inputShape() + " but "
                    + train.name() + " has examples of " + train.shape());
        }
        return new Fit(net, train);
    }

    /** Held-out data evaluated after every epoch (val_loss, val_accuracy); its examples must have the network's input shape. */
    public Fit validation(Dataset v) {
        if (v != null && !v.shape().equals(net.inputShape())) {
            throw new NetbookException("Fit.validation: " + net.name() + " takes examples of " + net.inputShape() + " but "
                    + v.name() + " has examples of " + v.shape());
        }
        this.validation = v;
        return this;
    }
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
    /** Asked after every step and epoch whether to go on: {@link EarlyStopping}, {@link ReduceOnPlateau}, {@link TimeBudget}, {@link EvaluateEvery}, your own {@link Callback}. */
    public Fit callbacks(Callback... c) { this.callbacks = List.of(c); return this; }

    /**
     * Keeps the parameters of these blocks (by path, as the summary shows them: {@code "stage1"},
     * {@code "stage2.block1"}) as they are: the optimiser skips them. With {@link #initialWeights},
     * fine-tuning only the head of a pre-trained network. {@link TrainedModel#parameters()} shows which are frozen.
     */
    public Fit freeze(String... blockPaths) {
        this.frozen = List.of(blockPaths);
        return this;
    }

    /** Starts from weights in an {@code .npz} file ({@link TrainedModel#exportWeights}, or PyTorch through {@code spec_torch.py}). */
    public Fit initialWeights(Path npz) {
        this.initialWeights = npz;
        return this;
    }

    /** Augments every training batch (random crops, flips), drawn from the seed, epoch and step. */
    public Fit augment(netbook.data.Augment a) {
        if (a != null && net.inputShape().rank() != 3) {
            throw new NetbookException("Fit.augment: " + net.name() + " takes " + net.inputShape() + "; augmentation is for (C, H, W) images");
        }
        this.augment = a;
        return this;
    }

    /**
     * Writes a resume checkpoint into {@code dir} after every epoch (atomically: a crash leaves the
     * previous one); {@link #resume()} continues from it.
     */
    public Fit checkpoints(Path dir) {
        if (dir == null) throw new NetbookException("Fit.checkpoints: the directory is null");
        this.checkpointDir = dir;
        return this;
    }

    /**
     * Continues from the checkpoint in the {@link #checkpoints} directory when there is one (else
     * starts afresh): parameters, optimiser state and metrics so far; the remaining epochs see the
     * same batches and random draws as an uninterrupted run, so it ends with the same metrics.
     * The seed, batch size, data and optimiser must be the checkpoint's; more epochs than the first
     * run asked for extend it (a schedule then spans the new length).
     */
    public Fit resume() {
        this.resume = true;
        return this;
    }

    /** Trains, then returns the model with its per-epoch metrics table. */
    public TrainedModel run() {
        if (resume && checkpointDir == null) throw new NetbookException("Fit.resume: say where the checkpoints are with .checkpoints(dir)");
        Device[] devs = devices != null && devices.length > 0 ? devices : Env.devices();
        if (devs.length > 1 && optimizer.clipGradNorm() > 0) {
            throw new NetbookException("Fit: clipGradNorm is applied by Netbook's single-device update; DJL's optimiser on "
                    + devs.length + " devices has no global-norm clipping (use clipGrad, or one device)");
        }
        checkClasses(train);
        if (validation != null) checkClasses(validation);
        TrainingLoop.seedEngine(seed);
        // Numeric targets: mean squared error on the one output, and no accuracy.
        Loss mainLoss = loss != null ? loss : train.isRegression() ? Losses.mse() : Losses.crossEntropy();
        boolean accuracy = this.accuracy && !train.isRegression();
        int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
        Model model = Model.newInstance(net.name(), devs[0]);
        model.setBlock(Compiler.compile(net));
        // Auxiliary heads' outputs are read by name, each with its head's weight.
        Loss total = Losses.withAuxiliary(mainLoss, Compiler.auxiliaryWeights(model.getBlock()));
        double[] lrScale = {1};
        DefaultTrainingConfig config = new DefaultTrainingConfig(total)
                .optOptimizer(optimizer.toDjl(stepsPerEpoch, stepsPerEpoch * epochs, () -> lrScale[0]))
                .optDevices(devs);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(Math.min(batchSize, train.size()))));
        TrainedModel result = new TrainedModel(net, model, trainer, mainLoss, accuracy,
                Stamp.of(seed, Env.describe(devs), train.sourceHash()));
        java.util.Set<Parameter> frozenParams = frozenParameters(model.getBlock());
        result.setFrozen(frozenParams);
        result.setFrozenPaths(frozen);
        if (initialWeights != null) {
            try {
                result.importWeights(initialWeights);
            } catch (RuntimeException e) {
                result.close();
                throw e;
            }
        }
        ai.djl.util.PairList<String, Parameter> trainable = new ai.djl.util.PairList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) if (!frozenParams.contains(p.getValue())) trainable.add(p);
        if (devs.length > 1 && !frozenParams.isEmpty()) {
            result.close();
            throw new NetbookException("Fit.freeze: freezing is applied by Netbook's single-device update; use one device");
        }
        // Frozen parameters record no gradient (backward skips them) until training ends.
        for (Parameter p : frozenParams) p.getArray().setRequiresGradient(false);
        // One device: our in-place update (PyTorch's rules, fewer passes over memory); several: DJL's parameter server.
        TrainingLoop.Updater updater = devs.length == 1
                ? InPlaceOptimizer.of(optimizer, trainable, model.getNDManager(), stepsPerEpoch, stepsPerEpoch * epochs)
                : new DjlUpdater(trainer, optimizer, stepsPerEpoch, stepsPerEpoch * epochs, lrScale);
        result.setEncoding(train.encoding());
        if (!train.isRegression()) result.setClassNames(train.classNames());
        Classification task = new Classification(trainer, devs, result, accuracy);
        TrainingLoop loop = TrainingLoop.of(net.name(), task, updater)
                .epochs(epochs).seed(seed)
                .progress(progress != null ? progress : Progress.current())
                .callbacks(callbacks).detectAnomalies(detectAnomalies);
        if (checkpointDir != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("seed", seed);
            run.put("batch_size", batchSize);
            run.put("data", train.sourceHash());
            run.put("optimizer", optimizer.toString());
            run.put("augment", String.valueOf(augment));
            run.put("frozen", String.valueOf(frozen));
            loop.checkpoints(checkpointDir, resume, run);
        }
        try {
            TrainingLoop.Result r = loop.run();
            result.setMetrics(r.epochs().setName(net.name() + " training"));
            return result;
        } catch (RuntimeException ex) {
            result.close();
            throw ex;
        } finally {
            task.close();
            if (updater instanceof InPlaceOptimizer o) o.close();
            if (!result.isClosed()) for (Parameter p : frozenParams) p.getArray().setRequiresGradient(true);
        }
    }

    /** The parameters under the frozen block paths; an unknown path is an error listing the blocks. */
    private java.util.Set<Parameter> frozenParameters(Block root) {
        java.util.Set<Parameter> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Map<Parameter, String> paths = netbook.internal.djl.Trace.parameterPaths(root);
        for (String prefix : frozen) {
            int before = out.size();
            for (var e : paths.entrySet()) if (e.getValue().startsWith(prefix + ".")) out.add(e.getKey());
            if (out.size() == before) {
                java.util.TreeSet<String> blocks = new java.util.TreeSet<>();
                for (String p : paths.values()) if (p.contains(".")) blocks.add(p.substring(0, p.indexOf('.')));
                throw new NetbookException("Fit.freeze: " + net.name() + " has no block '" + prefix + "' with parameters; top-level blocks with parameters are " + blocks);
            }
        }
        return out;
    }

    /** Cross-entropy needs one output per class: say so before the engine fails on an index. */
    private void checkClasses(Dataset data) {
        if (data.isRegression() && loss == null && net.outputShape().size() != 1) {
            throw new NetbookException("Fit: " + data.name() + " has numeric targets (regression) but " + net.name() + " has "
                    + net.outputShape().size() + " outputs; end the network with linear(1)");
        }
        if (loss != null || !data.hasLabels() || net.outputShape().rank() != 1) return;
        long outputs = net.outputShape().dim(0);
        int maxLabel = -1;
        for (int i = 0; i < data.size(); i++) maxLabel = Math.max(maxLabel, data.label(i));
        if (maxLabel >= outputs || data.classes() > outputs) {
            int classes = Math.max(data.classes(), maxLabel + 1);
            throw new NetbookException("Fit: " + net.name() + " has " + outputs + " outputs but " + data.name() + " has " + classes
                    + " classes (labels 0.." + (classes - 1) + "); end the network with linear(" + classes + ")");
        }
    }

    /** Softmax classification (or any loss on the main output) over the training arrays, with validation. */
    private final class Classification implements TrainingLoop.Task {
        private final Trainer trainer;
        private final Device[] devs;
        private final TrainedModel result;
        private final boolean accuracy;   // this run's: off for numeric targets

        Classification(Trainer trainer, Device[] devs, TrainedModel result, boolean accuracy) {
            this.trainer = trainer;
            this.devs = devs;
            this.result = result;
            this.accuracy = accuracy;
        }

        private java.util.concurrent.ExecutorService loader;
        private final BatchMemory memory = new BatchMemory();
        private List<int[]> epochBatches;
        private int epochOfBatches;
        private java.util.concurrent.Future<float[]> next;
        private int nextEpoch;
        private int nextStep;

        @Override public int stepsPerEpoch() { return (train.size() + batchSize - 1) / batchSize; }

        @Override
        public List<int[]> batches(int epoch) {
            epochBatches = Batches.of(train.size(), batchSize, true, seed, epoch);
            epochOfBatches = epoch;
            return epochBatches;
        }
        @Override public Block root() { return trainer.getModel().getBlock(); }
        @Override public Model model() { return trainer.getModel(); }

        @Override
        public List<Pair<String, NDArray>> state() {
            List<Pair<String, NDArray>> out = new ArrayList<>();
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) out.add(new Pair<>(p.getKey(), p.getValue().getArray()));
            return out;
        }

        @Override
        public TrainingLoop.StepLoss forward(NDManager scope, int[] batch, int epoch, int step) {
            NDArray x = features(scope, batch, epoch, step);
            NDArray y = TrainedModel.labels(scope, train, batch);
            int parts = Math.min(devs.length, batch.length);
            NDList xs = parts == 1 ? new NDList(x) : x.split(parts);
            NDList ys = parts == 1 ? new NDList(y) : y.split(parts);
            NDArray loss = null;
            NDArray correct = null;
            for (int i = 0; i < parts; i++) {
                // Data parallel: each device's share; the losses meet on the first device, weighted by share.
                NDArray xi = xs.get(i).toDevice(devs[i], false);
                NDArray yi = ys.get(i).toDevice(devs[i], false);
                NDList preds = trainer.forward(new NDList(xi));
                NDArray l = trainer.getLoss().evaluate(new NDList(yi), preds);
                if (parts > 1) l = Scalar.mul(l.toDevice(devs[0], false), (double) xi.getShape().get(0) / batch.length);
                loss = loss == null ? l : loss.add(l);
                if (accuracy) {
                    NDArray c = preds.get(0).argMax(1).toType(DataType.INT64, false).eq(yi.toType(DataType.INT64, false))
                            .toType(DataType.FLOAT32, false).sum().toDevice(devs[0], false);
                    correct = correct == null ? c : correct.add(c);
                }
            }
            Map<String, NDArray> reported = new LinkedHashMap<>();
            if (accuracy) reported.put("accuracy", Scalar.div(correct, batch.length));
            return new TrainingLoop.StepLoss(loss, reported);
        }

        /**
         * The batch's inputs. The next batch of the epoch is read (and augmented) on the loader
         * thread while this step computes; what a batch holds depends only on its examples, the
         * seed, the epoch and the step, so prefetching never changes a result.
         */
        private NDArray features(NDManager scope, int[] batch, int epoch, int step) {
            float[] buf;
            if (next != null && nextEpoch == epoch && nextStep == step) {
                buf = await(next);
            } else {
                // A prefetched batch that is not this one may still be filling the array about to be reused.
                if (next != null) settle(next);
                buf = hostBatch(batch, epoch, step);
            }
            next = null;
            // Copied out before the loader may refill the array with the next batch.
            NDArray x = memory.wrap(scope, buf, new ai.djl.ndarray.types.Shape(train.shape().withBatch(batch.length)));
            if (epochBatches != null && epochOfBatches == epoch && step < epochBatches.size()) {
                int[] following = epochBatches.get(step);
                next = loader().submit(() -> hostBatch(following, epoch, step + 1));
                nextEpoch = epoch;
                nextStep = step + 1;
            }
            return x;
        }

        /** A batch's features on the host: read, then augmented from (seed, epoch, step), in the run's reused array. */
        private float[] hostBatch(int[] batch, int epoch, int step) {
            float[] buf = memory.floats(Math.toIntExact(batch.length * train.shape().size()));
            train.read(batch, buf);
            if (augment != null) {
                augment.apply(buf, batch.length, train.shape(),
                        new java.util.Random(TrainingLoop.epochSeed(TrainingLoop.epochSeed(seed, epoch), step)));
            }
            return buf;
        }

        /** Waits for a prefetch whose batch is not wanted; its failure, if any, is the wanted batch's to report. */
        private void settle(java.util.concurrent.Future<float[]> f) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainingInterruptedException(net.name() + ": training interrupted while waiting for a batch; the run's memory is released");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ignored) {
                // Not this step's batch: reading the wanted one says what is wrong, if anything still is.
            }
        }

        private float[] await(java.util.concurrent.Future<float[]> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainingInterruptedException(net.name() + ": training interrupted while waiting for a batch; the run's memory is released");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new NetbookException(net.name() + ": reading a batch of " + train.name() + " failed: " + e.getCause(), e.getCause());
            }
        }

        private java.util.concurrent.ExecutorService loader() {
            if (loader == null) {
                loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "netbook-prefetch " + net.name());
                    t.setDaemon(true);
                    return t;
                });
            }
            return loader;
        }

        void close() {
            if (loader != null) loader.shutdownNow();
        }

        @Override
        public String explainNonFinite(NDManager scope, int[] batch) {
            NDArray x = TrainedModel.features(scope, train, batch, new BatchMemory()).toDevice(devs[0], false);   // without augmentation; the step's batch stays as it was
            NDArray y = TrainedModel.labels(scope, train, batch).toDevice(devs[0], false);
            return NonFiniteLocator.rerun(root(), x, () -> trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
        }

        @Override
        public Map<String, Double> evaluate(int epoch) {
            if (validation == null) return Map.of();
            double[] v = result.lossAndAccuracy(validation, batchSize);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("val_loss", v[0]);
            if (accuracy) out.put("val_accuracy", v[1]);
            return out;
        }
    }

    /** Several devices: DJL's trainer and parameter server update, with Netbook's schedule and reduce-on-plateau. */
    private static final class DjlUpdater implements TrainingLoop.Updater {
        private final Trainer trainer;
        private final OptimizerSpec spec;
        private final int stepsPerEpoch;
        private final int totalSteps;
        private final double[] scale;
        private int updates;

        DjlUpdater(Trainer trainer, OptimizerSpec spec, int stepsPerEpoch, int totalSteps, double[] scale) {
            this.trainer = trainer;
            this.spec = spec;
            this.stepsPerEpoch = stepsPerEpoch;
            this.totalSteps = totalSteps;
            this.scale = scale;
        }

        @Override public void step() { trainer.step(); updates++; }
        @Override public void scaleLearningRate(double factor) { scale[0] *= factor; }
        @Override public double scale() { return scale[0]; }
        @Override public int updates() { return updates; }
        @Override public void restore(List<NDArray> state, int updates, double scale) { this.updates = updates; this.scale[0] = scale; }
        @Override public double learningRate() { return scale[0] * spec.schedule().rate(spec.lr(), updates, stepsPerEpoch, totalSteps); }
    }
}
