package netbook.vq;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import netbook.env.Env;
import netbook.train.TrainingLoop;

/** Shared plumbing of the VQ models' training tasks: a seeded, initialised model, its state, host arrays to engine arrays. */
final class Training {
    private Training() {}

    /** A model of {@code block} with weights initialised from {@code seed} for inputs of {@code in}. */
    static Model model(String name, Block block, long seed, netbook.dsl.Shape in, int batch) {
        TrainingLoop.seedEngine(seed);
        Model m = Model.newInstance(name, Env.devices()[0]);
        m.setBlock(block);
        block.initialize(m.getNDManager(), DataType.FLOAT32, new ai.djl.ndarray.types.Shape(in.withBatch(batch)));
        return m;
    }

    /** Every parameter and buffer of {@code block}, by name: the state a training run snapshots and checkpoints. */
    static List<Pair<String, NDArray>> state(Block block) {
        List<Pair<String, NDArray>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) out.add(new Pair<>(p.getKey(), p.getValue().getArray()));
        return out;
    }

    /** Rows {@code idx} of a row-major host array with {@code width} values per row, as (n, dims...). */
    static NDArray rows(NDManager m, float[] data, int width, int[] idx, long... dims) {
        float[] buf = new float[idx.length * width];
        for (int i = 0; i < idx.length; i++) System.arraycopy(data, idx[i] * width, buf, i * width, width);
        long[] shape = new long[dims.length + 1];
        shape[0] = idx.length;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return m.create(buf, new ai.djl.ndarray.types.Shape(shape)).toDevice(m.getDevice(), false);
    }

}
