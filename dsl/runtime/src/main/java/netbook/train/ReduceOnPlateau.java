package netbook.train;

import java.util.Map;
import netbook.dsl.NetbookException;

/**
 * Multiplies the learning rate by {@code factor} when a metric has not improved for
 * {@code patience} epochs in which it was measured, as Keras's {@code ReduceLROnPlateau} and
 * PyTorch's {@code ReduceLROnPlateau} (mode rel, threshold 0) do; never below {@code minRate}.
 * Lower is better for losses, higher for anything else. Defaults: factor 0.1, patience 2, no floor.
 * <pre>ReduceOnPlateau.on("val_loss").factor(0.5).patience(1).minRate(1e-5)</pre>
 */
public final class ReduceOnPlateau implements Callback {
    private final String metric;
    private final double factor;
    private final int patience;
    private final double minRate;
    private double best = Double.NaN;
    private int stale;
    private int reductions;

    private ReduceOnPlateau(String metric, double factor, int patience, double minRate) {
        if (!(factor > 0 && factor < 1)) throw new NetbookException("ReduceOnPlateau.factor: must be in (0, 1), received " + factor);
        if (patience < 1) throw new NetbookException("ReduceOnPlateau.patience: at least 1 epoch, received " + patience);
        if (minRate < 0) throw new NetbookException("ReduceOnPlateau.minRate: zero or positive, received " + minRate);
        this.metric = metric;
        this.factor = factor;
        this.patience = patience;
        this.minRate = minRate;
    }

    public static ReduceOnPlateau on(String metric) { return new ReduceOnPlateau(metric, 0.1, 2, 0); }
    public ReduceOnPlateau factor(double f) { return new ReduceOnPlateau(metric, f, patience, minRate); }
    public ReduceOnPlateau patience(int epochs) { return new ReduceOnPlateau(metric, factor, epochs, minRate); }
    public ReduceOnPlateau minRate(double r) { return new ReduceOnPlateau(metric, factor, patience, r); }

    /** How many times the rate was reduced. */
    public int reductions() { return reductions; }

    @Override
    public Decision afterEpoch(Run run, Map<String, Object> metrics) {
        Object v = metrics.get(metric);
        if (v == null && !Double.isNaN(best)) return Decision.CONTINUE;
        if (!(v instanceof Number n)) {
            throw new NetbookException("ReduceOnPlateau: the epoch table has no metric '" + metric + "'; it has " + metrics.keySet()
                    + (metric.startsWith("val_") ? " (val_ metrics need .validation(data))" : ""));
        }
        double x = n.doubleValue();
        boolean lowerIsBetter = metric.endsWith("loss");
        if (Double.isNaN(best) || (lowerIsBetter ? x < best : x > best)) {
            best = x;
            stale = 0;
        } else if (++stale >= patience) {
            double rate = run.learningRate();
            double next = Math.max(minRate, rate * factor);
            if (next < rate) {
                run.scaleLearningRate(next / rate);
                reductions++;
            }
            stale = 0;
        }
        metrics.put("lr", run.learningRate());
        return Decision.CONTINUE;
    }

    @Override
    public String toString() {
        return "ReduceOnPlateau(" + metric + ", factor " + factor + ", patience " + patience + ")";
    }
}
