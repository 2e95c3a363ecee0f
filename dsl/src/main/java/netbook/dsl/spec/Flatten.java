package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/** (N, C, H, W) to (N, C*H*W). */
public record Flatten() implements Layer {
    @Override public String type() { return "Flatten"; }
    @Override public Shape outputShape(Shape in) { return Shape.of(in.size()); }
}
