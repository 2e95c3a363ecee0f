package netbook.dsl;

import java.util.Arrays;

/**
 * The shape of one example, without the batch dimension: {@code Shape.of(3, 224, 224)} is an
 * RGB image (C, H, W). Printed with a leading {@code N} for the batch: {@code (N, 3, 224, 224)}.
 */
public final class Shape {
    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    /** A shape from its dimensions; every dimension must be positive. */
    public static Shape of(long... dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(dims) + ": dimension " + i + " is " + dims[i]
                                + ", every dimension must be positive");
            }
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /** Elements in one example. */
    public long size() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    public long[] dims() {
        return dims.clone();
    }

    /** This shape with a new value at dimension {@code i}. */
    public Shape with(int i, long value) {
        long[] d = dims.clone();
        d[i < 0 ? d.length + i : i] = value;
        return Shape.of(d);
    }

    /** The dimensions with the batch size in front, as engines want them. */
    public long[] withBatch(long batch) {
        long[] d = new long[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code (N, 64, 56, 56)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(N");
        for (long d : dims) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }
}
