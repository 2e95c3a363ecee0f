package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import netbook.dsl.CustomLayer;
import netbook.engine.DjlLayer;
import netbook.engine.LambdaLayer;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.dsl.spec.Activation;
import netbook.dsl.spec.AdaptiveAvgPool;
import netbook.dsl.spec.ConvTranspose2d;
import netbook.dsl.spec.Embedding;
import netbook.dsl.spec.Flatten;
import netbook.dsl.spec.LocalResponseNorm;
import netbook.dsl.spec.Pool2d;
import netbook.dsl.spec.Reshape;

/**
 * Turns a spec tree into DJL blocks, one block per spec node, named by the spec's names. Shapes
 * come from the spec; nothing here re-derives them.
 */
public final class Compiler {
    private Compiler() {}

    /** The DJL block for a whole network (not yet initialised). */
    public static Block compile(Net net) {
        return compile(net.body(), net.inputShape(), "");
    }

    /** The DJL block for one spec node at input shape {@code in}; {@code path} names it in errors. */
    public static Block compile(Layer layer, Shape in, String path) {
        if (layer instanceof Layer.Named n) {
            layer = n.layer();
        }
        if (layer instanceof Layer.Container c && !(c.flow() instanceof Layer.Flow.Opaque)) {
            return container(c, in, path);
        }
        if (layer instanceof CustomLayer custom && CustomForwards.of(custom) == null) {
            String simple = custom.getClass().getSimpleName();
            throw new NetbookException((path.isEmpty() ? "" : path + " ") + "(" + layer.type() + "): the custom layer "
                    + simple + " has no computation on the engine; give it once before compiling: Blocks.define("
                    + simple + ".class, (layer, weights, x, training) -> ...)  (netbook.engine.Blocks)");
        }
        try {
            return leaf(layer, in);
        } catch (RuntimeException e) {
            if (e instanceof NetbookException) {
                throw e;
            }
            throw new NetbookException((path.isEmpty() ? "" : path + " ") + "(" + layer.type() + "): cannot compile: " + e.getMessage(), e);
        }
    }

