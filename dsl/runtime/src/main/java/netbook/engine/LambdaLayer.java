package netbook.engine;

import java.util.function.UnaryOperator;
import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * A parameter-free custom block: its output-shape rule and its forward computation on the engine.
 * <pre>Blocks.lambda("Swish", s -> s, x -> x.mul(x.getNDArrayInternal().sigmoid()))</pre>
 */
public record LambdaLayer(String type, UnaryOperator<Shape> shapeRule,
                          UnaryOperator<ai.djl.ndarray.NDArray> forward) implements Layer {
    @Override
    public Shape outputShape(Shape in) {
        Shape out;
        try {
            out = shapeRule.apply(in);
        } catch (ShapeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ShapeException.of(type, "its shape rule failed on input " + in + ": " + e.getMessage());
        }
        if (out == null) {
            throw ShapeException.of(type, "its shape rule returned no shape for input " + in);
        }
        return out;
    }
}
