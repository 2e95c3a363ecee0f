package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Causal multi-head self-attention over the horizontal stack of the gated stream, in raster order:
 * position i attends to positions j <= i (the horizontal stack at j already sees only codes before
 * j). Queries and keys read the stack plus two coordinate planes (row and column in [0, 1)), as
 * PixelSNAIL's positional background; values read the stack; a 1x1 output projection is added to
 * the stack (residual). The vertical stack and the condition pass unchanged.
 * <pre>causalAttention(4)   // 4 heads; channels must divide by 4</pre>
 */
public record CausalAttention(int heads) implements DjlLayer {
    public CausalAttention {
        if (heads <= 0) throw ShapeException.of("CausalAttention", "heads must be positive, received " + heads);
    }

    @Override public String type() { return "CausalAttention"; }
    @Override public String defaultName() { return "attention"; }

    @Override
    public Shape outputShape(Shape in) {
        Streams.check(type(), in);
        if (in.dim(1) % heads != 0) {
            throw ShapeException.of(type(), in.dim(1) + " channels do not split into " + heads + " heads, received " + in);
        }
        return in;
    }

    @Override
    public long params(Shape in) {
        long c = in.dim(1);
        return 2 * ((c + 2) * c + c) + 2 * (c * c + c);
    }

    @Override
    public long macs(Shape in) {
        long c = in.dim(1);
        long l = in.dim(2) * in.dim(3);
        return params(in) * l + 2 * l * l * c;
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new PriorBlocks.Attention(this, in);
    }
}
