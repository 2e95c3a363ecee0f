package netbook.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import netbook.dsl.NetbookException;
import netbook.internal.djl.Trace;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The one training loop of Netbook. Every model trains through it: {@link Fit} for networks of
 * the DSL, and the VQ-VAE, prior, BPR and contrastive front ends, each of which only says how a
 * batch becomes a loss ({@link Task}). The loop owns what they share: seeding, batching per
 * epoch, the update by the in-place optimiser, progress, the one divergence check (with the
 * search for where a non-finite value began), callbacks, interruption and resumable checkpoints.
 *
 * <p>Seeding: the engine's generator (dropout, random layers) is reseeded from (seed, epoch) at
 * the start of every epoch, and a task draws its batches from (seed, epoch) alone, so a run
 * resumed at epoch e sees exactly what an uninterrupted run saw.
 *
 * <pre>
 * TrainingLoop.Result r = TrainingLoop.of("my model", task, InPlaceOptimizer.of(spec, params, manager, steps, total))
 *     .epochs(5).seed(42).callbacks(EarlyStopping.on("val_loss")).run();
 * r.epochs();   // one row per epoch: train_loss, the task's reported values, validation, examples/s, wall time
 * </pre>
 */
public final class TrainingLoop {
    /** What a model brings to the loop. Arrays it creates in a step belong to the step's scope. */
    public interface Task {
        /** Steps in a full epoch (for progress and schedules). */
        int stepsPerEpoch();

        /** Epoch {@code epoch}'s batches (1-based), drawn from the run's seed and the epoch alone. */
        List<int[]> batches(int epoch);

        /**
         * Forward pass of one batch with gradients recorded: the loss to minimise and named values
         * to report (0-d arrays, averaged over the epoch as {@code train_NAME}).
         */
        StepLoss forward(NDManager scope, int[] batch, int epoch, int step);

        /** Gradients are in place, the update is next (masks that freeze rows go here). */
        default void beforeUpdate() {}

        /** After the update (MoCo's momentum encoder and queue go here). */
        default void afterUpdate(NDManager scope, StepLoss step) {}

        /**
         * Re-runs a batch whose loss was non-finite with checks and says where the first non-finite
         * value appeared; null when the task has no way to look.
         */
        default String explainNonFinite(NDManager scope, int[] batch) { return null; }

        /** The block whose outputs and gradients {@link #detectAnomalies} checks; null: none. */
        default Block root() { return null; }

        /** Held-out metrics after epoch {@code epoch} (validation loss, ranking quality); empty: none this epoch. */
        default Map<String, Double> evaluate(int epoch) { return Map.of(); }

        /** Every array that makes up the model's state, by name: what checkpoints hold and restore-best copies. */
        List<Pair<String, NDArray>> state();

        /** The DJL model, for callbacks that run it ({@link Callback.Run#model()}); null when there is none. */
        default Model model() { return null; }
    }

    /** One step's loss (a 0-d array with gradients recorded) and values to report, by name. */
    public record StepLoss(NDArray loss, Map<String, NDArray> reported) {
        public StepLoss(NDArray loss) { this(loss, Map.of()); }
    }

    /** How the loop updates parameters: the in-place optimiser, or DJL's trainer for several devices. */
    public interface Updater {
        /** One update from the accumulated gradients, which are zero afterwards. */
        void step();

        /** Multiplies every later learning rate (reduce-on-plateau). */
        void scaleLearningRate(double factor);

        double learningRate();

        /** The optimiser's state for a checkpoint; empty when it cannot be saved. */
        default List<NDArray> state() { return List.of(); }

        default int updates() { return 0; }

        /** Puts back a checkpoint's optimiser state. */
        default void restore(List<NDArray> state, int updates, double scale) {}

        default double scale() { return 1; }
    }

    /** The per-epoch table, the step table (every {@code stepLog} steps), and how far the run got. */
    public record Result(Table epochs, Table steps, int epochsRun, long stepsRun, boolean resumed) {}

    private final String name;
    private final Task task;
    private final Updater updater;
    private int epochs = 1;
    private long maxSteps;
    private long seed = 42;
    private Progress progress = Progress.none();
    private List<Callback> callbacks = List.of();
    private boolean detectAnomalies;
    private int stepLog;
    private Path checkpointDir;
    private boolean resume;
    private Map<String, Object> fingerprint = Map.of();

    private TrainingLoop(String name, Task task, Updater updater) {
        this.name = name;
        this.task = task;
        this.updater = updater;
    }

    public static TrainingLoop of(String name, Task task, Updater updater) {
        return new TrainingLoop(name, task, updater);
    }

    public TrainingLoop epochs(int n) { this.epochs = n; return this; }
    /** Stops after this many updates even inside an epoch (0: whole epochs only). */
    public TrainingLoop maxSteps(long n) { this.maxSteps = n; return this; }
    public TrainingLoop seed(long s) { this.seed = s; return this; }
    public TrainingLoop progress(Progress p) { this.progress = p; return this; }
    public TrainingLoop callbacks(List<Callback> c) { this.callbacks = List.copyOf(c); return this; }
    public TrainingLoop detectAnomalies(boolean on) { this.detectAnomalies = on; return this; }
    /** Keeps every {@code n}-th step's values (and the last step's) in {@link Result#steps()}; 0: none. */
    public TrainingLoop stepLog(int n) { this.stepLog = n; return this; }

