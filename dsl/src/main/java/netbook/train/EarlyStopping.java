package netbook.train;

import java.util.Map;
import netbook.dsl.NetbookException;

/**
 * Stops when a metric has not improved for {@code patience} epochs and, by default, puts back
 * the parameters of the best epoch. Lower is better for losses, higher for anything else
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
    public Decision afterEpoch(int epoch, Map<String, Object> metrics, Parameters parameters) {
        Object v = metrics.get(metric);
        if (!(v instanceof Number n)) {
            throw new NetbookException("EarlyStopping: the epoch table has no metric '" + metric + "'; it has "
                    + metrics.keySet() + (metric.startsWith("val_") ? " (val_ metrics need .validation(data))" : ""));
        }
        double x = n.doubleValue();
        boolean better = Double.isNaN(best) || (lowerIsBetter ? x < best : x > best);
        if (better) {
            best = x;
            bestEpoch = epoch;
            stale = 0;
            if (restoreBest) bestParameters = parameters.snapshot();
            return Decision.CONTINUE;
        }
        stale++;
        return stale >= patience ? Decision.STOP : Decision.CONTINUE;
    }

    @Override
    public void afterTraining(Parameters parameters) {
        if (restoreBest && bestParameters != null) {
            parameters.restore(bestParameters);
        }
    }

    @Override
    public String toString() {
        return "EarlyStopping(" + metric + ", patience " + patience + (restoreBest ? ", restore best" : "") + ")";
    }
}
