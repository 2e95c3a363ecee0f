package netbook.pcrec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import netbook.data.Interactions;
import netbook.data.SampledRanking;
import netbook.loss.BprLoss;
import netbook.train.EarlyStopping;
import netbook.train.InPlaceOptimizer;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainingLoop;
import tech.tablesaw.api.Table;
import netbook.internal.djl.Scalar;

/**
 * Embedding recommenders trained with BPR ({@link BprLoss}): matrix factorisation ({@code layers 0}:
 * score = {@code <e_u, e_i>}) and LightGCN (He et al. 2020; {@code layers K > 0}: embeddings
 * propagated K times over the symmetric-normalised user-item graph and averaged,
 * {@code E = mean(E0, A E0, ..., A^K E0)}, {@code A = D^-1/2 [[0, R], [R^T, 0]] D^-1/2}).
 * <p>Training follows LightGCN's reference code: an epoch draws as many (user, positive,
 * negative) triples as there are training interactions (a uniform user, one of its items, a
 * uniform item it never interacted with), loss = BPR + lambda * 1/2 (|u0|^2 + |i0|^2 + |j0|^2)/B
 * on the layer-0 embeddings, Adam, through the {@link TrainingLoop}. Every {@code evalEvery} epochs
 * the model is scored on the validation cases (NDCG@10); {@link EarlyStopping} keeps the best
 * epoch's embeddings and stops after {@code patienceEpochs} epochs without improvement.
 * <p>Initial embeddings are N(0, 0.1^2) (LightGCN's), or given rows ({@link Init}), which may be
 * frozen: their gradients are masked to zero, so with Adam and no weight decay they never move.
 * <pre>
 * Trained mf = BprRecommender.train("BPR-MF", split.train(), valid, Config.mf(), Init.random(), Progress.none());
 * split.test(99, seed).evaluate(mf, 10);
 * </pre>
 */
public final class BprRecommender {
    private BprRecommender() {}

