package netbook.train;

import java.util.Map;
import netbook.dsl.NetbookException;

/**
 * Stops when a metric has not improved for {@code patience} epochs in which it was measured and,
 * by default, puts back the parameters of the best epoch. Epochs without the metric (a model that
 * validates every few epochs) do not count. After a resumed run, patience counts from the resume. Lower is better for losses, higher for anything else
 * (accuracy); {@link #minimize}/{@link #maximize} override that.
 * <pre>EarlyStopping.on("val_loss").patience(2)            // restore-best is on
 * EarlyStopping.on("val_accuracy").patience(3).keepLast()</pre>
 */
public final class EarlyStopping implements Callback {
    private final String metric;
    private final int patience;
    private final boolean lowerIsBetter;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bestEpoch;
    private int stale;
    private Snapshot bestParameters;
    private boolean seen;

    private EarlyStopping(String metric, int patience, boolean lowerIsBetter, boolean restoreBest) {
        this.metric = metric;
        this.patience = patience;
        this.lowerIsBetter = lowerIsBetter;
        this.restoreBest = restoreBest;
    }

    /** Early stopping on a metric of the epoch table, patience 1, restore-best on. */
    public static EarlyStopping on(String metric) {
        return new EarlyStopping(metric, 1, metric.endsWith("loss"), true);
    }

    public EarlyStopping patience(int epochs) {
        if (epochs < 1) throw new NetbookException("EarlyStopping.patience: at least 1 epoch, received " + epochs);
        return new EarlyStopping(metric, epochs, lowerIsBetter, restoreBest);
    }

    public EarlyStopping minimize() { return new EarlyStopping(metric, patience, true, restoreBest); }
    public EarlyStopping maximize() { return new EarlyStopping(metric, patience, false, restoreBest); }

    /** Keep the last epoch's parameters instead of the best one's. */
    public EarlyStopping keepLast() { return new EarlyStopping(metric, patience, lowerIsBetter, false); }

    /** The best epoch seen (1-based), 0 before the first. */
    public int bestEpoch() { return bestEpoch; }

    @Override
    public Decision afterEpoch(Run run, Map<String, Object> metrics) {
        Object v = metrics.get(metric);
        if (v == null && seen) return Decision.CONTINUE;   // evaluated every few epochs only
        if (!(v instanceof Number n)) {
            throw new NetbookException("EarlyStopping: the epoch table has no metric '" + metric + "'; it has "
                    + metrics.keySet() + (metric.startsWith("val_") ? " (val_ metrics need .validation(data))" : ""));
        }
        seen = true;
        double x = n.doubleValue();
        if (Double.isNaN(x)) return Decision.CONTINUE;
        boolean better = Double.isNaN(best) || (lowerIsBetter ? x < best : x > best);
        if (better) {
            best = x;
            bestEpoch = run.epoch();
            stale = 0;
            if (restoreBest) bestParameters = run.snapshot();
            return Decision.CONTINUE;
        }
        stale++;
        return stale >= patience ? Decision.STOP : Decision.CONTINUE;
    }

    @Override
    public void afterTraining(Run run) {
        if (restoreBest && bestParameters != null) {
            run.restore(bestParameters);
        }
    }

    @Override
    public String toString() {
        return "EarlyStopping(" + metric + ", patience " + patience + (restoreBest ? ", restore best" : "") + ")";
    }
}
