package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import netbook.dsl.CustomLayer;
import netbook.dsl.NetbookException;
import netbook.dsl.Weight;
import netbook.engine.Blocks;

/** A {@link CustomLayer}: the weights it declares, created here, and the forward given with {@link Blocks#define}. */
final class WeightBlock extends AbstractBlock {
    private final CustomLayer spec;
    private final netbook.dsl.Shape specIn;
    private final Blocks.Forward<CustomLayer> forward;
    private final Map<String, Parameter> weights = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    WeightBlock(CustomLayer spec, netbook.dsl.Shape specIn, Blocks.Forward<?> forward) {
        this.spec = spec;
        this.specIn = specIn;
        this.forward = (Blocks.Forward<CustomLayer>) forward;
        spec.params(specIn); // checks the names are unique
        for (Weight w : spec.weights(specIn)) {
            weights.put(w.name(), addParameter(Parameter.builder().setName(w.name()).setType(Parameter.Type.OTHER)
                    .optShape(new Shape(w.shape().dims())).optInitializer(initializer(w.init())).build()));
        }
    }

    private static Initializer initializer(Weight.Init init) {
        return switch (init) {
            case ZEROS -> new ConstantInitializer(0f);
            case ONES -> new ConstantInitializer(1f);
            // DJL's Xavier: uniform bound sqrt(magnitude / ((fan_in + fan_out) / 2)); magnitude 3 gives sqrt(6 / (fan_in + fan_out)).
            case XAVIER -> new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
            // Gaussian with deviation sqrt(magnitude / fan_in): He et al.'s sqrt(2 / fan_in).
            case KAIMING -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray y = forward.apply(spec, name -> {
            Parameter p = weights.get(name);
            if (p == null) {
                throw new NetbookException("(" + spec.type() + "): its forward asked for the weight '" + name
                        + "', which weights(Shape) does not declare; declared: " + weights.keySet());
            }
            return ps.getValue(p, x.getDevice(), training);
        }, x, training);
        if (y == null) {
            throw new NetbookException("(" + spec.type() + "): its forward returned null; return the layer's output");
        }
        return new NDList(y);
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
