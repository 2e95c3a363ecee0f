package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import netbook.dsl.NetbookException;
import netbook.internal.djl.Scalar;

/**
 * The triplet loss of FaceNet (Schroff, Kalenichenko and Philbin, 2015) with its semi-hard
 * negatives, for a network whose output is an embedding rather than class scores. The embeddings
 * are L2-normalised, so distances lie in [0, 2]. For every anchor {@code a} and positive {@code p}
 * (another example of the same class in the batch), the negative {@code n} is the nearest
 * other-class example that is still farther from {@code a} than {@code p} (semi-hard); where there
 * is none, the farthest other-class example:
 * <pre>
 * loss = mean over (a, p) pairs of max(0, d(a, p) - d(a, n) + margin)        d = Euclidean distance
 * </pre>
 * Pairs whose anchor has no other class in the batch are left out. TensorFlow Addons'
 * {@code TripletSemiHardLoss} chooses negatives the same way. Not the batch-hard form (each
 * anchor's farthest positive and nearest negative): tried
 * first on Fashion-MNIST with AlexNet-small, it collapsed every embedding to one point within an
 * epoch (training loss stuck at the margin), the failure semi-hard negatives were chosen to avoid.
 * <p>Such a network classifies by {@link #nearestCentroid}: the class whose mean training embedding
 * is closest, by {@link #nearestNeighbour}: the class of the closest training embedding, or by
 * {@link #linearSvm}: a linear support vector machine for each pair of classes. Training with it:
 * {@code Fit.of(net, train).loss(Losses.triplet(0.2)).accuracy(false)},
 * the network's last layer as wide as the embedding.
 * <pre>Loss l = Losses.triplet(0.2);      // FaceNet's margin on unit-length embeddings</pre>
 */
public final class TripletLoss extends Loss {
    /** Larger than any distance on the unit sphere (2): keeps what a mask leaves out from being a minimum. */
    private static final double OUTSIDE = 4;
    private final double margin;

    TripletLoss(double margin) {
        super("triplet");
        if (!(margin > 0) || Double.isInfinite(margin)) {
            throw new NetbookException("Losses.triplet: the margin must be a positive number (0.2 is FaceNet's on unit-length embeddings), received " + margin);
        }
        this.margin = margin;
    }

