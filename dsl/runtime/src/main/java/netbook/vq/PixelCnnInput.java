package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * The start of a gated PixelCNN over codes. Input (P, H, W): plane 0 holds the codes (0..K-1, as
 * numbers); for a conditional prior plane 1 holds a condition index at every position (a class
 * label repeated everywhere, or the codes of the level above upsampled to this resolution).
 * Output: the gated stream (S, C, H, W) with S = 2 planes (vertical stack, horizontal stack), both
 * starting as the code embedding, plus a third plane, the embedded condition passed through
 * {@code conditionBlocks} residual blocks (ReLU, 3x3, ReLU, 1x1, add) when conditional.
 * <pre>pixelCnnInput(512, 64)   pixelCnnInput(512, 64).conditionedOn(10)   .conditionedOn(512, 2)</pre>
 */
public record PixelCnnInput(int codes, int channels, int conditions, int conditionBlocks) implements DjlLayer {
    public PixelCnnInput {
        if (codes < 2) throw ShapeException.of("PixelCnnInput", "needs at least 2 codes, received " + codes);
        if (channels <= 0) throw ShapeException.of("PixelCnnInput", "channels must be positive, received " + channels);
        if (conditions < 0 || conditionBlocks < 0) throw ShapeException.of("PixelCnnInput", "condition sizes must be zero or positive");
    }

    /** Conditioned on an index plane with {@code n} values, embedded without residual blocks. */
    public PixelCnnInput conditionedOn(int n) { return new PixelCnnInput(codes, channels, n, conditionBlocks); }
    /** Conditioned on an index plane with {@code n} values, through {@code blocks} residual blocks. */
    public PixelCnnInput conditionedOn(int n, int blocks) { return new PixelCnnInput(codes, channels, n, blocks); }

    public boolean conditional() { return conditions > 0; }

    @Override public String type() { return "PixelCnnInput"; }
    @Override public String defaultName() { return "input"; }

    @Override
    public Shape outputShape(Shape in) {
        int planes = conditional() ? 2 : 1;
        if (in.rank() != 3 || in.dim(0) != planes) {
            throw ShapeException.of(type(), "expected (N, " + planes + ", H, W): the codes" + (conditional() ? " and the condition" : "")
                    + " as planes, received " + in, conditional() ? "Put the condition index in plane 1" : "Use Net.input(1, H, W)");
        }
        return Shape.of(conditional() ? 3 : 2, channels, in.dim(1), in.dim(2));
    }

    @Override
    public long params(Shape in) {
        long c = channels;
        return codes * c + conditions * c + conditionBlocks * (c * c * 9 + c + c * c + c);
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new PriorBlocks.Input(this, in);
    }
}