    /** Training settings. */
    public record Config(
            int dim,            // embedding size
            int layers,         // 0 = matrix factorisation, K > 0 = LightGCN with K propagation layers
            double lr,          // Adam
            double l2,          // lambda of the L2 term
            int batchSize,
            int epochs,         // at most
            int evalEvery,      // epochs between validation checks
            int patienceEpochs, // epochs without a better validation score before stopping (the same for every model)
            long seed) {
        /**
         * Matrix factorisation, dim 64, Adam lr 0.005, lambda 1e-4, batch 1024, up to 100 epochs,
         * validation every 2 epochs, stopping after 10 epochs without a better score.
         */
        public static Config mf() {
            return new Config(64, 0, 0.005, 1e-4, 1024, 100, 2, 10, 42);
        }

        /** LightGCN's defaults: 3 layers, dim 64, lambda 1e-4, batch 2048 (here with the same lr as MF). */
        public static Config lightGcn() {
            return new Config(64, 3, 0.005, 1e-4, 2048, 100, 2, 10, 42);
        }

        public Config epochs(int n) { return new Config(dim, layers, lr, l2, batchSize, n, evalEvery, patienceEpochs, seed); }
        public Config lr(double r) { return new Config(dim, layers, r, l2, batchSize, epochs, evalEvery, patienceEpochs, seed); }
        public Config layers(int k) { return new Config(dim, k, lr, l2, batchSize, epochs, evalEvery, patienceEpochs, seed); }
        public Config batchSize(int b) { return new Config(dim, layers, lr, l2, b, epochs, evalEvery, patienceEpochs, seed); }
        public Config seed(long s) { return new Config(dim, layers, lr, l2, batchSize, epochs, evalEvery, patienceEpochs, s); }
        /**
         * Epochs without a better validation score before training stops. Counted in epochs, not
         * in validation checks, so a model that starts from pre-trained values and one that starts
         * from random values get the same patience whatever their other settings.
         */
        public Config patienceEpochs(int n) {
            if (n < 1) throw new netbook.dsl.NetbookException("BprRecommender.Config.patienceEpochs: at least 1 epoch, received " + n);
            return new Config(dim, layers, lr, l2, batchSize, epochs, evalEvery, n, seed);
        }

        public Config dim(int d) { return new Config(d, layers, lr, l2, batchSize, epochs, evalEvery, patienceEpochs, seed); }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s dim %d, Adam lr %.4f, lambda %.0e, batch %d, <= %d epochs (validation every %d, patience %d epochs), seed %d",
                    layers == 0 ? "MF" : "LightGCN " + layers + " layers", dim, lr, l2, batchSize, epochs, evalEvery, patienceEpochs, seed);
        }
    }

    /**
     * Initial embeddings: rows given in {@code users}/{@code items} (a null array or null row:
     * random), frozen when {@code freezeGiven}. Given rows must have the configured dim.
     */
    public record Init(float[][] users, float[][] items, boolean freezeGiven) {
        public static Init random() {
            return new Init(null, null, false);
        }
    }

    /** A trained model: the best epoch's final embeddings, which score users and items by dot product. */
    public record Trained(String name, float[][] users, float[][] items, int bestEpoch, int epochsRun,
                          double[] loss, double[] validNdcg, double seconds) implements SampledRanking.Scorer {
        @Override
        public double score(int user, int item) {
            float[] u = users[user];
            float[] v = items[item];
            double s = 0;
            for (int d = 0; d < u.length; d++) s += u[d] * v[d];
            return s;
        }

        /** This model seen through maps of user and item numbers (for a model trained on merged data). */
        public SampledRanking.Scorer mapped(IntUnaryOperator user, IntUnaryOperator item) {
            return (u, i) -> score(user.applyAsInt(u), item.applyAsInt(i));
        }
    }

    /** Trains on {@code train} (its own user and item numbering), choosing the epoch by {@code valid}. */
    public static Trained train(String name, Interactions train, SampledRanking valid, Config c, Init init, Progress progress) {
        int[] us = new int[train.size()];
        int[] is = new int[train.size()];
        for (int r = 0; r < us.length; r++) {
            us[r] = train.user(r);
            is[r] = train.item(r);
        }
        return train(name, train.users(), train.items(), us, is, valid, c, init, progress);
    }

    /** Trains on user-item pairs {@code (users[e], items[e])}. */
    public static Trained train(String name, int numUsers, int numItems, int[] users, int[] items, SampledRanking valid,
                                Config c, Init init, Progress progress) {
        long t0 = System.nanoTime();
        TrainingLoop.seedEngine(c.seed);
        Random rnd = new Random(c.seed);
        int[][] pos = positives(numUsers, users, items);
        int[] active = java.util.stream.IntStream.range(0, numUsers).filter(u -> pos[u].length > 0).toArray();
        try (NDManager base = NDManager.newBaseManager()) {
            boolean[] frozenU = new boolean[numUsers];
            boolean[] frozenI = new boolean[numItems];
            NDArray eu = base.create(initial(numUsers, c.dim, init.users, frozenU, init.freezeGiven, rnd), new Shape(numUsers, c.dim));
            NDArray ei = base.create(initial(numItems, c.dim, init.items, frozenI, init.freezeGiven, rnd), new Shape(numItems, c.dim));
            NDArray maskU = any(frozenU) ? mask(base, frozenU) : null;
            NDArray maskI = any(frozenI) ? mask(base, frozenI) : null;
            List<Pair<String, NDArray>> params = List.of(new Pair<>("users", eu), new Pair<>("items", ei));
            NDArray adj = c.layers > 0 ? normalisedAdjacency(base, numUsers, numItems, pos) : null;
            int draws = users.length;
            int stepsPerEpoch = (draws + c.batchSize - 1) / c.batchSize;
            TrainingLoop.Task task = new TrainingLoop.Task() {
                private long[][] triples;

                @Override public int stepsPerEpoch() { return stepsPerEpoch; }
                @Override public List<Pair<String, NDArray>> state() { return params; }

                /** As many (user, positive, negative) triples as there are interactions, drawn from (seed, epoch). */
                @Override
                public List<int[]> batches(int epoch) {
                    triples = sample(active, pos, numItems, draws, new Random(TrainingLoop.epochSeed(c.seed, epoch)));
                    List<int[]> out = new ArrayList<>();
                    for (int from = 0; from < draws; from += c.batchSize) {
                        out.add(java.util.stream.IntStream.range(from, Math.min(draws, from + c.batchSize)).toArray());
                    }
                    return out;
                }

                /** BPR on the (propagated) embeddings + lambda * L2 of the layer-0 rows. */
                @Override
                public TrainingLoop.StepLoss forward(NDManager scope, int[] batch, int epoch, int step) {
                    NDArray bu = scope.create(pick(triples[0], batch));
                    NDArray bi = scope.create(pick(triples[1], batch));
                    NDArray bj = scope.create(pick(triples[2], batch));
                    NDArray u0 = rows(eu, bu), i0 = rows(ei, bi), j0 = rows(ei, bj);
                    NDArray fu = u0, fi = i0, fj = j0;
                    if (adj != null) {
                        adj.tempAttach(scope);
                        NDArray f = propagate(adj, eu, ei, c.layers);
                        fu = rows(f, bu);
                        fi = rows(f, bi.add(numUsers));
                        fj = rows(f, bj.add(numUsers));
                    }
                    NDArray sPos = fu.mul(fi).sum(new int[] {1});
                    NDArray sNeg = fu.mul(fj).sum(new int[] {1});
                    return new TrainingLoop.StepLoss(BprLoss.loss(sPos, sNeg).add(Scalar.mul(BprLoss.l2(u0, i0, j0), c.l2)));
                }

                /** Frozen rows get no gradient; with Adam and no decay they never move. */
                @Override
                public void beforeUpdate() {
                    if (maskU != null) eu.getGradient().muli(maskU);
                    if (maskI != null) ei.getGradient().muli(maskI);
                }

                @Override
                public Map<String, Double> evaluate(int epoch) {
                    if (valid == null || valid.cases().isEmpty()) return Map.of();
                    if (epoch % c.evalEvery != 0 && epoch != c.epochs) return Map.of(NDCG, Double.NaN);   // not measured this epoch
                    float[][][] e = finalEmbeddings(base, eu, ei, adj, numUsers, c.layers);
                    return Map.of(NDCG, valid.evaluate(new Trained(name, e[0], e[1], epoch, epoch, null, null, 0), 10).ndcg());
                }
            };
            // EarlyStopping counts validation checks; the config counts epochs
            EarlyStopping stopping = EarlyStopping.on(NDCG).maximize().patience((c.patienceEpochs + c.evalEvery - 1) / c.evalEvery);
            boolean validates = valid != null && !valid.cases().isEmpty();
            TrainingLoop.Result r;
            try (InPlaceOptimizer adam = InPlaceOptimizer.ofArrays(Optimizers.adam(c.lr), params, base, stepsPerEpoch,
                    stepsPerEpoch * c.epochs)) {
                r = TrainingLoop.of(name, task, adam).epochs(c.epochs).seed(c.seed).progress(progress)
                        .callbacks(validates ? List.of(stopping) : List.of()).run();
            }
            float[][][] best = finalEmbeddings(base, eu, ei, adj, numUsers, c.layers);
            Table t = r.epochs();
            double[] ndcgs = t.containsColumn(NDCG) ? t.doubleColumn(NDCG).asDoubleArray() : new double[t.rowCount()];
            if (!t.containsColumn(NDCG)) Arrays.fill(ndcgs, Double.NaN);
            return new Trained(name, best[0], best[1], validates ? stopping.bestEpoch() : r.epochsRun(), r.epochsRun(),
                    t.doubleColumn("train_loss").asDoubleArray(), ndcgs, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static final String NDCG = "valid_ndcg@10";

    private static long[] pick(long[] values, int[] index) {
        long[] out = new long[index.length];
        for (int i = 0; i < index.length; i++) out[i] = values[index[i]];
        return out;
    }

    /** Rows of {@code table} at {@code index}: a lookup whose gradient flows to the table. */
    private static NDArray rows(NDArray table, NDArray index) {
        return ai.djl.nn.core.Embedding.embedding(index, table, SparseFormat.DENSE).head();
    }

    /** LightGCN: mean of E0, A E0, ..., A^K E0 over the stacked user and item embeddings. */
    static NDArray propagate(NDArray adj, NDArray eu, NDArray ei, int layers) {
        NDArray e = eu.concat(ei, 0);
        NDArray sum = e;
        for (int k = 0; k < layers; k++) {
            e = adj.matMul(e);
            sum = sum.add(e);
        }
        return Scalar.div(sum, layers + 1);
    }

    private static float[][][] finalEmbeddings(NDManager base, NDArray eu, NDArray ei, NDArray adj, int numUsers, int layers) {
        try (NDManager sub = base.newSubManager()) {
            NDArray f;
            if (adj == null) {
                return new float[][][] {matrix(eu), matrix(ei)};
            }
            eu.tempAttach(sub);
            ei.tempAttach(sub);
            adj.tempAttach(sub);
            f = propagate(adj, eu, ei, layers);
            float[][] all = matrix(f);
            return new float[][][] {Arrays.copyOfRange(all, 0, numUsers), Arrays.copyOfRange(all, numUsers, all.length)};
        }
    }

    private static float[][] matrix(NDArray a) {
        int r = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[r][];
        for (int i = 0; i < r; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return out;
    }

    /** The symmetric-normalised adjacency of the user-item graph, sparse (COO), users first. */
    static NDArray normalisedAdjacency(NDManager manager, int numUsers, int numItems, int[][] pos) {
        int n = numUsers + numItems;
        int[] deg = new int[n];
        int edges = 0;
        for (int u = 0; u < numUsers; u++) {
            deg[u] = pos[u].length;
            for (int i : pos[u]) deg[numUsers + i]++;
            edges += pos[u].length;
        }
        long[][] idx = new long[2][2 * edges];
        float[] val = new float[2 * edges];
        int k = 0;
        for (int u = 0; u < numUsers; u++) {
            for (int i : pos[u]) {
                float w = (float) (1 / Math.sqrt((double) deg[u] * deg[numUsers + i]));
                idx[0][k] = u;
                idx[1][k] = numUsers + i;
                val[k++] = w;
                idx[0][k] = numUsers + i;
                idx[1][k] = u;
                val[k++] = w;
            }
        }
        // DJL's createCoo builds the sparse tensor over temporary arrays that may view Java buffers and
        // frees them at once; the sparse tensor then reads freed memory. Engine-owned copies are safe.
        try (NDArray i0 = manager.create(idx); NDArray v0 = manager.create(val)) {
            NDArray indices = i0.duplicate();
            NDArray values = v0.duplicate();
            return ai.djl.pytorch.jni.JniUtils.createSparseCoo((ai.djl.pytorch.engine.PtNDArray) indices,
                    (ai.djl.pytorch.engine.PtNDArray) values, new Shape(n, n));
        }
    }

    /** Distinct items per user, ascending. */
    static int[][] positives(int numUsers, int[] users, int[] items) {
        List<java.util.TreeSet<Integer>> sets = new ArrayList<>();
        for (int u = 0; u < numUsers; u++) sets.add(new java.util.TreeSet<>());
        for (int e = 0; e < users.length; e++) sets.get(users[e]).add(items[e]);
        int[][] out = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) out[u] = sets.get(u).stream().mapToInt(Integer::intValue).toArray();
        return out;
    }

    /** LightGCN's uniform sampler: a random active user, one of its items, an item it never interacted with. */
    static long[][] sample(int[] active, int[][] pos, int numItems, int draws, Random rnd) {
        long[][] t = new long[3][draws];
        for (int d = 0; d < draws; d++) {
            int u = active[rnd.nextInt(active.length)];
            int[] p = pos[u];
            t[0][d] = u;
            t[1][d] = p[rnd.nextInt(p.length)];
            if (p.length >= numItems) {
                t[2][d] = p[rnd.nextInt(p.length)]; // no negative exists; a zero-difference pair
                continue;
            }
            int j;
            do {
                j = rnd.nextInt(numItems);
            } while (Arrays.binarySearch(p, j) >= 0);
            t[2][d] = j;
        }
        return t;
    }

    private static float[] initial(int rows, int dim, float[][] given, boolean[] frozen, boolean freeze, Random rnd) {
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            float[] g = given != null && r < given.length ? given[r] : null;
            if (g != null) {
                if (g.length != dim) {
                    throw new IllegalArgumentException("BprRecommender: initial embedding " + r + " has " + g.length + " values, expected " + dim);
                }
                System.arraycopy(g, 0, out, r * dim, dim);
                frozen[r] = freeze;
            } else {
                for (int d = 0; d < dim; d++) out[r * dim + d] = (float) (0.1 * rnd.nextGaussian());
            }
        }
        return out;
    }

    private static boolean any(boolean[] b) {
        for (boolean x : b) if (x) return true;
        return false;
    }

    private static NDArray mask(NDManager m, boolean[] frozen) {
        float[] v = new float[frozen.length];
        for (int i = 0; i < v.length; i++) v[i] = frozen[i] ? 0 : 1;
        return m.create(v, new Shape(v.length, 1));
    }
}
