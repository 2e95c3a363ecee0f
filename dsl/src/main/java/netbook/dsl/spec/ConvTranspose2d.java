package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * Transposed 2-D convolution, the learned upsampling of decoders.
 * <pre>convTranspose(64, 4).stride(2).padding(1)   // doubles H and W</pre>
 */
public record ConvTranspose2d(int filters, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                              int outPadH, int outPadW, boolean bias) implements Layer {
    public ConvTranspose2d {
        Checks.positive("ConvTranspose2d", "filters", filters);
        Checks.positive("ConvTranspose2d", "kernel size", Math.min(kernelH, kernelW));
        Checks.positive("ConvTranspose2d", "stride", Math.min(strideH, strideW));
        Checks.nonNegative("ConvTranspose2d", "padding", Math.min(padH, padW));
        Checks.nonNegative("ConvTranspose2d", "output padding", Math.min(outPadH, outPadW));
    }

    public static ConvTranspose2d of(int filters, int kernelH, int kernelW) {
        return new ConvTranspose2d(filters, kernelH, kernelW, 1, 1, 0, 0, 0, 0, true);
    }

    public ConvTranspose2d stride(int s) { return new ConvTranspose2d(filters, kernelH, kernelW, s, s, padH, padW, outPadH, outPadW, bias); }
    public ConvTranspose2d padding(int p) { return new ConvTranspose2d(filters, kernelH, kernelW, strideH, strideW, p, p, outPadH, outPadW, bias); }
    public ConvTranspose2d outputPadding(int p) { return new ConvTranspose2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, p, p, bias); }
    public ConvTranspose2d noBias() { return new ConvTranspose2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, outPadH, outPadW, false); }

    @Override public String type() { return "ConvTranspose2d"; }
    @Override public String defaultName() { return "deconv"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.image(type(), in);
        long h = (in.dim(1) - 1) * strideH - 2L * padH + kernelH + outPadH;
        long w = (in.dim(2) - 1) * strideW - 2L * padW + kernelW + outPadW;
        if (h <= 0 || w <= 0) {
            throw netbook.dsl.ShapeException.of(type(), "output would be " + h + "x" + w + " for input " + in,
                    "Use less padding");
        }
        return Shape.of(filters, h, w);
    }

    @Override
    public long params(Shape in) {
        return (long) in.dim(0) * filters * kernelH * kernelW + (bias ? filters : 0);
    }

    @Override
    public long macs(Shape in) {
        return in.size() * filters * kernelH * kernelW;
    }
}
