package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A lookup table of {@code count} x {@code dim} trainable vectors, indexed by integer arrays. */
final class EmbeddingBlock extends AbstractBlock {
    private final Parameter weight;
    private final int count;
    private final int dim;

    EmbeddingBlock(int count, int dim) {
        this.count = count;
        this.dim = dim;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(count, dim)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray idx = inputs.head();
        if (idx.getDataType() != DataType.INT64) {
            idx = idx.toType(DataType.INT64, false);
        }
        NDArray w = ps.getValue(weight, idx.getDevice(), training);
        return ai.djl.nn.core.Embedding.embedding(idx, w, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(dim))};
    }

    @Override
    public String toString() {
        return "Embedding(" + count + ", " + dim + ")";
    }
}
