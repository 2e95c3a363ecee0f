package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Vector quantisation (van den Oord et al. 2017): every D-vector of an (N, D, H, W) map is replaced
 * by its nearest entry of a K x D codebook; gradients pass straight through
 * ({@code q = x + sg(q - x)}).
 * <ul>
 *   <li>Standard: the codebook is trainable; loss = mean((q - sg x)^2) + beta * mean((sg q - x)^2)
 *       (codebook term plus commitment term, Sonnet's {@code VectorQuantizer}).</li>
 *   <li>{@link #ema()}: the codebook is a buffer updated by exponential moving averages of the
 *       assigned vectors (decay 0.99) with Laplace smoothing (epsilon 1e-5), as Sonnet's
 *       {@code VectorQuantizerEMA}; loss = beta * mean((sg q - x)^2) only. <b>Zero-debiased</b> by
 *       default, as Sonnet v2: hidden averages start at zero and are divided by 1 - decay^t.
 *       {@link #biased()} gives rosinality's form instead: no debiasing, cluster sizes start at 0 and
 *       the running sums at the initial codebook.</li>
 * </ul>
 * Compiled, the block returns five arrays: the quantised map (N, D, H, W), the loss (scalar), the
 * codes (N, H, W) as int64, the batch's codebook perplexity exp(-sum p log p) and the fraction of
 * codes used in the batch. Codebook updates happen only in training mode.
 * <pre>vectorQuantize(512, 64)              // trainable codebook, beta 0.25
 * vectorQuantize(512, 64).ema()        // EMA codebook, decay 0.99, eps 1e-5, debiased</pre>
 *
 * @param count codebook entries K
 * @param dim entry size D, the input's channels
 * @param beta commitment cost (0.25 in the paper)
 * @param emaUpdates codebook updated by moving averages instead of gradients
 * @param decay EMA decay gamma (0.99)
 * @param epsilon Laplace smoothing of the cluster sizes (1e-5)
 * @param debiased divide the moving averages by 1 - decay^t (Sonnet v2); false is rosinality's form
 */
public record VectorQuantize(int count, int dim, double beta, boolean emaUpdates, double decay, double epsilon,
                             boolean debiased) implements DjlLayer {
    public VectorQuantize {
        if (count < 2) throw ShapeException.of("VectorQuantize", "the codebook needs at least 2 entries, received " + count);
        if (dim <= 0) throw ShapeException.of("VectorQuantize", "the entry size must be positive, received " + dim);
        if (!(beta >= 0)) throw ShapeException.of("VectorQuantize", "beta must be zero or positive, received " + beta);
        if (!(decay > 0 && decay < 1)) throw ShapeException.of("VectorQuantize", "decay must be in (0, 1), received " + decay);
        if (!(epsilon > 0)) throw ShapeException.of("VectorQuantize", "epsilon must be positive, received " + epsilon);
    }

    /** K entries of size D, trainable, beta 0.25. */
    public static VectorQuantize of(int count, int dim) {
        return new VectorQuantize(count, dim, 0.25, false, 0.99, 1e-5, true);
    }

    /** The commitment cost. */
    public VectorQuantize beta(double b) { return new VectorQuantize(count, dim, b, emaUpdates, decay, epsilon, debiased); }
    /** EMA codebook updates, decay 0.99, epsilon 1e-5, zero-debiased (Sonnet v2). */
    public VectorQuantize ema() { return new VectorQuantize(count, dim, beta, true, decay, epsilon, debiased); }
    /** EMA codebook updates with this decay. */
    public VectorQuantize ema(double d) { return new VectorQuantize(count, dim, beta, true, d, epsilon, debiased); }
    /** Laplace smoothing of the EMA cluster sizes. */
    public VectorQuantize epsilon(double e) { return new VectorQuantize(count, dim, beta, emaUpdates, decay, e, debiased); }
    /** rosinality's EMA: no zero-debiasing; running sums start at the initial codebook. */
    public VectorQuantize biased() { return new VectorQuantize(count, dim, beta, true, decay, epsilon, false); }

    /** Bits needed to name one code: log2 K. */
    public double bitsPerCode() { return Math.log(count) / Math.log(2); }

    @Override public String type() { return emaUpdates ? "VectorQuantizeEMA" : "VectorQuantize"; }
    @Override public String defaultName() { return "quantize"; }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw ShapeException.of(type(), "expected 4-D input (N, D, H, W), received " + in);
        }
        if (in.dim(0) != dim) {
            throw ShapeException.of(type(), "expected " + dim + " channels (the codebook's entry size), received " + in,
                    "Put conv(" + dim + ", 1) before the quantiser");
        }
        return in;
    }

    /** The codebook, when it is trained by gradients; EMA codebooks are buffers. */
    @Override public long params(Shape in) { return emaUpdates ? 0 : (long) count * dim; }

    /** EMA state: codebook K x D, running sums K x D, cluster sizes K, step counter. */
    @Override public long frozenParams(Shape in) { return emaUpdates ? 2L * count * dim + count + 1 : 0; }

    @Override public long macs(Shape in) { return in.size() / dim * count * dim; }

    @Override public ai.djl.nn.Block toBlock(Shape in) { return new QuantizerBlock(this); }

    @Override
    public String toString() {
        return "vectorQuantize(" + count + ", " + dim + ")" + (beta != 0.25 ? ".beta(" + beta + ")" : "")
                + (emaUpdates ? (debiased ? ".ema(" + decay + ")" : ".ema(" + decay + ").biased()") + (epsilon != 1e-5 ? ".epsilon(" + epsilon + ")" : "") : "");
    }
}
