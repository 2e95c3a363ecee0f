package netbook.dsl;

import java.util.List;

/**
 * One block of a network, as an immutable spec. It knows, for an input shape, its output shape,
 * its parameter count and its multiply-accumulates, without any engine. Built-in layers come from
 * {@link Layers}; containers (sequences, branches, residuals) implement {@link Container}.
 */
public interface Layer {
    /** The block type shown in summaries and errors, such as {@code Conv2d}. */
    String type();

    /** Output shape for one example of {@code in}; throws {@link ShapeException} if {@code in} does not fit. */
    Shape outputShape(Shape in);

    /** Trainable parameters for this input shape (containers: of their own, not of children). */
    default long params(Shape in) {
        return 0;
    }

    /** Non-trainable state that is saved with the model, such as batch-norm running statistics. */
    default long frozenParams(Shape in) {
        return 0;
    }

    /** Multiply-accumulates for one example (convolutions and linear maps). */
    default long macs(Shape in) {
        return 0;
    }

    /** Prefix of the name this block gets when the user gives none: {@code conv}, {@code bn}, ... */
    default String defaultName() {
        return type().toLowerCase(java.util.Locale.ROOT);
    }

    /** This layer under an explicit name, used in its block path. */
    default Layer named(String name) {
        return new Named(name, this);
    }

    /** A layer with children. */
    interface Container extends Layer {
        /** The direct children, in spec order (a residual's shortcut last), without computing any shape. */
        List<Node> children();

        /** The children with the input shape each one receives, for an input of {@code in}. */
        List<Placed> place(Shape in);

        /** How the children's outputs combine into this container's output. */
        Flow flow();
    }

    /**
     * How a container's children combine, said as data: the engine-free DSL states the data flow and
     * the runtime follows it, so the compiler needs no case per container type.
     */
    sealed interface Flow {
        /** Each child's output is the next child's input. */
        record Sequence() implements Flow {}

        /** Every child reads the container's input; their outputs are joined along the channels ({@code concat}) or summed. */
        record Parallel(boolean concat) implements Flow {}

        /**
         * {@code shortcut + scale * body}: the first {@code bodySize} children, in sequence, form the body and
         * the rest, in sequence, the shortcut (the input itself when there are none).
         */
        record Residual(int bodySize, double scale) implements Flow {}

        /**
         * The children, in sequence, form a side head on the input that adds an output in training only,
         * weighted {@code lossWeight} in the loss; the container's own output is its input.
         */
        record Auxiliary(double lossWeight) implements Flow {}

        /** The layer computes its output itself on the engine; its children are listed for summaries and diagrams only. */
        record Opaque() implements Flow {}
    }

    /** A layer with an explicit name; containers unwrap it. */
    record Named(String name, Layer layer) implements Layer {
        public Named {
            new Node(name, layer); // validates the name
            if (layer instanceof Named n) {
                layer = n.layer();
            }
        }

        @Override public String type() { return layer.type(); }
        @Override public Shape outputShape(Shape in) { return layer.outputShape(in); }
        @Override public long params(Shape in) { return layer.params(in); }
        @Override public long frozenParams(Shape in) { return layer.frozenParams(in); }
        @Override public long macs(Shape in) { return layer.macs(in); }
        @Override public Layer named(String other) { return new Named(other, layer); }
    }
}
