package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import netbook.dsl.spec.ConvTranspose2d;

/**
 * Transposed convolution with PyTorch's weight layout (in, out, kh, kw). DJL's PyTorch engine has
 * no deconvolution, so this computes the equivalent: insert stride-1 zeros between input pixels,
 * pad by kernel-1-padding (plus output padding at the end), and convolve with the flipped,
 * transposed kernel. Autograd flows through every step.
 */
final class ConvTransposeBlock extends AbstractBlock {
    private final ConvTranspose2d spec;
    private final netbook.dsl.Shape specIn;
    private final Parameter weight;
    private final Parameter bias;

    ConvTransposeBlock(ConvTranspose2d spec, netbook.dsl.Shape specIn) {
        this.spec = spec;
        this.specIn = specIn;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(specIn.dim(0), spec.filters(), spec.kernelH(), spec.kernelW())).build());
        bias = spec.bias() ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(spec.filters())).build()) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long wd = s.get(3);
        int sh = spec.strideH();
        int sw = spec.strideW();
        NDArray up = x;
        if (sh > 1 || sw > 1) {
            // (N, C, H, 1, W, 1) -> zeros appended on the unit axes -> (N, C, H*sh, W*sw), cropped.
            NDArray x6 = x.reshape(n, c, h, 1, wd, 1);
            if (sh > 1) x6 = NDArrays.concat(new NDList(x6, x6.zerosLike().repeat(3, sh - 1)), 3);
            if (sw > 1) x6 = NDArrays.concat(new NDList(x6, x6.zerosLike().repeat(5, sw - 1)), 5);
            up = x6.reshape(n, c, h * sh, wd * sw)
                    .get(new NDIndex(":, :, 0:" + ((h - 1) * sh + 1) + ", 0:" + ((wd - 1) * sw + 1)));
        }
        long ph = spec.kernelH() - 1L - spec.padH();
        long pw = spec.kernelW() - 1L - spec.padW();
        up = padOrCrop(up, 2, ph, ph + spec.outPadH());
        up = padOrCrop(up, 3, pw, pw + spec.outPadW());
        NDArray wt = w.transpose(1, 0, 2, 3);
        wt.attach(x.getManager()); // derived from a parameter: owned by this step, not by the model
        NDArray k = wt.flip(2, 3);
        return new NDList(ConvGuard.conv2d(up, k, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1));
    }

    /** Adds {@code before}/{@code after} zero rows on {@code axis}; negative amounts crop instead. */
    private static NDArray padOrCrop(NDArray x, int axis, long before, long after) {
        long len = x.getShape().get(axis);
        if (before < 0 || after < 0) {
            long from = Math.max(0, -before);
            long to = len - Math.max(0, -after);
            String idx = axis == 2 ? ":, :, " + from + ":" + to : ":, :, :, " + from + ":" + to;
            x = x.get(new NDIndex(idx));
            before = Math.max(0, before);
            after = Math.max(0, after);
        }
        if (before == 0 && after == 0) return x;
        NDList parts = new NDList();
        if (before > 0) parts.add(zeros(x, axis, before));
        parts.add(x);
        if (after > 0) parts.add(zeros(x, axis, after));
        return NDArrays.concat(parts, axis);
    }

    private static NDArray zeros(NDArray like, int axis, long size) {
        long[] d = like.getShape().getShape();
        d[axis] = size;
        return like.getManager().zeros(new Shape(d), like.getDataType(), like.getDevice());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return SpecShapes.output(spec, specIn, inputShapes);
    }
}
