package netbook.vq;

import netbook.engine.DjlLayer;
import netbook.dsl.Shape;

/** The horizontal stack of the gated stream (S, C, H, W) as an image (C, H, W), for the output head. */
public record StackOutput() implements DjlLayer {
    @Override public String type() { return "StackOutput"; }
    @Override public String defaultName() { return "stack_out"; }

    @Override
    public Shape outputShape(Shape in) {
        Streams.check(type(), in);
        return Shape.of(in.dim(1), in.dim(2), in.dim(3));
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new PriorBlocks.Output(this, in);
    }
}
