package netbook.internal.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import netbook.dsl.Net;

/** A network compiled and initialised on one device, for counting, inference and tests. */
public final class Compiled implements AutoCloseable {
    private final Net net;
    private final Block block;
    private final NDManager manager;

    private Compiled(Net net, Block block, NDManager manager) {
        this.net = net;
        this.block = block;
        this.manager = manager;
    }

    /** Compiles {@code net} and initialises its parameters for a batch of {@code batch}. */
    public static Compiled of(Net net, Device device, int batch) {
        NDManager manager = NDManager.newBaseManager(device);
        Block block = Compiler.compile(net);
        block.initialize(manager, DataType.FLOAT32, SpecShapes.djl(net.inputShape(), batch));
        return new Compiled(net, block, manager);
    }

    public Block block() { return block; }
    public NDManager manager() { return manager; }
    public Net net() { return net; }

    /** Parameters that receive gradients, as the engine holds them. */
    public long trainableParams() {
        return countParams(block, true);
    }

    /** Saved state that receives no gradient (batch-norm running statistics). */
    public long frozenParams() {
        return countParams(block, false);
    }

    static long countParams(Block block, boolean trainable) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() == trainable) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /** One forward pass; in training mode the auxiliary heads' outputs follow the main one. */
    public NDList forward(NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training);
    }

    @Override
    public void close() {
        manager.close();
    }
}
