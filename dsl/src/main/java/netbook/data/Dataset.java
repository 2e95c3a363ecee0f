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
}
