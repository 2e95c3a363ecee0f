package netbook.data;

import netbook.dsl.Shape;

/**
 * Examples read batch by batch: held in memory ({@link ArrayDataset}) or read from files when a
 * batch needs them ({@link ImageFolder.Images#streamedFor}). Training prefetches the next batch on
 * a background thread while the current step runs; what a batch holds depends only on which
 * examples it asks for, so the order of reads never changes a result.
 */
public interface Dataset {
    String name();

    int size();

    /** The shape of one example, without the batch axis. */
    Shape shape();

    /** Number of classes for labelled data (0 when unknown). */
    int classes();

    boolean hasLabels();

    int label(int i);

    /** SHA-256 of the source (or "in-memory"), for reproducibility stamps. */
    String sourceHash();

    /** Writes the features of examples {@code idx}, one after another, into {@code dst}; safe to call from several threads. */
    void read(int[] idx, float[] dst);

    /** Whether the targets are numbers to predict ({@link #target}) rather than classes ({@link #label}). */
    default boolean isRegression() { return false; }

    /** Example {@code i}'s numeric target (regression data only). */
    default float target(int i) {
        throw new netbook.dsl.NetbookException(name() + " holds classes, not numeric targets");
    }

    /**
     * The name of each class, index by index: a folder's sub-folder names, a label column's values,
     * Fashion-MNIST's garment names; the class numbers ("0", "1", ...) where there are none.
     */
    default java.util.List<String> classNames() {
        return java.util.stream.IntStream.range(0, classes()).mapToObj(String::valueOf).toList();
    }

    /** How table rows became these examples; null for other data. */
    default Tabular.Encoding encoding() { return null; }

    /**
     * Per-channel (images) or per-feature (vectors) mean and standard deviation over every example
     * of this data set, as the network's first layer: compute them on the training set only, and the same layer
     * serves the test set and a saved model: {@code net.prepend(train.normalization())}.
     */
    default netbook.dsl.spec.Normalize normalization() {
        Shape s = shape();
        int channels = (int) s.dim(0);
        long perChannel = s.size() / channels;
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        float[] x = new float[(int) s.size()];
        for (int i = 0; i < size(); i++) {
            read(new int[] {i}, x);
            for (int j = 0; j < x.length; j++) {
                int c = (int) (j / perChannel);
                sum[c] += x[j];
                sq[c] += (double) x[j] * x[j];
            }
        }
        double count = (double) size() * perChannel;
        if (count == 0) throw netbook.dsl.ShapeException.of("Normalize", name() + " is empty; there is nothing to take statistics of");
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
            double var = Math.max(0, sq[c] / count - mean[c] * mean[c]);
            std[c] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        return new netbook.dsl.spec.Normalize(mean, std);
    }
}
