package netbook.dsl.spec;

import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/** Shared shape checks, so every layer words its errors the same way. */
final class Checks {
    private Checks() {}

    static void image(String type, Shape in) {
        if (in.rank() != 3) {
            String hint = in.rank() == 1
                    ? "Convolutions and pools need images; did you flatten() too early, or forget reshape(C, H, W)?"
                    : in.rank() == 2 ? "Did you forget reshape(C, H, W)? A batch of images is (N, C, H, W)." : null;
            throw ShapeException.of(type, "expected 4-D input (N, C, H, W), received " + in, hint);
        }
    }

    static void vector(String type, Shape in) {
        if (in.rank() != 1) {
            throw ShapeException.of(type, "expected 2-D input (N, features), received " + in,
                    "Did you forget flatten()?");
        }
    }

    static void positive(String type, String what, long value) {
        if (value <= 0) {
            throw ShapeException.of(type, what + " must be positive, received " + value);
        }
    }

    static void nonNegative(String type, String what, long value) {
        if (value < 0) {
            throw ShapeException.of(type, what + " must be zero or positive, received " + value);
        }
    }

    /** PyTorch's output size of a convolution or pool along one axis. */
    static long windowOut(String type, String axis, long in, long kernel, long stride, long pad, long dilation,
                          boolean ceil, Shape full) {
        long effective = dilation * (kernel - 1) + 1;
        if (in + 2 * pad < effective) {
            throw ShapeException.of(type, "kernel " + effective + " is larger than the padded input " + axis + " "
                            + (in + 2 * pad) + " (input " + full + ", padding " + pad + ")",
                    "Use a smaller kernel or stride earlier, more padding, or a larger input");
        }
        long span = in + 2 * pad - effective;
        long out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--; // the last window may not start inside the right padding
        }
        return out;
    }
}
