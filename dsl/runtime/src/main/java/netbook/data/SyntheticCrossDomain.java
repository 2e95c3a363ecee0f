package netbook.data;

import java.util.Locale;
import java.util.Random;

/**
 * A seeded synthetic pair of domains with known structure, so cross-domain claims can be tested
 * without downloads. Every person {@code u} has a latent taste {@code z_u} (dimension {@code dim});
 * items have latent vectors {@code v_i} and a Zipf popularity {@code p_i}. A person chooses items
 * without replacement with probability proportional to {@code exp(sharpness * taste . v_i) * p_i}.
 * <ul>
 * <li>target taste = {@code z_u};</li>
 * <li>source taste = {@code sqrt(1 - bias) z_u + sqrt(bias) b_u} with {@code b_u} independent:
 *     {@code sourceBias} 0 makes the source an exact guide to the target, 1 an unrelated one;</li>
 * <li>{@code overlap} is the fraction of people active in both domains (the rest split evenly
 *     between source-only and target-only); {@code sourceMean}/{@code targetMean} are the mean
 *     interactions per person (sparsity);</li>
 * <li>timestamps increase per person, so leave-one-out by time holds out a random later choice.</li>
 * </ul>
 * <pre>
 * CrossDomain raw = SyntheticCrossDomain.generate(SyntheticCrossDomain.Config.QUICK);
 * </pre>
 */
public final class SyntheticCrossDomain {
    private SyntheticCrossDomain() {}

    /** Generator settings. */
    public record Config(
            int users,            // people in total (either domain)
            int sourceItems,
            int targetItems,
            int dim,              // latent taste dimensions
            double overlap,       // fraction of people in both domains
            double sourceBias,    // 0: source taste = target taste; 1: independent
            double sourceMean,    // mean interactions per source user
            double targetMean,    // mean interactions per target user
            double sharpness,     // inverse temperature of choice: 0 = taste ignored
            double popularity,    // Zipf exponent of item popularity: 0 = uniform
            long seed) {
        /** About 800 people, 10-core source and 5-core target survive mostly; seconds to train on. */
        public static final Config QUICK = new Config(800, 400, 300, 8, 0.7, 0.5, 24, 10, 3.0, 0.8, 42);
        /** About 4,000 people. */
        public static final Config FULL = new Config(4000, 1500, 1000, 16, 0.7, 0.5, 30, 12, 3.0, 0.8, 42);

        public Config seed(long s) {
            return new Config(users, sourceItems, targetItems, dim, overlap, sourceBias, sourceMean, targetMean, sharpness, popularity, s);
        }

        public Config sourceBias(double b) {
            return new Config(users, sourceItems, targetItems, dim, overlap, b, sourceMean, targetMean, sharpness, popularity, seed);
        }

        public Config overlap(double o) {
            return new Config(users, sourceItems, targetItems, dim, o, sourceBias, sourceMean, targetMean, sharpness, popularity, seed);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "synthetic: %d people, %d source items, %d target items, dim %d, overlap %.2f, "
                            + "source bias %.2f, %.0f/%.0f interactions per source/target user, sharpness %.1f, popularity %.2f, seed %d",
                    users, sourceItems, targetItems, dim, overlap, sourceBias, sourceMean, targetMean, sharpness, popularity, seed);
        }
    }

    /** The two domains, users aligned (shared users first). Not yet k-core filtered. */
    public static CrossDomain generate(Config c) {
        if (c.overlap < 0 || c.overlap > 1 || c.sourceBias < 0 || c.sourceBias > 1) {
            throw new netbook.dsl.NetbookException("SyntheticCrossDomain: overlap and sourceBias must be in [0, 1], received "
                    + c.overlap + " and " + c.sourceBias);
        }
        Random rnd = new Random(c.seed);
        double[][] z = gaussian(rnd, c.users, c.dim);
        double[][] b = gaussian(rnd, c.users, c.dim);
        double[][] vs = gaussian(rnd, c.sourceItems, c.dim);
        double[][] vt = gaussian(rnd, c.targetItems, c.dim);
        double[] ps = zipf(rnd, c.sourceItems, c.popularity);
        double[] pt = zipf(rnd, c.targetItems, c.popularity);
        double a = Math.sqrt(1 - c.sourceBias);
        double e = Math.sqrt(c.sourceBias);
        Interactions.Builder source = Interactions.builder("synthetic source");
        Interactions.Builder target = Interactions.builder("synthetic target");
        for (int u = 0; u < c.users; u++) {
            double r = rnd.nextDouble();
            boolean inSource = r < c.overlap || r < c.overlap + (1 - c.overlap) / 2;
            boolean inTarget = r < c.overlap || r >= c.overlap + (1 - c.overlap) / 2;
            String id = String.format(Locale.ROOT, "u%05d", u);
            if (inSource) {
                double[] taste = new double[c.dim];
                for (int d = 0; d < c.dim; d++) taste[d] = a * z[u][d] + e * b[u][d];
                choose(source, id, "s", taste, vs, ps, c.sourceMean, c.sharpness, rnd);
            }
            if (inTarget) {
                choose(target, id, "t", z[u], vt, pt, c.targetMean, c.sharpness, rnd);
            }
        }
        return CrossDomain.align(source.build(), target.build());
    }

    private static void choose(Interactions.Builder out, String user, String prefix, double[] taste, double[][] items,
                               double[] pop, double mean, double sharpness, Random rnd) {
        int n = Math.max(1, (int) Math.round(mean * (0.5 + 0.5 * -Math.log(1 - rnd.nextDouble()))));
        n = Math.min(n, items.length);
        // Gumbel top-n: sampling n items without replacement, proportional to the weights.
        double[] key = new double[items.length];
        Integer[] idx = new Integer[items.length];
        double scale = Math.sqrt(taste.length);
        for (int i = 0; i < items.length; i++) {
            double dot = 0;
            for (int d = 0; d < taste.length; d++) dot += taste[d] * items[i][d];
            double logit = sharpness * dot / scale + Math.log(pop[i]);
            key[i] = logit - Math.log(-Math.log(rnd.nextDouble() * (1 - 1e-12) + 1e-12));
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> Double.compare(key[y], key[x]));
        for (int j = n - 1; j > 0; j--) { // choice order is random in time
            int k = rnd.nextInt(j + 1);
            Integer tmp = idx[j];
            idx[j] = idx[k];
            idx[k] = tmp;
        }
        long t = 1_300_000_000L + rnd.nextInt(10_000_000);
        for (int j = 0; j < n; j++) {
            int i = idx[j];
            double dot = 0;
            for (int d = 0; d < taste.length; d++) dot += taste[d] * items[i][d];
            float rating = (float) Math.max(1, Math.min(5, Math.round(4 + dot / scale)));
            t += 1 + (long) (86_400 * -Math.log(1 - rnd.nextDouble()));
            out.add(user, String.format(Locale.ROOT, "%s%05d", prefix, i), rating, t);
        }
    }

    private static double[][] gaussian(Random rnd, int n, int d) {
        double[][] m = new double[n][d];
        for (double[] row : m) {
            for (int j = 0; j < d; j++) row[j] = rnd.nextGaussian();
        }
        return m;
    }

    /** Popularity proportional to rank^-s, ranks shuffled over the items. */
    private static double[] zipf(Random rnd, int n, double s) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = Math.pow(i + 1, -s);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            double t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
