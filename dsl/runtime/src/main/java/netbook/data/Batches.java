package netbook.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The order in which a data set is visited: shuffled with a seed per epoch (the same seed and
 * epoch always give the same batches), or in order. The last short batch is kept.
 */
public final class Batches {
    private Batches() {}

    /** Index batches for one epoch. Epoch e of seed s shuffles with seed s * 1_000_003 + e. */
    public static List<int[]> of(int size, int batchSize, boolean shuffle, long seed, int epoch) {
        if (batchSize <= 0) {
            throw new netbook.dsl.NetbookException("batch size must be positive, received " + batchSize);
        }
        int[] order = shuffle ? ArrayDataset.permutation(size, new Random(seed * 1_000_003L + epoch)) : range(size);
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < size; start += batchSize) {
            int end = Math.min(size, start + batchSize);
            int[] b = new int[end - start];
            System.arraycopy(order, start, b, 0, b.length);
            out.add(b);
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
