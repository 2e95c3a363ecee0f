package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that stays correct in backward. DJL's {@code x.mul(0.17f)} (and
 * {@code div}, {@code pow}, {@code maximum}, {@code minimum} with a number) on the PyTorch engine
 * wraps the number in a tensor over a Java direct buffer without copying it, closes that tensor,
 * and lets the garbage collector free the buffer; libtorch's autograd keeps the tensor for the
 * backward pass and reads freed memory there. The gradient then holds whatever the memory holds
 * now: wrong values that differ run to run, sometimes NaN (measured: 6 of 200 rounds of
 * {@code x.mul(0.17f)} with a garbage collection between forward and backward). Here the
 * constant is a 0-d tensor that libtorch allocates and owns ({@code torch::full}).
 * {@code add} and {@code sub} with a number are safe: their backward never reads it.
 */
public final class Scalar {
    private Scalar() {}

    /** {@code v} as a 0-d array of {@code like}'s type, on its device, in engine-owned memory. */
    public static NDArray of(NDArray like, double v) {
        return like.getManager().full(new Shape(), (float) v, like.getDataType()).toDevice(like.getDevice(), false);
    }

    public static NDArray mul(NDArray x, double v) {
        return x.mul(of(x, v));
    }

    public static NDArray div(NDArray x, double v) {
        return x.div(of(x, v));
    }

    public static NDArray pow(NDArray x, double v) {
        return x.pow(of(x, v));
    }

    public static NDArray maximum(NDArray x, double v) {
        return x.maximum(of(x, v));
    }
}
