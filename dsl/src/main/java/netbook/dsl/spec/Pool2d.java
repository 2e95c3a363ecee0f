package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * Max or average pooling over H and W, with PyTorch's ceil mode and count_include_pad.
 * <pre>maxPool(3).stride(2).ceil()      avgPool(3).stride(1).padding(1).excludePad()</pre>
 */
public record Pool2d(boolean max, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                     boolean ceilMode, boolean countIncludePad) implements Layer {
    public Pool2d {
        String t = max ? "MaxPool2d" : "AvgPool2d";
        Checks.positive(t, "kernel size", Math.min(kernelH, kernelW));
        Checks.positive(t, "stride", Math.min(strideH, strideW));
        Checks.nonNegative(t, "padding", Math.min(padH, padW));
        if (2 * padH > kernelH || 2 * padW > kernelW) {
            throw netbook.dsl.ShapeException.of(t, "padding " + padH + "x" + padW
                    + " must be at most half the kernel " + kernelH + "x" + kernelW);
        }
    }

    /** Stride defaults to the kernel size, as in PyTorch. */
    public static Pool2d of(boolean max, int kernel) {
        return new Pool2d(max, kernel, kernel, kernel, kernel, 0, 0, false, true);
    }

    public Pool2d stride(int s) { return new Pool2d(max, kernelH, kernelW, s, s, padH, padW, ceilMode, countIncludePad); }
    public Pool2d padding(int p) { return new Pool2d(max, kernelH, kernelW, strideH, strideW, p, p, ceilMode, countIncludePad); }
    public Pool2d ceil() { return new Pool2d(max, kernelH, kernelW, strideH, strideW, padH, padW, true, countIncludePad); }
    /** Average over real pixels only at the borders (count_include_pad = false). */
    public Pool2d excludePad() { return new Pool2d(max, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode, false); }

    @Override public String type() { return max ? "MaxPool2d" : "AvgPool2d"; }
    @Override public String defaultName() { return max ? "maxpool" : "avgpool"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.image(type(), in);
        long h = Checks.windowOut(type(), "height", in.dim(1), kernelH, strideH, padH, 1, ceilMode, in);
        long w = Checks.windowOut(type(), "width", in.dim(2), kernelW, strideW, padW, 1, ceilMode, in);
        return Shape.of(in.dim(0), h, w);
    }
}
