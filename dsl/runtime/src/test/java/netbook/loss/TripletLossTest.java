package netbook.loss;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import netbook.data.ArrayDataset;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.train.Fit;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;

/** The batch-hard triplet loss and nearest-centroid classification, against values worked out by hand. */
class TripletLossTest {
    /**
     * Four points on the unit circle, given at other lengths (the loss normalises them):
     * p0 = (1, 0) and p1 = (0.6, 0.8) of class 0, p2 = (0, 1) and p3 = (-0.8, -0.6) of class 1.
     * Distances: p0p1 = sqrt(0.8), p0p2 = sqrt(2), p0p3 = sqrt(3.6), p1p2 = sqrt(0.4), p1p3 = sqrt(3.92),
     * p2p3 = sqrt(3.2). Each (anchor, positive) pair takes the nearest negative farther than its
     * positive, or the farthest negative where none is:
     * (p0, p1): p2 at sqrt(2);  (p1, p0): p3 at sqrt(3.92);  (p2, p3): none farther than sqrt(3.2),
     * so the farthest, p0 at sqrt(2);  (p3, p2): p0 at sqrt(3.6).
     * Margin 0.2: only (p2, p3) and (p3, p2) are inside it; margin 0.6 adds (p0, p1). Mean over 4 pairs.
     */
    @Test
    void eachPairTakesTheNearestNegativeFartherThanItsPositive() {
        double at02 = ((Math.sqrt(3.2) - Math.sqrt(2) + 0.2) + (Math.sqrt(3.2) - Math.sqrt(3.6) + 0.2)) / 4;
        double at06 = ((Math.sqrt(0.8) - Math.sqrt(2) + 0.6) + (Math.sqrt(3.2) - Math.sqrt(2) + 0.6) + (Math.sqrt(3.2) - Math.sqrt(3.6) + 0.6)) / 4;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(POINTS, new Shape(4, 2));
            NDArray y = m.create(LABELS);
            assertEquals(at02, Losses.triplet(0.2).evaluate(new NDList(y), new NDList(e)).getFloat(), 1e-5);
            assertEquals(at06, Losses.triplet(0.6).evaluate(new NDList(y), new NDList(e)).getFloat(), 1e-5);
        }
    }

    /** The four points above at lengths 3, 0.5, 2 and 0.5, with their classes. */
    private static final float[] POINTS = {3, 0, 0.3f, 0.4f, 0, 2, -0.4f, -0.3f};
    private static final float[] LABELS = {0, 0, 1, 1};

    /** A batch already separated by more than the margin costs nothing, and a single-class batch too (no negative). */
    @Test
    void separatedClassesAndSingleClassBatchesCostNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(new float[] {1, 0, 0.99f, 0.05f, -1, 0, -0.98f, -0.1f}, new Shape(4, 2));
            assertEquals(0, Losses.triplet(0.2).evaluate(new NDList(m.create(new float[] {0, 0, 1, 1})), new NDList(e)).getFloat(), 1e-7);
            assertEquals(0, Losses.triplet(0.2).evaluate(new NDList(m.create(new float[] {2, 2, 2, 2})), new NDList(e)).getFloat(), 1e-7);
        }
    }

    /**
     * The gradient against central differences at the four points above (margin 0.2: two pairs
     * inside the margin, every point in one of them); the analytic and numeric slopes must agree.
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        float[] points = POINTS;
        float[] labels = LABELS;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(points, new Shape(4, 2));
            e.setRequiresGradient(true);
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray loss = Losses.triplet(0.2).evaluate(new NDList(m.create(labels)), new NDList(e));
                gc.backward(loss);
            }
            float[] analytic = e.getGradient().toFloatArray();
            double h = 1e-3;
            for (int i = 0; i < points.length; i++) {
                float[] up = points.clone();
                float[] down = points.clone();
                up[i] += (float) h;
                down[i] -= (float) h;
                double numeric = (lossOf(m, up, labels) - lossOf(m, down, labels)) / (2 * h);
                assertEquals(numeric, analytic[i], 2e-3, "d loss / d coordinate " + i);
            }
        }
    }

    private static double lossOf(NDManager m, float[] points, float[] labels) {
        return Losses.triplet(0.2).evaluate(new NDList(m.create(labels)), new NDList(m.create(points, new Shape(4, 2)))).getFloat();
    }

    /** Centroids (1, 0) and (0, 1) after normalising; (-1, 0.1) is nearer the second (dot 0.0995 against -0.995). */
    @Test
    void nearestCentroidPicksTheClosestNormalisedMean() {
        float[][] train = {{1, 0}, {2, 0}, {0, 1}};
        int[] labels = {0, 0, 1};
        assertArrayEquals(new int[] {0, 1, 1}, TripletLoss.nearestCentroid(train, labels, 2, new float[][] {{0.9f, 0.1f}, {0.1f, 0.9f}, {-1, 0.1f}}));
    }

    /**
     * (0.9, 0.35) is nearer the class-1 example (0.8, 0.6) (dots 0.930 and 0.900 before dividing by
     * the query's length) but nearer class 0's centroid (1, 0) than class 1's, (1, 2) normalised
     * (0.900 against 0.715): the two rules answer differently. Two equal training examples tie,
     * and the tie goes to the earlier one.
     */
    @Test
    void nearestNeighbourTakesTheClassOfTheClosestExample() {
        float[][] train = {{1, 0}, {0, 1}, {0.8f, 0.6f}};
        int[] labels = {0, 1, 1};
        float[][] query = {{0.9f, 0.35f}};
        assertArrayEquals(new int[] {1}, TripletLoss.nearestNeighbour(train, labels, query));
        assertArrayEquals(new int[] {0}, TripletLoss.nearestCentroid(train, labels, 2, query));
        assertArrayEquals(new int[] {7, 7}, TripletLoss.nearestNeighbour(new float[][] {{1, 0}, {1, 0}}, new int[] {7, 3}, new float[][] {{5, 0}, {1, 0.1f}}));
        NetbookException width = assertThrows(NetbookException.class,
                () -> TripletLoss.nearestNeighbour(new float[][] {{1, 0}}, new int[] {0}, new float[][] {{1, 0}, {1}}));
        assertTrue(width.getMessage().contains("TripletLoss.nearestNeighbour: query 1 has 1 values, the first training embedding 2"), width.getMessage());
    }

    /** The blocked, parallel search answers as a plain search over every pair does (more queries than one block). */
    @Test
    void nearestNeighbourAgreesWithAPlainSearch() {
        java.util.Random r = new java.util.Random(11);
        float[][] train = new float[300][5];
        int[] labels = new int[train.length];
        float[][] queries = new float[101][5];
        for (int i = 0; i < train.length; i++) {
            for (int j = 0; j < 5; j++) train[i][j] = (float) r.nextGaussian();
            labels[i] = i % 10;
        }
        for (float[] q : queries) for (int j = 0; j < 5; j++) q[j] = (float) r.nextGaussian();
        int[] expected = new int[queries.length];
        for (int q = 0; q < queries.length; q++) {
            double best = -2;
            for (int i = 0; i < train.length; i++) {
                double dot = 0, nq = 0, nt = 0;
                for (int j = 0; j < 5; j++) {
                    dot += (double) queries[q][j] * train[i][j];
                    nq += (double) queries[q][j] * queries[q][j];
                    nt += (double) train[i][j] * train[i][j];
                }
                double cos = dot / Math.sqrt(nq) / Math.sqrt(nt);
                if (cos > best) {
                    best = cos;
                    expected[q] = labels[i];
                }
            }
        }
        assertArrayEquals(expected, TripletLoss.nearestNeighbour(train, labels, queries));
    }

    /**
     * Two examples, (2, 1) labelled +1 and (0, 1) labelled -1, the second coordinate standing for
     * the bias. By hand: the dual's Q is [[5, -1], [-1, 1]]; its unconstrained optimum is
     * alpha = (0.5, 1.5), so w = 0.5 (2, 1) - 1.5 (0, 1) = (1, -1), the hard margin's answer (2w + b = 1,
     * b = -1). With C = 1 the second coefficient stops at 1, the first moves to 0.4, and w = (0.8, -0.6).
     * The solver stops at a projected gradient of 0.01, hence the tolerance.
     */
    @Test
    void binarySvmReachesTheOptimumSolvedByHand() {
        double[][] x = {{2, 1}, {0, 1}};
        double[] y = {1, -1};
        double[] loose = TripletLoss.binarySvm(x, y, 2, 1);
        assertEquals(1, loose[0], 0.01);
        assertEquals(-1, loose[1], 0.01);
        double[] capped = TripletLoss.binarySvm(x, y, 1, 1);
        assertEquals(0.8, capped[0], 0.01);
        assertEquals(-0.6, capped[1], 0.01);
    }

    /** Three classes around 0, 120 and 240 degrees on the circle: each pair's machine separates them, and the votes name each query's class. */
    @Test
    void linearSvmVotesAcrossThePairsOfClasses() {
        float[][] train = new float[30][];
        int[] labels = new int[30];
        for (int i = 0; i < 30; i++) {
            int k = i % 3;
            double angle = Math.toRadians(120 * k + (i / 3 - 5) * 4);   // within 20 degrees of the class's direction
            train[i] = new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
            labels[i] = k;
        }
        float[][] queries = {{(float) Math.cos(Math.toRadians(30)), (float) Math.sin(Math.toRadians(30))},
                {(float) Math.cos(Math.toRadians(100)), (float) Math.sin(Math.toRadians(100))},
                {(float) Math.cos(Math.toRadians(265)), (float) Math.sin(Math.toRadians(265))}};
        assertArrayEquals(new int[] {0, 1, 2}, TripletLoss.linearSvm(train, labels, 3, queries, 1, 42));
        NetbookException cost = assertThrows(NetbookException.class, () -> TripletLoss.linearSvm(train, labels, 3, queries, 0, 42));
        assertTrue(cost.getMessage().contains("TripletLoss.linearSvm: C must be a positive number"), cost.getMessage());
        NetbookException missing = assertThrows(NetbookException.class, () -> TripletLoss.linearSvm(train, labels, 4, queries, 1, 42));
        assertTrue(missing.getMessage().contains("class 3 has no training example"), missing.getMessage());
    }

    @Test
    void badInputIsRefusedWithWhatIsWrong() {
        NetbookException margin = assertThrows(NetbookException.class, () -> Losses.triplet(0));
        assertTrue(margin.getMessage().contains("margin must be a positive number"), margin.getMessage());
        NetbookException empty = assertThrows(NetbookException.class,
                () -> TripletLoss.nearestCentroid(new float[][] {{1, 0}}, new int[] {0}, 2, new float[][] {{1, 0}}));
        assertTrue(empty.getMessage().contains("class 1 has no training example"), empty.getMessage());
        NetbookException width = assertThrows(NetbookException.class,
                () -> TripletLoss.nearestCentroid(new float[][] {{1, 0}, {0, 1}}, new int[] {0, 1}, 2, new float[][] {{1, 0, 0}}));
        assertTrue(width.getMessage().contains("query 0 has 3 values, the first training embedding 2"), width.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            NetbookException rank = assertThrows(NetbookException.class, () -> Losses.triplet(0.2)
                    .evaluate(new NDList(m.create(new float[] {0, 1})), new NDList(m.create(new float[8], new Shape(2, 2, 2)))));
            assertTrue(rank.getMessage().contains("shape (batch, d)"), rank.getMessage());
        }
    }

    /**
     * Trained with the engine on four overlapping Gaussian classes, an 8-dimensional embedding
     * classifies held-out examples by nearest centroid far above chance: 0.25, with a standard
     * error of 0.027 on 256 examples, so 0.6 is chance plus 13 standard errors. The classes overlap
     * (means 2.8 apart, unit noise), so no classifier gets near 1; 0.80 was reached on the machine
     * this was written on.
     */
    @Test
    void trainedEmbeddingsClassifyByNearestCentroid() {
        ArrayDataset train = clusters(512, 1);
        ArrayDataset test = clusters(256, 2);
        Net net = Net.input(8).named("embedder").add(linear(32), relu(), linear(8));
        try (TrainedModel model = Fit.of(net, train).loss(Losses.triplet(0.2)).accuracy(false)
                .optimizer(netbook.train.Optimizers.adam(0.01)).epochs(40).batchSize(64).seed(5).run()) {
            var losses = model.metrics().doubleColumn("train_loss");
            assertTrue(losses.get(losses.size() - 1) < losses.get(0), "the triplet loss falls: " + losses.asList());
            int[] trainLabels = new int[train.size()];
            for (int i = 0; i < trainLabels.length; i++) trainLabels[i] = train.label(i);
            int[] predicted = TripletLoss.nearestCentroid(model.predict(train), trainLabels, 4, model.predict(test));
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == test.label(i)) correct++;
            assertTrue(correct > 0.6 * test.size(), correct + " of " + test.size() + " correct");
        }
    }

    /** Four classes around the corners 2 * e_c of the first four axes of eight, unit Gaussian noise on every axis. */
    private static ArrayDataset clusters(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * 8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(4);
            for (int j = 0; j < 8; j++) x[i * 8 + j] = (float) r.nextGaussian() + (j == y[i] ? 2 : 0);
        }
        return new ArrayDataset("clusters-" + seed, x, netbook.dsl.Shape.of(8), y, 4, null);
    }
}
