package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * An elementwise activation (relu, elu, gelu, tanh, sigmoid), softmax over an axis, or GLU, which
 * halves the given axis: glu(a, b) = a * sigmoid(b).
 */
public record Activation(Kind kind, double alpha, int axis) implements Layer {
    public enum Kind { RELU, ELU, GELU, TANH, SIGMOID, SOFTMAX, GLU }

    public static Activation of(Kind kind) {
        return new Activation(kind, 1.0, 0);
    }

    @Override
    public String type() {
        return switch (kind) {
            case RELU -> "ReLU";
            case ELU -> "ELU";
            case GELU -> "GELU";
            case TANH -> "Tanh";
            case SIGMOID -> "Sigmoid";
            case SOFTMAX -> "Softmax";
            case GLU -> "GLU";
        };
    }

    @Override public String defaultName() { return kind.name().toLowerCase(java.util.Locale.ROOT); }

    @Override
    public Shape outputShape(Shape in) {
        if (kind == Kind.SOFTMAX || kind == Kind.GLU) {
            if (axis < -in.rank() || axis >= in.rank()) {
                throw ShapeException.of(type(), "axis " + axis + " does not exist in input " + in);
            }
        }
        if (kind == Kind.GLU) {
            long d = in.dim(axis);
            if (d % 2 != 0) {
                throw ShapeException.of(type(), "GLU halves axis " + axis + ", which must be even, received " + in);
            }
            return in.with(axis, d / 2);
        }
        return in;
    }
}
