package netbook.dsl;

/**
 * One learned tensor of a {@link CustomLayer}, described as data: its name, its shape and how it
 * starts. The spec stays engine-free; the runtime creates the tensor when the net is compiled.
 * <pre>Weight.of("gamma", Shape.of(channels, 1, 1), Weight.Init.ONES)</pre>
 *
 * @param name unique within the layer (lower-case letters, digits, '_')
 * @param shape the tensor's full shape (a weight has no batch axis)
 * @param init how its values start
 */
public record Weight(String name, Shape shape, Init init) {
    /** How a weight's values start; the engine draws from the seeded generator of the run. */
    public enum Init {
        ZEROS, ONES,
        /** Uniform in +-sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio): for weights feeding a linear output. */
        XAVIER,
        /** Normal with deviation sqrt(2 / fan_in) (He et al.): for weights feeding a ReLU. */
        KAIMING
    }

    public Weight {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new NetbookException("Weight: a weight's name is lower-case letters, digits and '_', starting with a letter; received " + name);
        }
        if (shape == null || shape.rank() == 0) {
            throw new NetbookException("Weight " + name + ": give its shape, e.g. Shape.of(channels, 1, 1)");
        }
        if (init == null) {
            throw new NetbookException("Weight " + name + ": give how it starts (Weight.Init.ZEROS, ONES, XAVIER or KAIMING)");
        }
    }

    public static Weight of(String name, Shape shape, Init init) {
        return new Weight(name, shape, init);
    }

    /** Number of values. */
    public long size() {
        return shape.size();
    }
}
