package netbook.recipes;

import java.util.Arrays;
import java.util.Locale;
import netbook.dsl.NetbookException;

/**
 * How a claim is read across seeds: the mean of per-seed values with a two-sided 95% Student-t
 * interval, and a verdict on paired differences (same seed, same data, only the compared setting
 * changed). "within noise" means the interval of the differences contains zero: the runs do not
 * tell the two settings apart, whatever the means say.
 * <pre>
 * Seeds.Interval d = Seeds.interval(deepError[0] - shallowError[0], deepError[1] - shallowError[1], ...);
 * d.verdict()   // "higher", "lower" or "within noise"
 * </pre>
 */
public final class Seeds {
    private Seeds() {}

    /** Student's t 0.975 quantiles for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /** The 0.975 quantile of Student's t with {@code df} degrees of freedom (tabled to 30, then 1.96 + 2.4/df, within 0.002). */
    static double t975(int df) {
        if (df < 1) throw new NetbookException("a t interval needs at least 2 values (1 degree of freedom), received " + (df + 1));
        return df <= T975.length ? T975[df - 1] : 1.96 + 2.4 / df;
    }

    /** A mean and its 95% interval over {@code n} seeds. */
    public record Interval(int n, double mean, double halfWidth) {
        public double low() { return mean - halfWidth; }
        public double high() { return mean + halfWidth; }

        /** For paired differences: "higher" (interval above 0), "lower" (below 0) or "within noise". */
        public String verdict() {
            return low() > 0 ? "higher" : high() < 0 ? "lower" : "within noise";
        }

        @Override public String toString() {
            return String.format(Locale.ROOT, "%.4f ± %.4f (95%%, %d seeds)", mean, halfWidth, n);
        }
    }

    /** Mean and 95% t interval of at least two values; NaN or infinite values are an error (a diverged run is reported, not averaged). */
    public static Interval interval(double... values) {
        if (values.length < 2) {
            throw new NetbookException("an interval needs at least 2 seeds, received " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new NetbookException("seed " + (i + 1) + " of " + values.length + " gave " + values[i] + "; report that run instead of averaging it");
            }
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (values.length - 1));
        return new Interval(values.length, mean, t975(values.length - 1) * sd / Math.sqrt(values.length));
    }

    /** The interval of the paired differences {@code a[i] - b[i]}. */
    public static Interval pairedDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new NetbookException("paired seeds differ in number: " + a.length + " against " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return interval(d);
    }
}
