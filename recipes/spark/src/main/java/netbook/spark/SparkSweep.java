package netbook.spark;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import netbook.dsl.NetbookException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs a {@link Sweep} on Spark: every trial is one Spark job of one task, submitted together, so
 * the scheduler runs as many at once as there are task slots and a result arrives as soon as its
 * trial ends. DJL trains one model per JVM at a time (one gradient collector, one random
 * generator per process), so every executor is a JVM of its own with one task slot of
 * {@code threadsPerTrial} cores ({@code spark.task.cpus}), which become its PyTorch threads.
 * Without a master URL Spark runs embedded: this JVM is the driver and an in-process master starts
 * {@code cores / threadsPerTrial} executor processes ({@code local-cluster[N,T,MB]}), so on 2
 * cores two one-thread trials run side by side. On a cluster ({@code spark://host:7077},
 * {@code yarn}, {@code k8s://...}) the same trials run on its executors, and a task lost with its
 * worker runs again elsewhere. Executors start from {@code SPARK_HOME/jars}, which must hold
 * Netbook's jars as well as Spark's (the launcher's {@code recipes/spark/target/spark-home}).
 * <pre>
 * SparkSweep.Results r = SparkSweep.local(1).run(Sweep.read(Path.of("sweep.json")), row -> System.out.println(row));
 * r.table();   // one row per trial, best first
 * </pre>
 */
public final class SparkSweep {
    private final SparkTarget target;

    private SparkSweep(SparkTarget target) {
        this.target = target;
    }

    /** Spark embedded in this JVM, with one executor process per {@code threadsPerTrial} cores. */
    public static SparkSweep local(int threadsPerTrial) {
        return new SparkSweep(SparkTarget.local("sweep", threadsPerTrial));
    }

    /** A cluster's master URL ({@code spark://host:7077}, {@code yarn}, {@code k8s://...}) or {@code local-cluster[N,T,MB]}. */
    public static SparkSweep on(String master, int threadsPerTrial) {
        return new SparkSweep(SparkTarget.on("sweep", master, threadsPerTrial));
    }

    /** More Spark settings ({@code spark.executor.memory}, ...), passed as they are. */
    public SparkSweep conf(Map<String, String> more) {
        return new SparkSweep(target.conf(more));
    }

    public String master() { return target.master(); }

    /** Every trial's row, in the order they finished; {@link #table()} sorts them. */
    public record Results(Sweep sweep, List<Trial.Result> rows, double wallSeconds, String where) {
        public Table table() { return SparkSweep.table(sweep, rows); }

        /** The best trial that finished (by the sweep's metric), or null when none did. */
        public Trial.Result best() {
            Comparator<Trial.Result> byMetric = Comparator.comparingDouble(r -> r.metric(sweep.metric()));
            if (sweep.higherIsBetter()) byMetric = byMetric.reversed();
            return rows.stream().filter(r -> r.ok() && Double.isFinite(r.metric(sweep.metric()))).min(byMetric).orElse(null);
        }
    }

    /** Runs every trial on Spark; {@code onRow} sees each row as it arrives (a notebook's table fills from it). */
    public Results run(Sweep sweep, Consumer<Trial.Result> onRow) {
        long start = System.nanoTime();
        JavaSparkContext jsc = target.start("netbook sweep " + sweep.name());
        try {
            List<Trial.Result> rows = new ArrayList<>();
            List<JavaFutureAction<List<Trial.Result>>> pending = new ArrayList<>();
            List<Trial> submitted = new ArrayList<>();
            for (Trial t : sweep.trials()) {
                jsc.setJobDescription(t.toString());
                pending.add(jsc.parallelize(List.of(t), 1).map(new RunTrial()).collectAsync());
                submitted.add(t);
            }
            while (!pending.isEmpty()) {
                boolean progressed = false;
                for (int i = 0; i < pending.size(); i++) {
                    JavaFutureAction<List<Trial.Result>> f = pending.get(i);
                    if (!f.isDone()) continue;
                    Trial.Result r = result(f, submitted.get(i));
                    rows.add(r);
                    if (onRow != null) onRow.accept(r);
                    pending.remove(i);
                    submitted.remove(i);
                    i--;
                    progressed = true;
                }
                if (!progressed) {
                    if (jsc.sc().isStopped()) {
                        // the cluster gave up on this application (master lost, no executor could start)
                        throw new NetbookException("sweep: Spark stopped before the sweep ended (" + rows.size() + " of "
                                + sweep.trials().size() + " trials done); its log above says why");
                    }
                    sleep();
                }
            }
            return new Results(sweep, List.copyOf(rows), (System.nanoTime() - start) / 1e9, target.describe(jsc) + " per trial");
        } finally {
            target.stop(jsc);
        }
    }

    /** The same trials one after another in this thread, without Spark: the baseline a sweep is compared with. */
    public static Results sequential(Sweep sweep, int threads, Consumer<Trial.Result> onRow) {
        long start = System.nanoTime();
        int before = Threads.get();
        List<Trial.Result> rows = new ArrayList<>();
        try {
            for (Trial t : sweep.trials()) {
                Trial.Result r = t.run(threads, "driver");
                rows.add(r);
                if (onRow != null) onRow.accept(r);
            }
        } finally {
            Threads.set(before);
        }
        return new Results(sweep, List.copyOf(rows), (System.nanoTime() - start) / 1e9, "one after another in this JVM, " + threads + " thread(s) each");
    }

    private Trial.Result result(JavaFutureAction<List<Trial.Result>> f, Trial t) {
        try {
            return f.get(0, TimeUnit.SECONDS).get(0);
        } catch (ExecutionException e) {
            // Spark gave up on the task (its retries spent): the row says why, the sweep goes on.
            return new Trial.Result(t, "failed", "Spark: " + rootMessage(e), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, target.threadsPerTask(), "", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetbookException("sweep: interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a finished job had no result", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        if (e.getMessage() != null && e.getMessage().contains("Job aborted")) {
            m = e.getMessage().lines().findFirst().orElse(m);
        }
        return m == null ? t.toString() : m;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetbookException("sweep: interrupted", e);
        }
    }

    /** Runs on an executor: one trial, with the task's share of cores as PyTorch's threads. */
    static final class RunTrial implements Function<Trial, Trial.Result> {
        private static final long serialVersionUID = 1L;

        @Override
        public Trial.Result call(Trial trial) throws Exception {
            TaskContext task = TaskContext.get();
            int threads = task != null ? Math.max(1, task.cpus()) : 1;
            String host = InetAddress.getLocalHost().getHostName();
            String executor = "executor " + SparkEnv.get().executorId() + "@" + host
                    + (task != null && task.attemptNumber() > 0 ? " (attempt " + (task.attemptNumber() + 1) + ")" : "");
            return trial.run(threads, executor);
        }
    }

    /** One row per trial: the model, its settings, what it measured; best first by the sweep's metric, failures last. */
    public static Table table(Sweep sweep, List<Trial.Result> rows) {
        List<Trial.Result> sorted = new ArrayList<>(rows);
        Comparator<Trial.Result> byMetric = Comparator.comparingDouble(r -> r.metric(sweep.metric()));
        if (sweep.higherIsBetter()) byMetric = byMetric.reversed();
        Comparator<Trial.Result> order = Comparator.<Trial.Result, Boolean>comparing(r -> !(r.ok() && Double.isFinite(r.metric(sweep.metric()))))
                .thenComparing(byMetric).thenComparingInt(r -> r.trial().index());
        sorted.sort(order);
        Table t = Table.create("sweep " + sweep.name() + " (by " + sweep.metric() + ")");
        IntColumn trial = IntColumn.create("trial");
        StringColumn model = StringColumn.create("model");
        t.addColumns(trial, model);
        Map<String, Object> firstSettings = sorted.isEmpty() ? Map.of() : sorted.get(0).trial().settings().columns();
        for (var e : firstSettings.entrySet()) {
            t.addColumns(e.getValue() instanceof String ? StringColumn.create(e.getKey())
                    : e.getValue() instanceof Integer ? IntColumn.create(e.getKey()) : DoubleColumn.create(e.getKey()));
        }
        LongColumn params = LongColumn.create("params");
        DoubleColumn trainLoss = DoubleColumn.create("train_loss"), trainAcc = DoubleColumn.create("train_accuracy");
        DoubleColumn valLoss = DoubleColumn.create("val_loss"), valAcc = DoubleColumn.create("val_accuracy");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        IntColumn threads = IntColumn.create("threads");
        StringColumn executor = StringColumn.create("ran_on"), status = StringColumn.create("status"), message = StringColumn.create("message");
        t.addColumns(params, trainLoss, trainAcc, valLoss, valAcc, seconds, threads, executor, status, message);
        for (Trial.Result r : sorted) {
            trial.append(r.trial().index());
            model.append(r.trial().model().name());
            for (var e : r.trial().settings().columns().entrySet()) {
                var col = t.column(e.getKey());
                if (col instanceof StringColumn sc) sc.append((String) e.getValue());
                else if (col instanceof IntColumn ic) ic.append((Integer) e.getValue());
                else ((DoubleColumn) col).append((Double) e.getValue());
            }
            params.append(r.params());
            trainLoss.append(r.trainLoss());
            trainAcc.append(r.trainAccuracy());
            valLoss.append(r.valLoss());
            valAcc.append(r.valAccuracy());
            seconds.append(Math.round(r.seconds() * 100) / 100.0);
            threads.append(r.threads());
            executor.append(r.executor());
            status.append(r.status());
            message.append(r.message().length() > 300 ? r.message().substring(0, 300) + "..." : r.message());
        }
        return t;
    }

    static String summary(Results r) {
        Trial.Result best = r.best();
        return String.format(Locale.ROOT, "%d trials in %.1f s (%s); best: %s", r.rows().size(), r.wallSeconds(), r.where(),
                best == null ? "none finished" : "trial " + best.trial().index() + " " + best.trial().model().name() + " "
                        + r.sweep().metric() + " " + String.format(Locale.ROOT, "%.4f", best.metric(r.sweep().metric())));
    }
}