    /**
     * Writes {@code dir/NAME.resume} (atomically) after every epoch; with {@code resume}, a run
     * that finds one continues after its epoch with its parameters, optimiser state and history.
     * {@code fingerprint} (seed, batch size, data, optimiser ...) must match the checkpoint's: a
     * checkpoint of another setting is refused, naming what differs.
     */
    public TrainingLoop checkpoints(Path dir, boolean resume, Map<String, Object> fingerprint) {
        this.checkpointDir = dir;
        this.resume = resume;
        this.fingerprint = new java.util.TreeMap<>();
        fingerprint.forEach((k, v) -> this.fingerprint.put(k, String.valueOf(v)));
        return this;
    }

    /** Seeds the engine's generator: before initialising weights, and per epoch inside the loop. */
    public static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** The seed of epoch {@code epoch} of a run seeded {@code seed}. */
    public static long epochSeed(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    public Result run() {
        int stepsPerEpoch = task.stepsPerEpoch();
        Table epochTable = Table.create(name + " training");
        Table stepTable = Table.create(name + " steps");
        RunState run = new RunState(stepsPerEpoch);
        ResumeFile resumeFile = checkpointDir == null ? null : new ResumeFile(checkpointDir, name);
        int firstEpoch = 1;
        boolean resumed = false;
        if (resumeFile != null && resume && resumeFile.exists()) {
            ResumeFile.Loaded l = resumeFile.load(task.state(), updater, fingerprint);
            epochTable = l.epochs().setName(name + " training");
            if (l.steps() != null) stepTable = l.steps().setName(name + " steps");
            firstEpoch = l.epoch() + 1;
            run.step = l.step();
            resumed = true;
        }
        int lastEpoch = epochs;
        if (maxSteps > 0) lastEpoch = (int) Math.min(epochs, (maxSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        progress.start(name, lastEpoch, stepsPerEpoch);
        long runStart = System.nanoTime();
        double wallBefore = epochTable.rowCount() > 0 && epochTable.containsColumn("wall_s")
                ? epochTable.doubleColumn("wall_s").get(epochTable.rowCount() - 1) : 0;
        run.epoch = firstEpoch - 1;
        for (Callback c : callbacks) c.beforeTraining(run);
        try {
            boolean stop = false;
            for (int e = firstEpoch; e <= lastEpoch && !stop; e++) {
                run.epoch = e;
                seedEngine(epochSeed(seed, e));
                long t0 = System.nanoTime();
                Map<String, Double> sums = new LinkedHashMap<>();
                long examples = 0;
                int stepInEpoch = 0;
                for (int[] batch : task.batches(e)) {
                    if (maxSteps > 0 && run.step >= maxSteps) break;
                    if (Thread.currentThread().isInterrupted()) {
                        throw new TrainingInterruptedException(name + ": training interrupted in epoch " + e + " after step "
                                + stepInEpoch + "; the run's memory is released");
                    }
                    stepInEpoch++;
                    run.step++;
                    run.stepInEpoch = stepInEpoch;
                    Map<String, Double> values = step(batch, e, stepInEpoch);
                    examples += batch.length;
                    for (var v : values.entrySet()) sums.merge(v.getKey(), v.getValue() * batch.length, Double::sum);
                    if (stepLog > 0 && (run.step % stepLog == 0 || run.step == maxSteps)) logStep(stepTable, run.step, values);
                    progress.step(e, stepInEpoch, values.get("loss"));
                    for (Callback c : callbacks) {
                        stop |= c.afterStep(run, values) == Callback.Decision.STOP;
                    }
                    if (stop) break;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", e);
                row.put("steps", run.step);
                for (var s : sums.entrySet()) row.put("train_" + s.getKey(), s.getValue() / Math.max(1, examples));
                row.putAll(task.evaluate(e));
                row.put("examples_per_s", examples / secs);
                row.put("wall_s", wallBefore + (System.nanoTime() - runStart) / 1e9);
                // Callbacks first: an evaluation they add to the row belongs in the table.
                for (Callback c : callbacks) {
                    stop |= c.afterEpoch(run, row) == Callback.Decision.STOP;
                }
                Map<String, Object> shown = new LinkedHashMap<>(row);
                shown.remove("epoch");   // the display says which epoch already
                shown.remove("steps");
                progress.epoch(e, shown);
                append(epochTable, row);
                if (resumeFile != null) resumeFile.save(e, run.step, fingerprint, task.state(), updater, epochTable, stepLog > 0 ? stepTable : null);
            }
            for (Callback c : callbacks) c.afterTraining(run);
        } finally {
            progress.end();
            run.close();
        }
        return new Result(epochTable, stepTable, run.epoch, run.step, resumed);
    }

    /** One update; the values reported, "loss" first. The only divergence check of Netbook. */
    private Map<String, Double> step(int[] batch, int epoch, int stepInEpoch) {
        Map<String, Double> values = new LinkedHashMap<>();
        String failure = null;
        boolean lossFailed = false;
        try (NDManager scope = scope()) {
            StepLoss out;
            try (Trace trace = detectAnomalies && task.root() != null ? Trace.start(true) : null;
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = task.forward(scope, batch, epoch, stepInEpoch);
                double loss = out.loss().getFloat();
                values.put("loss", loss);
                for (var r : out.reported().entrySet()) values.put(r.getKey(), (double) r.getValue().getFloat());
                if (!Double.isFinite(loss)) {
                    failure = "loss is " + loss;
                    lossFailed = true;
                } else {
                    gc.backward(out.loss());
                    if (trace != null) {
                        String where = NonFiniteLocator.check(trace, task.root());
                        if (where != null) failure = "anomaly detected (loss " + loss + "): " + where;
                    }
                }
            }
            if (failure != null) {
                if (task.root() != null) NonFiniteLocator.zeroGradients(task.root());
                if (lossFailed) {
                    String where = task.explainNonFinite(scope, batch);
                    if (where != null) failure += "; re-running the step with checks: " + where;
                }
                throw new NetbookException(String.format(Locale.ROOT,
                        "%s: training diverged at epoch %d, step %d (batch of %d): %s. Lower the learning rate (%s), add clipGrad(...) or clipGradNorm(...), or check the data for NaN",
                        name, epoch, stepInEpoch, batch.length, failure, (float) updater.learningRate()));
            }
            task.beforeUpdate();
            updater.step();
            task.afterUpdate(scope, out);
        }
        return values;
    }

    /**
     * The step's manager. An operation's result joins the manager of its first operand, which is
     * often a parameter; the state arrays are attached to the step for its duration (and return
     * when it closes), so everything a step computes is freed with it.
     */
    private NDManager scope() {
        NDManager scope = NDManager.newBaseManager(task.model() != null ? task.model().getNDManager().getDevice() : null);
        for (Pair<String, NDArray> p : task.state()) p.getValue().tempAttach(scope);
        return scope;
    }

    private static void logStep(Table t, long step, Map<String, Double> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", (int) step);
        row.putAll(values);
        append(t, row);
    }

    /** Appends a row, adding columns as they first appear (earlier rows get missing values). */
    static void append(Table t, Map<String, Object> row) {
        int n = t.rowCount();
        for (var e : row.entrySet()) {
            if (!t.containsColumn(e.getKey())) {
                if (e.getValue() instanceof Integer || e.getValue() instanceof Long) {
                    IntColumn c = IntColumn.create(e.getKey());
                    for (int i = 0; i < n; i++) c.appendMissing();
                    t.addColumns(c);
                } else {
                    DoubleColumn c = DoubleColumn.create(e.getKey());
                    for (int i = 0; i < n; i++) c.appendMissing();
                    t.addColumns(c);
                }
            }
        }
        for (String col : t.columnNames()) {
            Object v = row.get(col);
            var c = t.column(col);
            if (v == null) {
                c.appendMissing();
            } else if (c instanceof IntColumn ic) {
                ic.append(((Number) v).intValue());
            } else if (c instanceof DoubleColumn dc) {
                dc.append(((Number) v).doubleValue());
            } else {
                throw new NetbookException("metrics table " + t.name() + ": column " + col + " is not numeric");
            }
        }
    }

    /** The run as callbacks see it. */
    private final class RunState implements Callback.Run {
        private final int stepsPerEpoch;
        private final NDManager copies = NDManager.newBaseManager();
        private int epoch;
        private int stepInEpoch;
        private long step;

        RunState(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
        }

        @Override public String name() { return name; }
        @Override public int epoch() { return epoch; }
        @Override public int stepInEpoch() { return stepInEpoch; }
        @Override public int stepsPerEpoch() { return stepsPerEpoch; }
        @Override public long step() { return step; }
        @Override public Model model() { return task.model(); }
        @Override public double learningRate() { return updater.learningRate(); }
        @Override public void scaleLearningRate(double factor) { updater.scaleLearningRate(factor); }

        private record Copies(List<NDArray> arrays) implements Callback.Snapshot {}

        @Override
        public Callback.Snapshot snapshot() {
            List<NDArray> out = new ArrayList<>();
            for (Pair<String, NDArray> p : task.state()) {
                NDArray copy = p.getValue().duplicate();
                copy.attach(copies);
                out.add(copy);
            }
            return new Copies(out);
        }

        @Override
        public void restore(Callback.Snapshot snapshot) {
            if (!(snapshot instanceof Copies c)) throw new NetbookException("restore: not a snapshot of this training run");
            List<Pair<String, NDArray>> state = task.state();
            boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            try {
                for (int i = 0; i < state.size(); i++) c.arrays().get(i).copyTo(state.get(i).getValue());
            } finally {
                ai.djl.pytorch.jni.JniUtils.setGradMode(gradMode);
            }
        }

        void close() {
            copies.close();
        }
    }
}
