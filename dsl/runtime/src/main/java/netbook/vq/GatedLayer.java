package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * A gated PixelCNN layer (van den Oord et al. 2016, arXiv 1606.05328) on the gated stream
 * (S, C, H, W) from {@link PixelCnnInput}: a vertical stack (kernel (k/2+1) x k, sees the rows
 * above) and a horizontal stack (kernel 1 x (k/2+1), sees the pixels to the left), joined by a 1x1
 * vertical-to-horizontal link, so there is no blind spot. Gate: tanh(a + V_f c) * sigmoid(b + V_g c)
 * with c the condition plane (when S = 3) through a 1x1 conv without bias. As
 * {@code ritheshkumar95/pytorch-vqvae} {@code GatedMaskedConv2d}: mask A (first layer) drops the
 * last kernel row of the vertical conv and the last column of the horizontal conv and has no
 * residual; mask B layers keep them and add the input to the horizontal output.
 * <pre>gated(7).maskA()   gated(3)</pre>
 */
public record GatedLayer(int kernel, boolean typeA) implements DjlLayer {
    public GatedLayer {
        if (kernel <= 0 || kernel % 2 == 0) throw ShapeException.of("GatedLayer", "the kernel must be odd, received " + kernel);
    }

    public GatedLayer maskA() { return new GatedLayer(kernel, true); }

    @Override public String type() { return typeA ? "GatedLayerA" : "GatedLayerB"; }
    @Override public String defaultName() { return "gated"; }

    @Override
    public Shape outputShape(Shape in) {
        Streams.check(type(), in);
        return in;
    }

    @Override
    public long params(Shape in) {
        long c = in.dim(1);
        int p = kernel / 2;
        long vertical = 2 * c * c * (p + 1) * kernel + 2 * c;
        long horizontal = 2 * c * c * (p + 1) + 2 * c;
        long link = 2 * c * 2 * c + 2 * c;
        long out = c * c + c;
        long cond = in.dim(0) == 3 ? 2 * (2 * c * c) : 0;
        return vertical + horizontal + link + out + cond;
    }

    @Override
    public long macs(Shape in) {
        return params(in) * in.dim(2) * in.dim(3);
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new PriorBlocks.Gated(this, in);
    }
}
