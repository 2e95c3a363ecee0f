package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/** Layer normalisation over the last axis, with learned scale and shift. <pre>layerNorm()</pre> */
public record LayerNorm(double eps) implements Layer {
    @Override public String type() { return "LayerNorm"; }
    @Override public String defaultName() { return "ln"; }
    @Override public Shape outputShape(Shape in) { return in; }
    @Override public long params(Shape in) { return 2 * in.dim(-1); }
}
