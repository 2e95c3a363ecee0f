package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} (same parameters, same saved form, so checkpoints are unchanged) whose
 * forward goes through {@link ConvGuard}.
 */
final class GuardedConv2d extends Conv2d {
    private GuardedConv2d(Builder builder) {
        super(builder);
    }

    static Builder guardedBuilder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? ps.getValue(bias, x.getDevice(), training) : null;
        return new NDList(ConvGuard.conv2d(x, w, b, stride, padding, dilation, groups));
    }

    static final class Builder extends Conv2d.Builder {
        @Override
        public Conv2d build() {
            validate();
            return new GuardedConv2d(this);
        }
    }
}
