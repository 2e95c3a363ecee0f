package netbook.vq;

import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/** Shape rule of the gated stream (S, C, H, W): S = 2 (vertical, horizontal) or 3 (with condition). */
final class Streams {
    private Streams() {}

    static void check(String type, Shape in) {
        if (in.rank() != 4 || (in.dim(0) != 2 && in.dim(0) != 3)) {
            throw ShapeException.of(type, "expected the gated stream (N, 2 or 3, C, H, W), received " + in,
                    "Start the prior with pixelCnnInput(K, C)");
        }
    }
}
