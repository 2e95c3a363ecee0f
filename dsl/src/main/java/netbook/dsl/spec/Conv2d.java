package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * 2-D convolution on (N, C, H, W). Square or rectangular kernels ({@code conv(192, 1, 7)} is 1x7),
 * stride, explicit or "same" padding, dilation, groups, bias on or off.
 * <pre>conv(64, 7).stride(2).padding(3).noBias()</pre>
 */
public record Conv2d(int filters, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                     boolean samePadding, int dilationH, int dilationW, int groups, boolean bias) implements Layer {

    public Conv2d {
        Checks.positive("Conv2d", "filters", filters);
        Checks.positive("Conv2d", "kernel height", kernelH);
        Checks.positive("Conv2d", "kernel width", kernelW);
        Checks.positive("Conv2d", "stride", Math.min(strideH, strideW));
        Checks.nonNegative("Conv2d", "padding", Math.min(padH, padW));
        Checks.positive("Conv2d", "dilation", Math.min(dilationH, dilationW));
        Checks.positive("Conv2d", "groups", groups);
        if (samePadding) {
            if ((dilationH * (kernelH - 1)) % 2 != 0 || (dilationW * (kernelW - 1)) % 2 != 0) {
                throw ShapeException.of("Conv2d", "'same' padding needs an odd effective kernel, received "
                        + kernelH + "x" + kernelW + " with dilation " + dilationH + "x" + dilationW,
                        "Give the padding explicitly with padding(h, w)");
            }
            padH = dilationH * (kernelH - 1) / 2;
            padW = dilationW * (kernelW - 1) / 2;
        }
    }

    public static Conv2d of(int filters, int kernelH, int kernelW) {
        return new Conv2d(filters, kernelH, kernelW, 1, 1, 0, 0, false, 1, 1, 1, true);
    }

    public Conv2d stride(int s) { return stride(s, s); }
    public Conv2d stride(int sh, int sw) { return new Conv2d(filters, kernelH, kernelW, sh, sw, padH, padW, samePadding, dilationH, dilationW, groups, bias); }
    public Conv2d padding(int p) { return padding(p, p); }
    public Conv2d padding(int ph, int pw) { return new Conv2d(filters, kernelH, kernelW, strideH, strideW, ph, pw, false, dilationH, dilationW, groups, bias); }
    /** Pads so that stride 1 keeps H and W (odd effective kernels only). */
    public Conv2d same() { return new Conv2d(filters, kernelH, kernelW, strideH, strideW, 0, 0, true, dilationH, dilationW, groups, bias); }
    public Conv2d dilation(int d) { return new Conv2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, samePadding, d, d, groups, bias); }
    public Conv2d groups(int g) { return new Conv2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, samePadding, dilationH, dilationW, g, bias); }
    public Conv2d noBias() { return new Conv2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, samePadding, dilationH, dilationW, groups, false); }

    @Override public String type() { return "Conv2d"; }
    @Override public String defaultName() { return "conv"; }

    @Override
    public Shape outputShape(Shape in) {
        Checks.image(type(), in);
        long c = in.dim(0);
        if (c % groups != 0 || filters % groups != 0) {
            throw ShapeException.of(type(), "groups " + groups + " must divide input channels " + c
                    + " and filters " + filters + ", received input " + in);
        }
        long h = Checks.windowOut(type(), "height", in.dim(1), kernelH, strideH, padH, dilationH, false, in);
        long w = Checks.windowOut(type(), "width", in.dim(2), kernelW, strideW, padW, dilationW, false, in);
        return Shape.of(filters, h, w);
    }

    @Override
    public long params(Shape in) {
        return (long) filters * (in.dim(0) / groups) * kernelH * kernelW + (bias ? filters : 0);
    }

    @Override
    public long macs(Shape in) {
        Shape out = outputShape(in);
        return out.size() * (in.dim(0) / groups) * kernelH * kernelW;
    }
}
