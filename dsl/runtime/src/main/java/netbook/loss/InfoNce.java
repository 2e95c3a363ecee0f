package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import netbook.internal.djl.Scalar;

/**
 * InfoNCE as MoCo and GCC compute it: with L2-normalised queries {@code q} (B, d), their positive
 * keys {@code k} (B, d) and a queue of negative keys (K, d),
 * <pre>
 * logits = [q . k, q . queue^T] / tau                 (B, 1 + K)
 * loss   = cross-entropy(logits, label 0)             = -mean log(exp(q.k/tau) / sum_i exp(q.k_i/tau))
 * </pre>
 * GCC and MoCo use {@code tau = 0.07}.
 * <pre>NDArray loss = InfoNce.loss(q, k, queue, 0.07);</pre>
 */
public final class InfoNce {
    private InfoNce() {}

    /** MoCo's and GCC's temperature. */
    public static final double TAU = 0.07;

    /** {@code [q . k, q . queue^T] / tau}: (B, 1 + K), the positive in column 0. */
    public static NDArray logits(NDArray q, NDArray k, NDArray queue, double tau) {
        NDArray pos = q.mul(k).sum(new int[] {1}, true);          // (B, 1)
        NDArray neg = q.matMul(queue.transpose());                 // (B, K)
        return Scalar.div(pos.concat(neg, 1), tau);
    }

    /** Mean cross-entropy of {@code logits} (B, C) with label 0 for every row. */
    public static NDArray loss(NDArray logits) {
        return logits.logSoftmax(1).get(new NDIndex(":, 0")).neg().mean();
    }

    /** The InfoNCE loss of queries, positive keys and queued negatives. */
    public static NDArray loss(NDArray q, NDArray k, NDArray queue, double tau) {
        return loss(logits(q, k, queue, tau));
    }

    /** The same loss for one query on plain numbers: {@code -log(exp(q.k/tau) / (exp(q.k/tau) + sum_j exp(q.n_j/tau)))}. */
    public static double loss(double[] q, double[] k, double[][] negatives, double tau) {
        double[] z = new double[negatives.length + 1];
        z[0] = dot(q, k) / tau;
        for (int j = 0; j < negatives.length; j++) z[j + 1] = dot(q, negatives[j]) / tau;
        double max = java.util.Arrays.stream(z).max().orElse(0);
        double sum = 0;
        for (double v : z) sum += Math.exp(v - max);
        return -(z[0] - max - Math.log(sum));
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("InfoNce: vectors of " + a.length + " and " + b.length + " values");
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
