package netbook.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import netbook.dsl.spec.Activation;
import netbook.dsl.spec.AdaptiveAvgPool;
import netbook.dsl.spec.AuxHead;
import netbook.dsl.spec.BatchNorm;
import netbook.dsl.spec.Branches;
import netbook.dsl.spec.Conv2d;
import netbook.dsl.spec.ConvTranspose2d;
import netbook.dsl.spec.Dropout;
import netbook.dsl.spec.Embedding;
import netbook.dsl.spec.Flatten;
import netbook.dsl.spec.LayerNorm;
import netbook.dsl.spec.Linear;
import netbook.dsl.spec.LocalResponseNorm;
import netbook.dsl.spec.Normalize;
import netbook.dsl.spec.Pool2d;
import netbook.dsl.spec.Reshape;
import netbook.dsl.spec.Residual;
import netbook.dsl.spec.Sequential;

/**
 * The layer vocabulary, made for {@code import static netbook.dsl.Layers.*}. Required values are
 * positional; options are chained: {@code conv(64, 3).stride(2).padding(1).noBias()}.
 * <pre>
 * Net net = Net.input(1, 28, 28).add(
 *     conv(32, 3).padding(1), batchNorm(), relu(), maxPool(2),
 *     flatten(), linear(10));
 * </pre>
 */
public final class Layers {
    private Layers() {}

    // ---- convolutions -------------------------------------------------------------------------

    /** A k x k convolution with {@code filters} output channels, stride 1, no padding. */
    public static Conv2d conv(int filters, int kernel) { return Conv2d.of(filters, kernel, kernel); }

    /** A kh x kw convolution, for factorised 1x7 / 7x1 kernels. */
    public static Conv2d conv(int filters, int kernelH, int kernelW) { return Conv2d.of(filters, kernelH, kernelW); }

    /** A transposed k x k convolution (learned upsampling). */
    public static ConvTranspose2d convTranspose(int filters, int kernel) { return ConvTranspose2d.of(filters, kernel, kernel); }

    // ---- normalisation ------------------------------------------------------------------------

    /** Batch norm over channels, eps 1e-5. */
    public static BatchNorm batchNorm() { return BatchNorm.standard(); }

    /** Layer norm over the last axis, eps 1e-5. */
    public static LayerNorm layerNorm() { return new LayerNorm(1e-5); }

    /** Local response norm across {@code size} channels, PyTorch's defaults alpha 1e-4, beta 0.75, k 1. */
    public static LocalResponseNorm lrn(int size) { return new LocalResponseNorm(size, 1e-4, 0.75, 1.0); }

    // ---- activations --------------------------------------------------------------------------

    public static Activation relu() { return Activation.of(Activation.Kind.RELU); }
    public static Activation elu() { return Activation.of(Activation.Kind.ELU); }
    public static Activation elu(double alpha) { return new Activation(Activation.Kind.ELU, alpha, 0); }
    public static Activation gelu() { return Activation.of(Activation.Kind.GELU); }
    public static Activation tanh() { return Activation.of(Activation.Kind.TANH); }
    public static Activation sigmoid() { return Activation.of(Activation.Kind.SIGMOID); }
    /** Softmax over the last axis. */
    public static Activation softmax() { return new Activation(Activation.Kind.SOFTMAX, 1, -1); }
    /** Gated linear unit over channels: the first half times the sigmoid of the second. */
    public static Activation glu() { return new Activation(Activation.Kind.GLU, 1, 0); }
    /** GLU over {@code axis} of one example (0 = channels). */
    public static Activation glu(int axis) { return new Activation(Activation.Kind.GLU, 1, axis); }

    // ---- pooling ------------------------------------------------------------------------------

    /** k x k max pool, stride k. */
    public static Pool2d maxPool(int kernel) { return Pool2d.of(true, kernel); }
    /** k x k average pool, stride k. */
    public static Pool2d avgPool(int kernel) { return Pool2d.of(false, kernel); }
    /** Mean over H and W: (N, C, H, W) to (N, C). */
    public static AdaptiveAvgPool globalAvgPool() { return new AdaptiveAvgPool(1, 1, true); }
    /** Average pool to an h x w grid whatever the input size. */
    public static AdaptiveAvgPool adaptiveAvgPool(int h, int w) { return new AdaptiveAvgPool(h, w, false); }

    // ---- the rest -----------------------------------------------------------------------------

    public static Dropout dropout(double rate) { return new Dropout(rate); }
    /** (x - mean) / std per channel (or feature), fixed values: {@code normalize(new double[] {0.5}, new double[] {0.25})}; a training set's own statistics: {@code train.normalization()} (netbook.data.Dataset). */
    public static Normalize normalize(double[] mean, double[] std) { return new Normalize(mean, std); }
    public static Flatten flatten() { return new Flatten(); }
    public static Reshape reshape(long... dims) { return new Reshape(dims.clone()); }
    public static Linear linear(int units) { return new Linear(units, true); }
    public static Embedding embedding(int count, int dim) { return new Embedding(count, dim); }

    // ---- composition --------------------------------------------------------------------------

    /** Blocks applied in order. */
    public static Sequential seq(Layer... layers) { return Sequential.of(List.of(layers)); }

    /** Parallel branches on the same input, concatenated on channels. */
    public static Branches branches(Layer... branches) { return Branches.of(List.of(branches), true); }

    /** Parallel branches on the same input, added together. */
    public static Branches sumOf(Layer... branches) { return Branches.of(List.of(branches), false); }

    /** x + body(x); chain {@code .shortcut(...)} for a projection and {@code .scale(s)} for scaling. */
    public static Residual residual(Layer... body) { return new Residual(seq(body), null, 1.0); }

    /** {@code n} blocks made by {@code make.apply(i)}, i = 0..n-1, named {@code block1..blockN} unless named. */
    public static Sequential repeat(int n, IntFunction<? extends Layer> make) { return repeat(n, "block", make); }

    /** {@code n} blocks named {@code prefix1..prefixN} unless {@code make} names them. */
    public static Sequential repeat(int n, String prefix, IntFunction<? extends Layer> make) {
        if (n < 0) {
            throw new NetbookException("repeat(" + n + ", ...): the count must be zero or positive");
        }
        List<Layer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer l = make.apply(i);
            if (l == null) {
                throw new NetbookException("repeat(" + n + ", ...): block " + i + " is null");
            }
            items.add(l instanceof Layer.Named ? l : l.named(prefix + (i + 1)));
        }
        return Sequential.of(items);
    }

    /** An auxiliary head: an extra training-only output whose loss counts with {@code lossWeight}. */
    public static AuxHead aux(double lossWeight, Layer... head) { return new AuxHead(seq(head), lossWeight); }
}
