package netbook.pcrec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Locale;
import netbook.loss.InfoNce;

/**
 * Momentum contrast (He et al.; GCC's {@code MemoryMoCo}): a query encoder trained by gradient,
 * a key encoder that follows it by momentum, and a FIFO queue of past keys serving as negatives.
 * <pre>
 * logits = [q . k+, q . queue^T] / tau, label 0                 InfoNCE ({@link InfoNce})
 * after the optimiser step:  theta_k = m * theta_k + (1 - m) * theta_q    (trainable parameters)
 * then the batch's keys replace the oldest entries of the queue
 * </pre>
 * GCC's defaults: {@code m = 0.999}, {@code tau = 0.07}, queue 16384 (its MoCo run), the queue
 * starting uniform in {@code [-s, s]} with {@code s = 1/sqrt(dim/3)}. The key encoder starts as a
 * copy of the query encoder ({@link #copyQueryToKey}). Batch-norm running statistics are not
 * averaged (they are buffers in PyTorch): each encoder keeps its own.
 * <pre>
 * Moco moco = new Moco(query, key, manager, 16384, 64, 0.999, 0.07, seed);
 * moco.copyQueryToKey();
 * NDArray loss = moco.loss(q, k);  ... optimiser step ...
 * moco.momentumUpdate();  moco.enqueue(k);
 * </pre>
 */
public final class Moco {
    private final Block query;
    private final Block key;
    private final NDArray queue;
    private final int size;
    private final double momentum;
    private final double tau;
    private int pointer;

    public Moco(Block query, Block key, NDManager manager, int queueSize, int dim, double momentum, double tau, long seed) {
        if (queueSize < 1 || dim < 1) throw new IllegalArgumentException("Moco: queue size and dim must be positive, received " + queueSize + ", " + dim);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("Moco: momentum must be in [0, 1], received " + momentum);
        if (!(tau > 0)) throw new IllegalArgumentException("Moco: temperature must be positive, received " + tau);
        this.query = query;
        this.key = key;
        this.size = queueSize;
        this.momentum = momentum;
        this.tau = tau;
        float stdv = (float) (1 / Math.sqrt(dim / 3.0));
        java.util.Random rnd = new java.util.Random(seed);
        float[] init = new float[queueSize * dim];
        for (int i = 0; i < init.length; i++) init[i] = (rnd.nextFloat() * 2 - 1) * stdv;
        this.queue = manager.create(init, new Shape(queueSize, dim));
        checkTwins();
    }

    private void checkTwins() {
        PairList<String, Parameter> q = query.getParameters();
        PairList<String, Parameter> k = key.getParameters();
        if (q.size() != k.size()) {
            throw new IllegalArgumentException("Moco: the query encoder has " + q.size() + " parameters, the key encoder " + k.size()
                    + "; they must be two instances of the same network");
        }
        for (int i = 0; i < q.size(); i++) {
            if (!q.get(i).getKey().equals(k.get(i).getKey())) {
                throw new IllegalArgumentException("Moco: parameter " + i + " is " + q.get(i).getKey() + " in the query encoder but "
                        + k.get(i).getKey() + " in the key encoder");
            }
        }
    }

    public Block query() { return query; }
    public Block key() { return key; }
    /** The queue of keys (K, dim), oldest first from {@link #pointer()} on. */
    public NDArray queue() { return queue; }
    /** The next row the queue overwrites. */
    public int pointer() { return pointer; }
    public int size() { return size; }
    public double momentum() { return momentum; }
    public double temperature() { return tau; }

    /** theta_k = theta_q for every trainable parameter (GCC's {@code moment_update(model, model_ema, 0)}). */
    public void copyQueryToKey() {
        momentumUpdate(0);
    }

    /** theta_k = m * theta_k + (1 - m) * theta_q with this MoCo's m. */
    public void momentumUpdate() {
        momentumUpdate(momentum);
    }

    /** theta_k = m * theta_k + (1 - m) * theta_q for every trainable parameter, in place. */
    public void momentumUpdate(double m) {
        PairList<String, Parameter> q = query.getParameters();
        PairList<String, Parameter> k = key.getParameters();
        for (int i = 0; i < q.size(); i++) {
            Parameter pq = q.get(i).getValue();
            if (!pq.requiresGradient()) continue;
            NDArray aq = pq.getArray();
            NDArray ak = k.get(i).getValue().getArray();
            if (m == 0) {
                aq.copyTo(ak);
                continue;
            }
            ak.muli((float) m);
            try (NDArray t = aq.mul((float) (1 - m))) {
                ak.addi(t);
            }
        }
    }

    /** Writes {@code keys} (B, dim), B at most the queue size, over the oldest entries (wrapping). */
    public void enqueue(NDArray keys) {
        int b = (int) keys.getShape().get(0);
        if (b > size) throw new IllegalArgumentException("Moco: " + b + " keys do not fit a queue of " + size);
        int first = Math.min(b, size - pointer);
        try (NDArray detached = keys.stopGradient()) {
            queue.set(new NDIndex(pointer + ":" + (pointer + first)), detached.get(new NDIndex("0:" + first)));
            if (first < b) {
                queue.set(new NDIndex("0:" + (b - first)), detached.get(new NDIndex(first + ":" + b)));
            }
        }
        pointer = (pointer + b) % size;
    }

    /** InfoNCE of queries and their keys against the current queue. */
    public NDArray loss(NDArray q, NDArray k) {
        return InfoNce.loss(q, k, queue, tau);
    }

    /** Every trainable array of the query encoder, for an optimiser. */
    public java.util.List<Pair<String, Parameter>> trainable() {
        return query.getParameters().stream().filter(p -> p.getValue().requiresGradient()).toList();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MoCo(queue %d, momentum %.4f, tau %.3f)", size, momentum, tau);
    }
}
