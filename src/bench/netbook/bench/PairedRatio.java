package netbook.bench;

import java.util.List;
import java.util.Locale;

/**
 * The ratio of two sides measured in pairs (round i of Netbook, then round i of the peer, back to
 * back, so both see the same state of a shared machine): the geometric mean of the per-round
 * ratios and a 95% interval from Student's t on their logarithms. A target is met only when the
 * whole interval clears it; an interval that straddles it is "within noise", not a pass.
 *
 * <pre>{@code
 * PairedRatio r = PairedRatio.of(List.of(34.0, 36.1, 33.2), List.of(35.0, 35.5, 34.9));
 * r.verdict(1.0, true);   // "within noise"
 * }</pre>
 */
record PairedRatio(double mean, double low, double high, int rounds) {
    /** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    static final PairedRatio NONE = new PairedRatio(Double.NaN, Double.NaN, Double.NaN, 0);

    /** Pairs {@code ours.get(i)} with {@code peer.get(i)}; NONE when the peer is missing. */
    static PairedRatio of(List<Double> ours, List<Double> peer) {
        if (peer.isEmpty()) {
            return NONE;
        }
        if (ours.size() != peer.size()) {
            throw new IllegalArgumentException("paired rounds differ in number: " + ours.size() + " vs " + peer.size());
        }
        int n = ours.size();
        double[] logs = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double a = ours.get(i);
            double b = peer.get(i);
            if (!(a > 0) || !(b > 0)) {
                throw new IllegalArgumentException("round " + (i + 1) + ": a paired figure is not positive (" + a + ", " + b + ")");
            }
            logs[i] = Math.log(a / b);
            sum += logs[i];
        }
        double m = sum / n;
        if (n < 2) {
            return new PairedRatio(Math.exp(m), Double.NaN, Double.NaN, n);
        }
        double ss = 0;
        for (double l : logs) {
            ss += (l - m) * (l - m);
        }
        double half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new PairedRatio(Math.exp(m), Math.exp(m - half), Math.exp(m + half), n);
    }

    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        return df <= T975.length ? T975[df - 1] : 1.96;
    }

    /**
     * "pass" when the interval clears {@code target} (at or above it when {@code higherIsBetter},
     * at or below otherwise), "FAIL" when it lies wholly on the wrong side, else "within noise".
     */
    String verdict(double target, boolean higherIsBetter) {
        if (Double.isNaN(mean)) {
            return "no peer";
        }
        if (Double.isNaN(low)) {
            return "one round";
        }
        if (higherIsBetter) {
            return low >= target ? "pass" : high < target ? "FAIL" : "within noise";
        }
        return high <= target ? "pass" : low > target ? "FAIL" : "within noise";
    }

    /** The interval as text, such as {@code 0.91-1.03}; "-" without one. */
    String interval() {
        return Double.isNaN(low) ? "-" : String.format(Locale.ROOT, "%.3f-%.3f", low, high);
    }
}
