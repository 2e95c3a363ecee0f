package netbook.data;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;

/**
 * Examples held in memory: float features of one shape per example and, for classification,
 * integer labels. Immutable; {@link #head}, {@link #where} and {@link #sample} give views as copies.
 * <pre>ArrayDataset train = FashionMnist.train();   // 60,000 x (1, 28, 28), labels 0..9</pre>
 */
public final class ArrayDataset implements Dataset {
    private final String name;
    private final float[] features;
    private final Shape shape;
    private final int[] labels;
    private final int classes;
    private final String sourceHash;
    private final Tabular.Encoding encoding;
    private float[] targets;   // regression targets instead of labels; set once by regression(...)
    private java.util.List<String> classNames;   // null: the classes are their numbers

    public ArrayDataset(String name, float[] features, Shape shape, int[] labels, int classes, String sourceHash) {
        this(name, features, shape, labels, classes, sourceHash, null);
    }

    /**
     * Labelled examples held in memory, one row of features each (a flat vector; reshape in the
     * network, or use the constructor for image-shaped data). The classes are 0 to the largest label.
     * <pre>ArrayDataset d = ArrayDataset.of(new float[][] {{0, 1}, {1, 0}}, new int[] {1, 0});</pre>
     */
    public static ArrayDataset of(float[][] rows, int[] labels) {
        if (rows.length == 0) throw new NetbookException("ArrayDataset.of: no rows");
        if (labels.length != rows.length) {
            throw new NetbookException("ArrayDataset.of: " + rows.length + " rows but " + labels.length + " labels");
        }
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        int classes = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new NetbookException("ArrayDataset.of: row " + i + " has " + rows[i].length + " values, row 0 has " + width);
            }
            if (labels[i] < 0) throw new NetbookException("ArrayDataset.of: label " + labels[i] + " of row " + i + " is negative");
            System.arraycopy(rows[i], 0, flat, i * width, width);
            classes = Math.max(classes, labels[i] + 1);
        }
        return new ArrayDataset("arrays", flat, Shape.of(width), labels, classes, null);
    }

    private ArrayDataset(String name, float[] features, Shape shape, int[] labels, int classes, String sourceHash,
                         Tabular.Encoding encoding) {
        this.encoding = encoding;
        this.name = name;
        this.features = features;
        this.shape = shape;
        this.labels = labels;
        this.classes = classes;
        this.sourceHash = sourceHash == null ? "in-memory" : sourceHash;
        if (features.length % shape.size() != 0) {
            throw new NetbookException(name + ": " + features.length + " feature values do not split into examples of " + shape);
        }
        if (labels != null && labels.length != size()) {
            throw new NetbookException(name + ": " + size() + " examples but " + labels.length + " labels");
        }
    }

    @Override
    public String name() { return name; }
    @Override
    public int size() { return (int) (features.length / shape.size()); }
    @Override
    public Shape shape() { return shape; }
    @Override
    public int classes() { return classes; }
    @Override
    public boolean hasLabels() { return labels != null; }
    /** SHA-256 of the files this data was read from (or "in-memory"), for reproducibility stamps. */
    @Override
    public String sourceHash() { return sourceHash; }

    @Override
    public int label(int i) { return labels[i]; }

    @Override
    public void read(int[] idx, float[] dst) {
        int n = (int) shape.size();
        for (int i = 0; i < idx.length; i++) System.arraycopy(features, idx[i] * n, dst, i * n, n);
    }

    /** Copies example {@code i}'s features into {@code dst} at {@code offset}. */
    public void copyFeatures(int i, float[] dst, int offset) {
        int n = (int) shape.size();
        System.arraycopy(features, i * n, dst, offset, n);
    }

    /** Examples with numeric targets (regression): one float per example, no classes. */
    public static ArrayDataset regression(String name, float[] features, Shape shape, float[] targets, String sourceHash) {
        ArrayDataset d = new ArrayDataset(name, features, shape, null, 0, sourceHash);
        if (targets == null || targets.length != d.size()) {
            throw new NetbookException(name + ": " + d.size() + " examples but " + (targets == null ? "no" : String.valueOf(targets.length)) + " targets");
        }
        d.targets = targets.clone();
        return d;
    }

    @Override
    public boolean isRegression() { return targets != null; }

    @Override
    public float target(int i) {
        if (targets == null) throw new NetbookException(name + " holds classes, not numeric targets");
        return targets[i];
    }

    /** The same examples, stamped with the SHA-256 of the file they came from. */
    public ArrayDataset withHash(String sha256) {
        return withTargets(new ArrayDataset(name, features, shape, labels, classes, sha256, encoding), targets);
    }

    private ArrayDataset withTargets(ArrayDataset d, float[] t) {
        d.targets = t;
        d.classNames = classNames;
        return d;
    }

    /** The same examples with a name for each class (index by index); predictions and per-class tables use them. */
    public ArrayDataset withClassNames(java.util.List<String> names) {
        if (names == null || names.size() != classes) {
            throw new NetbookException(name + ".withClassNames: " + classes + " classes need " + classes + " names, received "
                    + (names == null ? "none" : names.size() + " " + names));
        }
        if (names.stream().anyMatch(n -> n == null || n.isBlank()) || new java.util.HashSet<>(names).size() != names.size()) {
            throw new NetbookException(name + ".withClassNames: class names must be distinct and not blank, received " + names);
        }
        ArrayDataset d = withTargets(new ArrayDataset(name, features, shape, labels, classes, sourceHash, encoding), targets);
        d.classNames = java.util.List.copyOf(names);
        return d;
    }

    @Override
    public java.util.List<String> classNames() { return classNames != null ? classNames : Dataset.super.classNames(); }

    /** How rows of a table became these examples ({@link Tabular}); null for other data. A model trained on it keeps it. */
    @Override
    public Tabular.Encoding encoding() { return encoding; }

    ArrayDataset withEncoding(Tabular.Encoding e) {
        ArrayDataset d = withTargets(new ArrayDataset(name, features, shape, labels, classes, sourceHash, e), targets);
        if (e != null && !e.regression() && e.classes().size() == classes) d.classNames = List.copyOf(e.classes());
        return d;
    }

    /** The first {@code n} examples. */
    public ArrayDataset head(int n) {
        if (n < 0) throw new NetbookException(name + ".head(" + n + "): the number of examples must be zero or positive");
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return select(idx, name + "[:" + idx.length + "]");
    }

    /** A seeded random sample of {@code n} examples. */
    public ArrayDataset sample(int n, long seed) {
        if (n < 0) throw new NetbookException(name + ".sample(" + n + "): the number of examples must be zero or positive");
        int[] perm = permutation(size(), new Random(seed));
        return select(Arrays.copyOf(perm, Math.min(n, size())), name + "[sample " + n + "]");
    }

    /** The examples whose label is in {@code keep}, relabelled 0..k-1 in that order. */
    public ArrayDataset where(int... keep) {
        if (labels == null) throw new NetbookException(name + " has no labels to select on");
        int[] map = new int[Math.max(classes, Arrays.stream(keep).max().orElse(0) + 1)];
        Arrays.fill(map, -1);
        for (int j = 0; j < keep.length; j++) map[keep[j]] = j;
        int[] idx = java.util.stream.IntStream.range(0, size()).filter(i -> map[labels[i]] >= 0).toArray();
        ArrayDataset sel = select(idx, name + Arrays.toString(keep));
        int[] relabelled = Arrays.stream(idx).map(i -> map[labels[i]]).toArray();
        ArrayDataset d = new ArrayDataset(sel.name, sel.features, shape, relabelled, keep.length, sourceHash, null);
        if (classNames != null) d.classNames = Arrays.stream(keep).mapToObj(classNames::get).toList();
        return d;
    }

    /** A copy of every example's features, one example after another (row-major). */
    public float[] features() {
        return features.clone();
    }

    /** Every feature value plus {@code delta}: {@code shifted(-0.5f)} centres pixels in [0, 1] on 0. */
    public ArrayDataset shifted(float delta) {
        float[] f = new float[features.length];
        for (int i = 0; i < f.length; i++) f[i] = features[i] + delta;
        return copyWith(name + " shifted " + delta, f, shape);
    }

    /** Images (C, H, W) with {@code pad} pixels of value 0 added on every side: 28x28 padded by 2 is 32x32. */
    public ArrayDataset padded(int pad) {
        if (shape.rank() != 3) throw new NetbookException(name + ".padded(" + pad + "): needs images (C, H, W), these examples are " + shape);
        if (pad < 0) throw new NetbookException(name + ".padded(" + pad + "): the padding must be zero or positive");
        int c = (int) shape.dim(0);
        int h = (int) shape.dim(1);
        int w = (int) shape.dim(2);
        int ho = h + 2 * pad;
        int wo = w + 2 * pad;
        float[] f = new float[size() * c * ho * wo];
        for (int n = 0; n < size(); n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(features, ((n * c + ch) * h + i) * w, f, ((n * c + ch) * ho + i + pad) * wo + pad, w);
                }
            }
        }
        return copyWith(name + " padded to " + ho + "x" + wo, f, Shape.of(c, ho, wo));
    }

    private ArrayDataset copyWith(String newName, float[] f, Shape newShape) {
        ArrayDataset d = withTargets(new ArrayDataset(newName, f, newShape, labels, classes, sourceHash, encoding), targets);
        d.classNames = classNames;
        return d;
    }

    /** The variance of every feature value over every example (how VQ-VAE papers normalise the MSE). */
    public double variance() {
        double sum = 0;
        double sq = 0;
        for (float v : features) {
            sum += v;
            sq += (double) v * v;
        }
        double count = features.length;
        double mean = sum / count;
        return sq / count - mean * mean;
    }

    /** The examples at {@code idx}, in that order. */
    public ArrayDataset select(int[] idx, String newName) {
        int n = (int) shape.size();
        float[] f = new float[idx.length * n];
        int[] l = labels == null ? null : new int[idx.length];
        float[] t = targets == null ? null : new float[idx.length];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(features, idx[j] * n, f, j * n, n);
            if (l != null) l[j] = labels[idx[j]];
            if (t != null) t[j] = targets[idx[j]];
        }
        return withTargets(new ArrayDataset(newName, f, shape, l, classes, sourceHash, encoding), t);
    }

    /** A seeded permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return name + ": " + size() + " examples of " + shape + (labels != null ? ", " + classes + " classes" : "")
                + (targets != null ? ", numeric targets" : "");
    }
}