    public double margin() { return margin; }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray e = predictions.head();
        if (e.getShape().dimension() != 2) {
            throw new NetbookException("Losses.triplet: the network's output must be one embedding per example, shape (batch, d); received "
                    + e.getShape());
        }
        long batch = e.getShape().get(0);
        DataType type = e.getDataType();
        NDArray y = labels.head().reshape(batch);
        NDArray d = distances(e);                                                           // [a, x]
        NDArray same = y.reshape(batch, 1).eq(y.reshape(1, batch)).toType(type, false);    // [a, x], the diagonal included
        NDArray other = same.neg().add(1);
        NDArray hasNegative = other.max(new int[] {1}, true);                               // [a, 1]
        NDArray pairs = same.sub(e.getManager().eye((int) batch).toType(type, false)).mul(hasNegative);   // [a, p]
        NDArray dap = d.expandDims(2);                                                      // [a, p, 1]
        NDArray dan = d.expandDims(1);                                                      // [a, 1, n]
        NDArray semiHard = dan.gt(dap).toType(type, false).mul(other.expandDims(1));        // [a, p, n]
        NDArray nearestFarther = dan.add(Scalar.mul(semiHard.neg().add(1), OUTSIDE)).min(new int[] {2});   // [a, p]
        NDArray found = semiHard.max(new int[] {2});                                        // [a, p]: 1 where one exists
        NDArray farthest = d.mul(other).max(new int[] {1}, true);                           // [a, 1]
        NDArray negative = nearestFarther.mul(found).add(farthest.mul(found.neg().add(1)));
        NDArray perPair = Scalar.maximum(d.sub(negative).add(margin), 0).mul(pairs);
        return perPair.sum().div(Scalar.maximum(pairs.sum(), 1));
    }

    /**
     * Euclidean distances between the L2-normalised rows of {@code e}: {@code sqrt(2 - 2 cos)}.
     * The square is held at 1e-12 or more, where the square root's slope is finite; the diagonal
     * (and any two equal embeddings) sits there with no gradient.
     */
    static NDArray distances(NDArray e) {
        NDArray z = e.div(e.square().sum(new int[] {1}, true).add(1e-12).sqrt());
        NDArray squared = Scalar.mul(z.matMul(z.transpose()), -2).add(2);
        return Scalar.maximum(squared, 1e-12).sqrt();
    }

    /**
     * The class of each query: the one whose centroid (the mean of its L2-normalised training
     * embeddings, normalised again) is nearest to the normalised query. Sums in double precision.
     *
     * @param train        training embeddings, one row per example
     * @param trainLabels  their classes, 0 to {@code classes - 1}
     * @param queries      embeddings to classify, as wide as the training ones
     */
    public static int[] nearestCentroid(float[][] train, int[] trainLabels, int classes, float[][] queries) {
        if (train.length == 0) throw new NetbookException("TripletLoss.nearestCentroid: no training embeddings");
        if (train.length != trainLabels.length) {
            throw new NetbookException("TripletLoss.nearestCentroid: " + train.length + " training embeddings but " + trainLabels.length + " labels");
        }
        int width = train[0].length;
        double[][] centroid = new double[classes][width];
        int[] count = new int[classes];
        for (int i = 0; i < train.length; i++) {
            int c = trainLabels[i];
            if (c < 0 || c >= classes) {
                throw new NetbookException("TripletLoss.nearestCentroid: training example " + i + " has class " + c + ", outside 0.." + (classes - 1));
            }
            double[] z = unit(train[i], width, "training example " + i, "TripletLoss.nearestCentroid");
            for (int j = 0; j < width; j++) centroid[c][j] += z[j];
            count[c]++;
        }
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) throw new NetbookException("TripletLoss.nearestCentroid: class " + c + " has no training example, so no centroid");
            double norm = 0;
            for (double v : centroid[c]) norm += v * v;
            norm = Math.sqrt(norm);
            for (int j = 0; j < width; j++) centroid[c][j] = norm > 0 ? centroid[c][j] / norm : 0;
        }
        int[] out = new int[queries.length];
        for (int i = 0; i < queries.length; i++) {
            double[] z = unit(queries[i], width, "query " + i, "TripletLoss.nearestCentroid");
            int best = 0;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double dot = 0;
                for (int j = 0; j < width; j++) dot += z[j] * centroid[c][j];
                // On the unit sphere the nearest centroid has the largest dot product.
                if (dot > bestDot) {
                    bestDot = dot;
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The class of each query: that of the nearest training embedding (one nearest neighbour), all
     * L2-normalised, so the one with the largest dot product; a tie goes to the earlier training
     * example. The Fashion-MNIST benchmark's triplet-loss AlexNet row was classified this way or by a
     * linear SVM on its embeddings. Dot products are summed in double precision in a fixed order,
     * so the answer does not depend on the CPU or on how the queries are spread over threads.
     *
     * @param train        training embeddings, one row per example
     * @param trainLabels  their classes
     * @param queries      embeddings to classify, as wide as the training ones
     */
    public static int[] nearestNeighbour(float[][] train, int[] trainLabels, float[][] queries) {
        String where = "TripletLoss.nearestNeighbour";
        if (train.length == 0) throw new NetbookException(where + ": no training embeddings");
        if (train.length != trainLabels.length) {
            throw new NetbookException(where + ": " + train.length + " training embeddings but " + trainLabels.length + " labels");
        }
        int width = train[0].length;
        double[][] points = new double[train.length][];
        for (int i = 0; i < train.length; i++) points[i] = unit(train[i], width, "training example " + i, where);
        double[][] z = new double[queries.length][];
        for (int q = 0; q < queries.length; q++) z[q] = unit(queries[q], width, "query " + q, where);
        int[] out = new int[queries.length];
        // Queries in blocks, so that each training embedding is read from memory once per block
        // rather than once per query (60,000 of them are 30 MB). Every (query, training example)
        // dot product is summed in the same order whatever the block, so the answer is the
        // sequential one.
        int block = 16;
        java.util.stream.IntStream.range(0, (queries.length + block - 1) / block).parallel().forEach(b -> {
            int from = b * block;
            int to = Math.min(queries.length, from + block);
            int[] best = new int[to - from];
            double[] bestDot = new double[to - from];
            java.util.Arrays.fill(bestDot, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < points.length; i++) {
                double[] x = points[i];
                for (int q = from; q < to; q++) {
                    double dot = dot(z[q], x);
                    if (dot > bestDot[q - from]) {
                        bestDot[q - from] = dot;
                        best[q - from] = i;
                    }
                }
            }
            for (int q = from; q < to; q++) out[q] = trainLabels[best[q - from]];
        });
        return out;
    }

    /**
     * The class of each query by a linear support vector machine on the L2-normalised embeddings,
     * as scikit-learn's {@code SVC(kernel='linear', C=1)} answers: one binary machine for every pair
     * of classes, trained on that pair's examples, each voting for one class of its pair; the class
     * with most votes wins, a tie going to the lower class. Each binary machine minimises
     * {@code ||w||^2 / 2 + C * sum(max(0, 1 - y (w.x + b)))} by coordinate descent on its dual
     * (Hsieh et al., ICML 2008, LIBLINEAR's solver), visiting examples in an order drawn from
     * {@code seed}, until a pass's largest projected gradient is within {@link #SVM_TOLERANCE} of its
     * smallest (LIBLINEAR's rule) or after {@link #SVM_MAX_PASSES} passes. One difference from scikit-learn's solver: the bias is learned
     * as the weight of a constant input 1, so it is regularised with {@code w} (as in LIBLINEAR).
     * The Fashion-MNIST benchmark's triplet-loss AlexNet row was classified this way or by
     * {@link #nearestNeighbour}. The pairs train in parallel; each is sequential, so the answer does
     * not depend on the threads.
     *
     * @param train        training embeddings, one row per example
     * @param trainLabels  their classes, 0 to {@code classes - 1}
     * @param classes      how many classes
     * @param queries      embeddings to classify, as wide as the training ones
     * @param c            the cost of a margin violation (scikit-learn's default 1)
     * @param seed         the order in which the solver visits examples
     */
    public static int[] linearSvm(float[][] train, int[] trainLabels, int classes, float[][] queries, double c, long seed) {
        String where = "TripletLoss.linearSvm";
        if (train.length == 0) throw new NetbookException(where + ": no training embeddings");
        if (train.length != trainLabels.length) {
            throw new NetbookException(where + ": " + train.length + " training embeddings but " + trainLabels.length + " labels");
        }
        if (!(c > 0) || Double.isInfinite(c)) throw new NetbookException(where + ": C must be a positive number (1 is scikit-learn's default), received " + c);
        if (classes < 2) throw new NetbookException(where + ": a classifier needs at least 2 classes, received " + classes);
        int width = train[0].length;
        double[][] x = new double[train.length][];
        java.util.List<java.util.List<Integer>> byClass = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) byClass.add(new java.util.ArrayList<>());
        for (int i = 0; i < train.length; i++) {
            int k = trainLabels[i];
            if (k < 0 || k >= classes) throw new NetbookException(where + ": training example " + i + " has class " + k + ", outside 0.." + (classes - 1));
            x[i] = withBias(unit(train[i], width, "training example " + i, where));
            byClass.get(k).add(i);
        }
        for (int k = 0; k < classes; k++) {
            if (byClass.get(k).isEmpty()) throw new NetbookException(where + ": class " + k + " has no training example");
        }
        double[][] z = new double[queries.length][];
        for (int q = 0; q < queries.length; q++) z[q] = withBias(unit(queries[q], width, "query " + q, where));
        int pairs = classes * (classes - 1) / 2;
        double[][] weights = new double[pairs][];
        int[][] pairOf = new int[pairs][];
        for (int a = 0, p = 0; a < classes; a++) for (int b = a + 1; b < classes; b++, p++) pairOf[p] = new int[] {a, b};
        java.util.stream.IntStream.range(0, pairs).parallel().forEach(p -> {
            java.util.List<Integer> positive = byClass.get(pairOf[p][0]);
            java.util.List<Integer> negative = byClass.get(pairOf[p][1]);
            double[][] xs = new double[positive.size() + negative.size()][];
            double[] ys = new double[xs.length];
            int n = 0;
            for (int i : positive) { xs[n] = x[i]; ys[n++] = 1; }
            for (int i : negative) { xs[n] = x[i]; ys[n++] = -1; }
            weights[p] = binarySvm(xs, ys, c, seed + p);
        });
        int[] out = new int[queries.length];
        for (int q = 0; q < queries.length; q++) {
            int[] votes = new int[classes];
            for (int p = 0; p < pairs; p++) votes[dot(weights[p], z[q]) > 0 ? pairOf[p][0] : pairOf[p][1]]++;
            int best = 0;
            for (int k = 1; k < classes; k++) if (votes[k] > votes[best]) best = k;
            out[q] = best;
        }
        return out;
    }

    /** The dual solver's stopping rule: the largest projected gradient minus the smallest (LIBLINEAR's 0.1, tightened). */
    static final double SVM_TOLERANCE = 0.01;
    /** At most this many passes over a pair's examples. */
    static final int SVM_MAX_PASSES = 1000;

    /**
     * The weights (the bias last) of a binary linear SVM with labels +1 and -1, by dual coordinate
     * descent: for each example in turn, the one-variable optimum of its dual coefficient in [0, C].
     */
    static double[] binarySvm(double[][] x, double[] y, double c, long seed) {
        int n = x.length;
        int width = x[0].length;
        double[] w = new double[width];
        double[] alpha = new double[n];
        double[] diagonal = new double[n];
        for (int i = 0; i < n; i++) diagonal[i] = dot(x[i], x[i]);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Random random = new java.util.Random(seed);
        for (int pass = 0; pass < SVM_MAX_PASSES; pass++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double largest = Double.NEGATIVE_INFINITY;
            double smallest = Double.POSITIVE_INFINITY;
            for (int i : order) {
                double gradient = y[i] * dot(w, x[i]) - 1;
                double projected = alpha[i] == 0 ? Math.min(gradient, 0) : alpha[i] == c ? Math.max(gradient, 0) : gradient;
                largest = Math.max(largest, projected);
                smallest = Math.min(smallest, projected);
                if (projected != 0) {
                    double before = alpha[i];
                    alpha[i] = Math.min(Math.max(before - gradient / diagonal[i], 0), c);
                    double step = (alpha[i] - before) * y[i];
                    for (int j = 0; j < width; j++) w[j] += step * x[i][j];
                }
            }
            if (largest - smallest < SVM_TOLERANCE) break;
        }
        return w;
    }

    private static double[] withBias(double[] v) {
        double[] out = java.util.Arrays.copyOf(v, v.length + 1);
        out[v.length] = 1;
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) sum += a[j] * b[j];
        return sum;
    }

    private static double[] unit(float[] v, int width, String what, String where) {
        if (v.length != width) {
            throw new NetbookException(where + ": " + what + " has " + v.length + " values, the first training embedding " + width);
        }
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        norm = Math.sqrt(norm) + 1e-12;
        double[] z = new double[width];
        for (int j = 0; j < width; j++) z[j] = v[j] / norm;
        return z;
    }

    @Override
    public String toString() { return "triplet loss, semi-hard negatives, margin " + margin; }
}
