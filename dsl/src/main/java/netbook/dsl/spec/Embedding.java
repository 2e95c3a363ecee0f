package netbook.dsl.spec;

import netbook.dsl.Layer;
import netbook.dsl.Shape;

/**
 * A lookup table of {@code count} vectors of size {@code dim}: integer indices of any shape become
 * that shape plus a last axis of {@code dim}. <pre>embedding(512, 64)</pre>
 */
public record Embedding(int count, int dim) implements Layer {
    public Embedding {
        Checks.positive("Embedding", "count", count);
        Checks.positive("Embedding", "dim", dim);
    }

    @Override public String type() { return "Embedding"; }
    @Override public String defaultName() { return "embed"; }

    @Override
    public Shape outputShape(Shape in) {
        long[] d = java.util.Arrays.copyOf(in.dims(), in.rank() + 1);
        d[in.rank()] = dim;
        return Shape.of(d);
    }

    @Override public long params(Shape in) { return (long) count * dim; }
}
