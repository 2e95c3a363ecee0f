package netbook.vq;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import netbook.dsl.NetbookException;
import netbook.train.Env;

/** Shared plumbing of the VQ training loops: a DJL trainer with Adam, and host arrays to engine arrays. */
final class Training {
    private Training() {}

    /** Adam at a fixed rate; the loss of the config is unused, the loops compute their own. */
    static Trainer trainer(Model model, double lr, long seed, netbook.dsl.Shape in, int batch) {
        Engine.getInstance().setRandomSeed((int) seed);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        Trainer t = model.newTrainer(config);
        t.initialize(new ai.djl.ndarray.types.Shape(in.withBatch(batch)));
        return t;
    }

    static Model model(String name, Block block) {
        Model m = Model.newInstance(name, Env.devices()[0]);
        m.setBlock(block);
        return m;
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

    static void finite(String what, double v, int step) {
        if (!Double.isFinite(v)) {
            throw new NetbookException(what + ": training diverged: loss is " + v + " at step " + step + "; lower the learning rate");
        }
    }
}
