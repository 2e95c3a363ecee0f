package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import netbook.engine.DjlLayer;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;

/**
 * The compiled form of Netbook's containers. Children keep their spec names, so parameter names
 * follow block paths. Forward returns the main activation first, then the outputs of any
 * auxiliary heads inside (training only).
 */
final class ContainerBlock extends AbstractBlock {
    private final Layer.Flow flow;
    private final Layer spec;
    private final netbook.dsl.Shape specIn;
    private final List<netbook.dsl.Shape> childInputs = new ArrayList<>();
    private final List<Layer> childSpecs = new ArrayList<>();
    private final List<String> childPaths = new ArrayList<>();
    private String path = "";

    /** A container that combines its children as {@code flow} says. */
    ContainerBlock(Layer.Flow flow, Layer spec, netbook.dsl.Shape specIn) {
        if (flow instanceof Layer.Flow.Opaque) {
            throw new IllegalArgumentException(spec.type() + " computes itself; it is not compiled as a container");
        }
        this.flow = flow;
        this.spec = spec;
        this.specIn = specIn;
    }

    /** Where this container sits in the network (its auxiliary output is named after it). */
    void at(String path) {
        this.path = path;
    }

    /** {@code "aux:" + path}: the name of an auxiliary head's output, which losses look up. */
    static String auxOutputName(String path) {
        return "aux:" + path;
    }

    /** Output name to loss weight of every auxiliary head in {@code root}'s tree. */
    static void auxiliaryWeights(ai.djl.nn.Block root, java.util.Map<String, Double> out) {
        if (root instanceof ContainerBlock c) {
            if (c.flow instanceof Layer.Flow.Auxiliary a) out.put(auxOutputName(c.path), a.lossWeight());
            for (var child : c.children.values()) auxiliaryWeights(child, out);
        }
    }

    void addChild(String name, Block block, Layer spec, netbook.dsl.Shape input, String path) {
        children.add(name, block);
        childInputs.add(input);
        childSpecs.add(spec instanceof Layer.Named n ? n.layer() : spec);
        childPaths.add(path);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i).getValue();
            child.initialize(manager, dataType, SpecShapes.djl(childInputs.get(i), batch));
            if (childSpecs.get(i) instanceof DjlLayer custom) {
                checkDeclaredParams(custom, child, childInputs.get(i), childPaths.get(i));
            }
        }
    }

    /** A custom layer's block must hold the parameters its spec declares, or summaries would lie. */
    private static void checkDeclaredParams(DjlLayer spec, Block block, netbook.dsl.Shape in, String path) {
        long declared = spec.params(in);
        long actual = Compiled.countParams(block, true);
        if (declared != actual) {
            throw new NetbookException(path + " (" + spec.type() + "): the custom layer declares " + declared
                    + " trainable parameters for input " + in + " but its block has " + actual
                    + "; make params(Shape) count what toBlock(Shape) creates");
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return SpecShapes.output(spec, specIn, inputShapes);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDList aux = new NDList();
        NDArray out;
        if (flow instanceof Layer.Flow.Sequence) {
            out = run(ps, 0, children.size(), x, training, params, aux);
        } else if (flow instanceof Layer.Flow.Auxiliary) {
            NDArray head = run(ps, 0, children.size(), x, training, params, aux);
            NDList r = new NDList(x);
            if (training) {
                head.setName(auxOutputName(path));
                r.add(head);
            }
            return r;
        } else if (flow instanceof Layer.Flow.Parallel p) {
            NDList parts = new NDList();
            for (int i = 0; i < children.size(); i++) {
                parts.add(run(ps, i, i + 1, x, training, params, aux));
            }
            if (p.concat()) {
                out = NDArrays.concat(parts, 1);
            } else {
                out = parts.get(0);
                for (int i = 1; i < parts.size(); i++) {
                    out = out.add(parts.get(i));
                }
            }
        } else if (flow instanceof Layer.Flow.Residual r) {
            int bodySize = r.bodySize();
            NDArray body = run(ps, 0, bodySize, x, training, params, aux);
            NDArray shortcut = bodySize < children.size() ? run(ps, bodySize, children.size(), x, training, params, aux) : x;
            out = r.scale() == 1 ? shortcut.add(body) : shortcut.add(Scalar.mul(body, (float) r.scale()));
        } else {
            throw new IllegalStateException("no data flow for " + flow);
        }
        NDList result = new NDList(out);
        result.addAll(aux);
        return result;
    }

    private NDArray run(ParameterStore ps, int from, int to, NDArray x, boolean training,
                        PairList<String, Object> params, NDList aux) {
        NDArray h = x;
        for (int i = from; i < to; i++) {
            Block child = children.get(i).getValue();
            NDList out = child.forward(ps, new NDList(h), training, params);
            h = Trace.record(childPaths.get(i), childSpecs.get(i).type(), child, out.get(0));
            for (int j = 1; j < out.size(); j++) {
                aux.add(out.get(j));
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return spec.type() + children.keys();
    }

    /** Small helper so the switch above reads cleanly. */
    private static final class NDArrays {
        static NDArray concat(NDList parts, int axis) {
            return ai.djl.ndarray.NDArrays.concat(parts, axis);
        }
    }
}
