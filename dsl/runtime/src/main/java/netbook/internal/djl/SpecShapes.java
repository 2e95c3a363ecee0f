package netbook.internal.djl;

import netbook.dsl.Layer;

/** Conversions between spec shapes (no batch axis) and DJL shapes (batch first). */
final class SpecShapes {
    private SpecShapes() {}

    static ai.djl.ndarray.types.Shape djl(netbook.dsl.Shape s, long batch) {
        return new ai.djl.ndarray.types.Shape(s.withBatch(batch));
    }

    /** The spec's output for the batch of {@code inputs[0]}. */
    static ai.djl.ndarray.types.Shape[] output(Layer spec, netbook.dsl.Shape specIn, ai.djl.ndarray.types.Shape[] inputs) {
        long batch = inputs.length == 0 ? 1 : inputs[0].get(0);
        return new ai.djl.ndarray.types.Shape[] {djl(spec.outputShape(specIn), batch)};
    }
}