    /**
     * The auxiliary heads of a compiled network: the name of each head's extra output (present in
     * training only) and the weight of its loss, for {@link netbook.loss.Losses#withAuxiliary}.
     */
    public static java.util.Map<String, Double> auxiliaryWeights(Block compiled) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        ContainerBlock.auxiliaryWeights(compiled, out);
        return out;
    }

    private static Block container(Layer.Container c, Shape in, String path) {
        ContainerBlock block = new ContainerBlock(c.flow(), c, in);
        block.at(path);
        List<Placed> placed = c.place(in);
        for (Placed p : placed) {
            String child = path.isEmpty() ? p.node().name() : path + "." + p.node().name();
            block.addChild(p.node().name(), compile(p.node().layer(), p.input(), child), p.node().layer(), p.input(), child);
        }
        return block;
    }

    private static Block leaf(Layer layer, Shape in) {
        if (layer instanceof netbook.dsl.spec.Conv2d c) {
            return GuardedConv2d.guardedBuilder().setFilters(c.filters())
                    .setKernelShape(new ai.djl.ndarray.types.Shape(c.kernelH(), c.kernelW()))
                    .optStride(new ai.djl.ndarray.types.Shape(c.strideH(), c.strideW()))
                    .optPadding(new ai.djl.ndarray.types.Shape(c.padH(), c.padW()))
                    .optDilation(new ai.djl.ndarray.types.Shape(c.dilationH(), c.dilationW()))
                    .optGroups(c.groups()).optBias(c.bias()).build();
        }
        if (layer instanceof ConvTranspose2d c) {
            return new ConvTransposeBlock(c, in);
        }
        if (layer instanceof netbook.dsl.spec.BatchNorm b) {
            return BatchNorm.builder().optEpsilon((float) b.eps()).optMomentum((float) b.momentum())
                    .optScale(b.scale()).optCenter(b.center()).build();
        }
        if (layer instanceof netbook.dsl.spec.LayerNorm l) {
            return LayerNorm.builder().axis(in.rank()).optEpsilon((float) l.eps()).build();
        }
        if (layer instanceof netbook.dsl.spec.Linear l) {
            return Linear.builder().setUnits(l.units()).optBias(l.bias()).build();
        }
        if (layer instanceof netbook.dsl.spec.Dropout d) {
            return Dropout.builder().optRate((float) d.rate()).build();
        }
        if (layer instanceof Embedding e) {
            return new EmbeddingBlock(e.count(), e.dim());
        }
        if (layer instanceof DjlLayer d) {
            return d.toBlock(in);
        }
        if (layer instanceof CustomLayer c) {
            return new WeightBlock(c, in, CustomForwards.of(c));
        }
        return new OpBlock(layer, in, op(layer, in));
    }

    private static java.util.function.BiFunction<NDArray, Boolean, NDArray> op(Layer layer, Shape in) {
        if (layer instanceof Activation a) {
            int axis = a.axis() < 0 ? a.axis() : a.axis() + 1;
            return switch (a.kind()) {
                case RELU -> (x, t) -> ai.djl.nn.Activation.relu(x);
                case ELU -> (x, t) -> ai.djl.nn.Activation.elu(x, (float) a.alpha());
                case GELU -> (x, t) -> ai.djl.nn.Activation.gelu(x);
                case TANH -> (x, t) -> x.tanh();
                case SIGMOID -> (x, t) -> ai.djl.nn.Activation.sigmoid(x);
                case SOFTMAX -> (x, t) -> x.softmax(axis);
                case GLU -> (x, t) -> {
                    NDList halves = x.split(2, axis);
                    return halves.get(0).mul(ai.djl.nn.Activation.sigmoid(halves.get(1)));
                };
            };
        }
        if (layer instanceof Pool2d p) {
            ai.djl.ndarray.types.Shape k = new ai.djl.ndarray.types.Shape(p.kernelH(), p.kernelW());
            ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(p.strideH(), p.strideW());
            ai.djl.ndarray.types.Shape pad = new ai.djl.ndarray.types.Shape(p.padH(), p.padW());
            return p.max()
                    ? (x, t) -> Pool.maxPool2d(x, k, s, pad, p.ceilMode())
                    : p.countIncludePad() || p.padH() == 0 && p.padW() == 0
                    ? (x, t) -> Pool.avgPool2d(x, k, s, pad, p.ceilMode(), true)
                    : (x, t) -> excludePadAvgPool(x, k, s, pad, p.ceilMode());
        }
        if (layer instanceof AdaptiveAvgPool a) {
            if (a.flatten()) {
                return (x, t) -> spatialMean(x);
            }
            return adaptiveAvgPool(in, a.outH(), a.outW());
        }
        if (layer instanceof Flatten) {
            return (x, t) -> Blocks.batchFlatten(x);
        }
        if (layer instanceof Reshape r) {
            long[] d = new long[r.dims().length + 1];
            d[0] = -1;
            System.arraycopy(r.dims(), 0, d, 1, r.dims().length);
            return (x, t) -> x.reshape(d);
        }
        if (layer instanceof LocalResponseNorm l) {
            return (x, t) -> lrn(x, l);
        }
        if (layer instanceof netbook.dsl.spec.Normalize nz) {
            return normalize(nz, in);
        }
        if (layer instanceof LambdaLayer l) {
            return (x, t) -> l.forward().apply(x);
        }
        throw new NetbookException("(" + layer.type() + "): no compiler for this layer type; "
                + "a custom layer implements netbook.dsl.CustomLayer (weights as data, computed by netbook.engine.Blocks.define) or netbook.engine.DjlLayer (a DJL block)");
    }

    /** Mean over H and W: (N, C, H, W) to (N, C). PyTorch's mean takes one axis here. */
    /**
     * Average pooling that divides by the number of real (unpadded) inputs under each window, as
     * PyTorch's {@code count_include_pad=False}. DJL's PyTorch engine accepts that flag but always
     * counts the padding, so we divide the padding-counting average by the average of a ones map:
     * the fraction of each window that is real input.
     */
    static NDArray excludePadAvgPool(NDArray x, ai.djl.ndarray.types.Shape k, ai.djl.ndarray.types.Shape s,
                                     ai.djl.ndarray.types.Shape pad, boolean ceil) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray withPad = Pool.avgPool2d(x, k, s, pad, ceil, true);
        NDArray realFraction = Pool.avgPool2d(x.getManager().ones(new ai.djl.ndarray.types.Shape(1, 1, h, w), x.getDataType()),
                k, s, pad, ceil, true);
        return withPad.div(realFraction);
    }

    private static NDArray spatialMean(NDArray x) {
        ai.djl.ndarray.types.Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    /** (x - mean) / std with the values broadcast over (1, C, 1, 1) for images, (1, F) for vectors. */
    private static java.util.function.BiFunction<NDArray, Boolean, NDArray> normalize(netbook.dsl.spec.Normalize nz, Shape in) {
        float[] mean = new float[nz.mean().length];
        float[] std = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) nz.mean()[i];
            std[i] = (float) nz.std()[i];
        }
        ai.djl.ndarray.types.Shape b = in.rank() == 3 ? new ai.djl.ndarray.types.Shape(1, mean.length, 1, 1)
                : new ai.djl.ndarray.types.Shape(1, mean.length);
        return (x, t) -> {
            NDArray m = x.getManager().create(mean, b);
            NDArray s = x.getManager().create(std, b);
            return x.sub(m).div(s);
        };
    }

    /** PyTorch's local_response_norm: average of squares over a channel window, then the power. */
    private static NDArray lrn(NDArray x, LocalResponseNorm l) {
        ai.djl.ndarray.types.Shape s = x.getShape();
        NDArray sq = x.square();
        // Zero channels before and after, as PyTorch pads (size/2, (size-1)/2); pooling then needs no padding.
        NDList parts = new NDList();
        if (l.size() / 2 > 0) parts.add(sq.zerosLike().get(new NDIndex(":, 0:" + l.size() / 2)));
        parts.add(sq);
        if ((l.size() - 1) / 2 > 0) parts.add(sq.zerosLike().get(new NDIndex(":, 0:" + (l.size() - 1) / 2)));
        NDArray padded = parts.size() == 1 ? sq : NDArrays.concat(parts, 1);
        NDArray avg = Pool.avgPool3d(padded.expandDims(1), new ai.djl.ndarray.types.Shape(l.size(), 1, 1),
                new ai.djl.ndarray.types.Shape(1, 1, 1), new ai.djl.ndarray.types.Shape(0, 0, 0), false, true);
        NDArray window = avg.squeeze(1).get(new NDIndex(":, 0:" + s.get(1)));
        NDArray div = Scalar.pow(Scalar.mul(window, l.alpha()).add(l.k()), l.beta());
        return x.div(div);
    }

    /** PyTorch's adaptive average pool: cell i covers [floor(i*in/out), ceil((i+1)*in/out)). */
    private static java.util.function.BiFunction<NDArray, Boolean, NDArray> adaptiveAvgPool(Shape in, int outH, int outW) {
        long h = in.dim(1);
        long w = in.dim(2);
        if (h % outH == 0 && w % outW == 0) {
            ai.djl.ndarray.types.Shape k = new ai.djl.ndarray.types.Shape(h / outH, w / outW);
            return (x, t) -> Pool.avgPool2d(x, k, k, new ai.djl.ndarray.types.Shape(0, 0), false, true);
        }
        return (x, t) -> {
            NDList rows = new NDList();
            for (int i = 0; i < outH; i++) {
                long h0 = Math.floorDiv(i * h, outH);
                long h1 = -Math.floorDiv(-(i + 1) * h, outH);
                NDList cols = new NDList();
                for (int j = 0; j < outW; j++) {
                    long w0 = Math.floorDiv(j * w, outW);
                    long w1 = -Math.floorDiv(-(j + 1) * w, outW);
                    cols.add(spatialMean(x.get(new NDIndex(":, :, " + h0 + ":" + h1 + ", " + w0 + ":" + w1))));
                }
                rows.add(NDArrays.stack(cols, 2));
            }
            return NDArrays.stack(rows, 2);
        };
    }
}
