package netbook.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Host memory for input batches, made once for each batch length and reused batch after batch
 * (for a whole training run, or for one evaluation or prediction call), instead of a new Java
 * array and a new direct buffer per batch.
 *
 * <p>Why: a batch of 64 images of 3x224x224 is 38 MB. DJL copies a Java array into a new direct
 * buffer, and glibc's malloc serves blocks that large straight from the system and gives them
 * back on free, so every batch touched fresh pages: 100-150 ms a batch on a 2-vCPU VM, more than
 * many steps take (a growing Java heap did the same to the Java array). Reused, a batch costs one
 * copy of a few milliseconds under any allocator.
 *
 * <p>Why it is safe: the engine array {@link #wrap} returns reads the direct buffer without a
 * copy, so the buffer must not be refilled while anything still reads it. Every caller closes the
 * manager a batch's arrays live in before it reads the next batch: the training loop closes a
 * step's scope, and with it every array the step made from its batch (views, the tensors saved
 * for the backward pass); evaluation and prediction copy each batch's results out as Java
 * numbers and close its manager. Nothing made from a batch is handed to the user.
 *
 * <p>Threads: the loader thread fills the array of {@link #floats} for the next step while the
 * current step computes; {@code Fit} copies a batch out with {@link #wrap} before it hands the
 * loader the next one, so one array per length is enough.
 */
final class BatchMemory {
    private final Map<Integer, float[]> arrays = new HashMap<>();
    private final Map<Integer, ByteBuffer> buffers = new HashMap<>();

    /** The Java array for a batch of {@code length} values (reused: the previous batch's values are in it). */
    synchronized float[] floats(int length) {
        return arrays.computeIfAbsent(length, float[]::new);
    }

    /**
     * An engine array of {@code shape} holding {@code values}, made in {@code scope}: the values
     * are copied into the direct buffer kept for that length, which the array then reads.
     */
    NDArray wrap(NDManager scope, float[] values, Shape shape) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("batch of " + values.length + " values for shape " + shape);
        }
        ByteBuffer buffer;
        synchronized (this) {
            buffer = buffers.computeIfAbsent(values.length,
                    n -> ByteBuffer.allocateDirect(Math.multiplyExact(n, Float.BYTES)).order(ByteOrder.nativeOrder()));
        }
        buffer.clear();
        buffer.asFloatBuffer().put(values);
        return scope.create(buffer, shape, DataType.FLOAT32);
    }
}
