package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiFunction;
import netbook.dsl.Layer;

/** A parameter-free block computing one array from one array; its shapes come from the spec. */
final class OpBlock extends AbstractBlock {
    private final Layer spec;
    private final netbook.dsl.Shape specIn;
    private final BiFunction<NDArray, Boolean, NDArray> op;

    OpBlock(Layer spec, netbook.dsl.Shape specIn, BiFunction<NDArray, Boolean, NDArray> op) {
        this.spec = spec;
        this.specIn = specIn;
        this.op = op;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(op.apply(inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return SpecShapes.output(spec, specIn, inputShapes);
    }

    @Override
    public String toString() {
        return spec.type() + "()";
    }
}
