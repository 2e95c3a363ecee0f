package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * A PixelCNN masked k x k convolution, stride 1, padding k/2 (van den Oord et al. 2016). The mask
 * zeroes every kernel row below the centre and, in the centre row, the pixels right of the centre;
 * mask A (first layer) also zeroes the centre, mask B (later layers) keeps it. As
 * {@code jzbontar/pixelcnn-pytorch}:
 * <pre>
 * mask[:, :, k/2, k/2 + (B ? 1 : 0):] = 0;  mask[:, :, k/2 + 1:] = 0
 * maskedConv(64, 7, 'A')   maskedConv(64, 3, 'B')
 * </pre>
 * The parameter count includes the masked weights, as PyTorch stores them.
 */
public record MaskedConv2d(int filters, int kernel, char maskType, boolean bias) implements DjlLayer {
    public MaskedConv2d {
        if (filters <= 0) throw ShapeException.of("MaskedConv2d", "filters must be positive, received " + filters);
        if (kernel <= 0 || kernel % 2 == 0) throw ShapeException.of("MaskedConv2d", "the kernel must be odd, received " + kernel);
        if (maskType != 'A' && maskType != 'B') throw ShapeException.of("MaskedConv2d", "mask type is 'A' or 'B', received '" + maskType + "'");
    }

    @Override public String type() { return "MaskedConv2d" + maskType; }
    @Override public String defaultName() { return "masked_conv"; }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) throw ShapeException.of(type(), "expected 4-D input (N, C, H, W), received " + in);
        return in.with(0, filters);
    }

    @Override public long params(Shape in) { return (long) filters * in.dim(0) * kernel * kernel + (bias ? filters : 0); }
    @Override public long macs(Shape in) { return outputShape(in).size() * in.dim(0) * kernel * kernel; }

    /** The 0/1 mask of one k x k kernel, row-major. */
    public float[] mask() {
        float[] m = new float[kernel * kernel];
        int c = kernel / 2;
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) {
                boolean keep = i < c || (i == c && (maskType == 'A' ? j < c : j <= c));
                m[i * kernel + j] = keep ? 1 : 0;
            }
        }
        return m;
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new PriorBlocks.Masked(this, in);
    }
}
