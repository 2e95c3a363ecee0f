package netbook.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import netbook.dsl.NetbookException;
import tech.tablesaw.api.Table;

/**
 * Runs an evaluation of your own every {@code n} steps or every {@code n} epochs (and once before
 * training, as a baseline) and keeps its results as a table (one row per evaluation: epoch, step,
 * fraction of epochs done, your values).
 * Evaluations every N epochs also go into the epoch's row of the metrics table, where
 * {@link EarlyStopping} and {@link ReduceOnPlateau} can watch them.
 * <pre>
 * EvaluateEvery probe = EvaluateEvery.steps(50, run -> Map.of("test_accuracy", accuracyOf(run.model())));
 * Fit.of(net, train).callbacks(probe).run();
 * probe.table();
 * </pre>
 */
public final class EvaluateEvery implements Callback {
    private final int every;
    private final boolean bySteps;
    private final Function<Run, Map<String, ? extends Number>> evaluation;
    private final Table table = Table.create("evaluations");
    private final java.util.Set<String> keys = new java.util.LinkedHashSet<>();

    private EvaluateEvery(int every, boolean bySteps, Function<Run, Map<String, ? extends Number>> evaluation) {
        if (every < 1) throw new NetbookException("EvaluateEvery: the interval must be at least 1, received " + every);
        if (evaluation == null) throw new NetbookException("EvaluateEvery: the evaluation is null");
        this.every = every;
        this.bySteps = bySteps;
        this.evaluation = evaluation;
    }

    public static EvaluateEvery steps(int n, Function<Run, Map<String, ? extends Number>> evaluation) {
        return new EvaluateEvery(n, true, evaluation);
    }

    public static EvaluateEvery epochs(int n, Function<Run, Map<String, ? extends Number>> evaluation) {
        return new EvaluateEvery(n, false, evaluation);
    }

    /** One row per evaluation. */
    public Table table() { return table; }

    /**
     * Every N epochs: a first evaluation before training, the baseline (row of epoch 0), which also
     * tells callbacks watching these values (early stopping) their names before they are measured.
     */
    @Override
    public void beforeTraining(Run run) {
        if (!bySteps) record(run);
    }

    @Override
    public Decision afterStep(Run run, Map<String, Double> values) {
        if (bySteps && run.step() % every == 0) record(run);
        return Decision.CONTINUE;
    }

    @Override
    public Decision afterEpoch(Run run, Map<String, Object> metrics) {
        if (!bySteps && run.epoch() % every == 0) metrics.putAll(record(run));
        else if (!bySteps) for (String k : keys) metrics.putIfAbsent(k, Double.NaN);   // not measured this epoch
        return Decision.CONTINUE;
    }

    private Map<String, Double> record(Run run) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, ? extends Number> got = evaluation.apply(run);
        if (got == null) throw new NetbookException("EvaluateEvery: the evaluation returned null; return a map of values");
        got.forEach((k, v) -> values.put(k, v == null ? Double.NaN : v.doubleValue()));
        keys.addAll(values.keySet());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", run.epoch());
        row.put("step", (int) run.step());
        row.put("epochs_done", run.epoch() == 0 ? 0.0 : (run.epoch() - 1) + (double) run.stepInEpoch() / run.stepsPerEpoch());
        row.putAll(values);
        TrainingLoop.append(table, row);
        return values;
    }

    @Override
    public String toString() { return "EvaluateEvery(" + every + (bySteps ? " steps)" : " epochs)"); }
}
