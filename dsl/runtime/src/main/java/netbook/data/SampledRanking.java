package netbook.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sampled-negative ranking evaluation: for each held-out (user, item) the model scores that item
 * and {@code n} items the user never interacted with; the held-out item's rank among them gives
 * HR@k (hit when rank &lt; k) and NDCG@k ({@code 1 / log2(rank + 2)} when rank &lt; k, else 0),
 * averaged over users. Rank 0 is the top. Ties count against the held-out item (rank = number of
 * negatives scoring at least as high), so a model that scores everything equal gets no credit.
 * <pre>
 * SampledRanking.Result r = split.test(99, seed).evaluate(model::score, 10);
 * r.hr();  r.ndcg();
 * </pre>
 */
public final class SampledRanking {
    /** One held-out item and its sampled negatives. */
    public record Case(int user, int positive, int[] negatives) {}

    /** Scores items for a user; higher is better. */
    @FunctionalInterface
    public interface Scorer {
        double score(int user, int item);
    }

    /** Mean HR@k and NDCG@k over {@code users} cases, with the standard error of each mean. */
    public record Result(int k, double hr, double ndcg, double hrStdErr, double ndcgStdErr, int users) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "HR@%d %.4f ± %.4f, NDCG@%d %.4f ± %.4f (%d users)",
                    k, hr, hrStdErr, k, ndcg, ndcgStdErr, users);
        }
    }

    private final List<Case> cases;

    public SampledRanking(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    public List<Case> cases() {
        return cases;
    }

    /** The rank (0 = top) of a positive score among negative scores; ties count against the positive. */
    public static int rank(double positive, double[] negatives) {
        int r = 0;
        for (double s : negatives) {
            if (!(s < positive)) r++; // NaN scores also count against
        }
        return r;
    }

    /** 1 when {@code rank < k}. */
    public static double hit(int rank, int k) {
        return rank < k ? 1 : 0;
    }

    /** {@code 1 / log2(rank + 2)} when {@code rank < k}, else 0 (one relevant item, so IDCG = 1). */
    public static double ndcg(int rank, int k) {
        return rank < k ? Math.log(2) / Math.log(rank + 2) : 0;
    }

    /** HR@k and NDCG@k of a scorer over every case. */
    public Result evaluate(Scorer scorer, int k) {
        int[] ranks = ranks(scorer);
        double[] h = new double[ranks.length];
        double[] g = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            h[i] = hit(ranks[i], k);
            g[i] = ndcg(ranks[i], k);
        }
        return new Result(k, mean(h), mean(g), stdErr(h), stdErr(g), ranks.length);
    }

    /** The held-out item's rank for every case, in case order. */
    public int[] ranks(Scorer scorer) {
        int[] out = new int[cases.size()];
        for (int c = 0; c < out.length; c++) {
            Case cs = cases.get(c);
            double pos = scorer.score(cs.user, cs.positive);
            double[] neg = new double[cs.negatives.length];
            for (int j = 0; j < neg.length; j++) neg[j] = scorer.score(cs.user, cs.negatives[j]);
            out[c] = rank(pos, neg);
        }
        return out;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    private static double stdErr(double[] v) {
        if (v.length < 2) return Double.NaN;
        double m = mean(v);
        double ss = 0;
        for (double x : v) ss += (x - m) * (x - m);
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
