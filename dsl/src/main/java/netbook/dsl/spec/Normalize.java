package netbook.dsl.spec;

import java.util.Arrays;
import netbook.dsl.Layer;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;

/**
 * Subtracts a mean and divides by a standard deviation per channel of an image (C, H, W) or per
 * feature of a vector, with values fixed when the net is built (no weights). It lives inside the
 * network rather than in the data pipeline so that a saved model, {@code ./netbook predict} and an
 * exported PyTorch module all normalise new inputs exactly as training did.
 * <pre>normalize(new double[] {0.286}, new double[] {0.353})      // Fashion-MNIST's pixel statistics
 * train.normalization()                                         // a training set's statistics (netbook.data.Dataset)</pre>
 */
public record Normalize(double[] mean, double[] std) implements Layer {
    public Normalize {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw ShapeException.of("Normalize", "needs one mean and one standard deviation per channel, received "
                    + (mean == null ? "no" : mean.length) + " means and " + (std == null ? "no" : std.length) + " standard deviations");
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i])) throw ShapeException.of("Normalize", "mean " + i + " is " + mean[i] + "; it must be a finite number");
            if (!(std[i] > 0) || !Double.isFinite(std[i])) {
                throw ShapeException.of("Normalize", "standard deviation " + i + " is " + std[i] + "; it must be positive and finite",
                        "A channel that never varies has deviation 0: use 1 for it");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override public String type() { return "Normalize"; }
    @Override public String defaultName() { return "normalize"; }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1 && in.rank() != 3) {
            throw ShapeException.of(type(), "expected (N, C, H, W) images or (N, features) vectors, received " + in);
        }
        if (mean.length != 1 && mean.length != in.dim(0)) {
            throw ShapeException.of(type(), mean.length + " means and deviations for an input of " + in.dim(0)
                    + (in.rank() == 3 ? " channels" : " features") + " " + in, "Give one value per channel, or one for all");
        }
        return in;
    }

    @Override public boolean equals(Object o) { return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std); }
    @Override public int hashCode() { return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std); }
    @Override public String toString() { return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]"; }
}
