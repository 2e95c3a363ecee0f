package netbook.engine;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;
import netbook.dsl.CustomLayer;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.internal.djl.CustomForwards;

/**
 * The engine's side of user-written layers: the computation of a {@link CustomLayer} type, and
 * parameter-free layers given as a shape rule and a function.
 * <pre>
 * Blocks.define(Scale.class, (layer, w, x, training) -> x.mul(w.get("gamma")));
 * Net net = Net.input(3, 8, 8).add(conv(3, 3).padding(1), new Scale(3), Blocks.lambda("Swish", s -> s, x -> x.mul(x.getNDArrayInternal().sigmoid())));
 * </pre>
 */
public final class Blocks {
    private Blocks() {}

    /** A custom layer's computation: its spec, its weights by name, the input batch, training or not. */
    @FunctionalInterface
    public interface Forward<L extends CustomLayer> {
        NDArray apply(L layer, Weights weights, NDArray x, boolean training);
    }

    /** The weights a {@link CustomLayer} declared, created by the engine, by name. */
    public interface Weights {
        /** The weight called {@code name}; an undeclared name is an error listing the declared ones. */
        NDArray get(String name);
    }

    /**
     * Gives the computation of every layer of type {@code type}; call it once, before compiling a
     * net that holds one (a later call for the same type replaces it).
     */
    public static <L extends CustomLayer> void define(Class<L> type, Forward<L> forward) {
        if (type == null || forward == null) {
            throw new NetbookException("Blocks.define: give the layer's class and its forward function, e.g. "
                    + "Blocks.define(Scale.class, (layer, w, x, training) -> x.mul(w.get(\"gamma\")))");
        }
        CustomForwards.put(type, forward);
    }

    /** A parameter-free layer from a shape rule and a forward function; it holds code, so a net with it cannot be saved. */
    public static LambdaLayer lambda(String type, UnaryOperator<Shape> shapeRule, UnaryOperator<NDArray> forward) {
        if (type == null || type.isBlank() || shapeRule == null || forward == null) {
            throw new NetbookException("Blocks.lambda: give a type name, a shape rule and a forward function, e.g. "
                    + "Blocks.lambda(\"Swish\", s -> s, x -> x.mul(x.getNDArrayInternal().sigmoid()))");
        }
        return new LambdaLayer(type, shapeRule, forward);
    }
}
