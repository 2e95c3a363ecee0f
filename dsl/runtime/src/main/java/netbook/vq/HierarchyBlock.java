package netbook.vq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.internal.djl.Compiler;

/** The compiled {@link VqHierarchy}; children carry the spec's names, so parameters follow block paths. */
final class HierarchyBlock extends AbstractBlock {
    private final VqHierarchy spec;
    private final Shape specIn;
    private final Map<String, Block> byName = new HashMap<>();
    private final Map<String, Shape> inputOf = new HashMap<>();

    HierarchyBlock(VqHierarchy spec, Shape in) {
        this.spec = spec;
        this.specIn = in;
        for (Placed p : spec.place(in)) {
            String name = p.node().name();
            Block b = Compiler.compile(p.node().layer(), p.input(), name);
            children.add(name, b);
            byName.put(name, b);
            inputOf.put(name, p.input());
        }
    }

    VqHierarchy spec() { return spec; }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, ai.djl.ndarray.types.Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        for (var child : children) {
            child.getValue().initialize(manager, dataType,
                    new ai.djl.ndarray.types.Shape(inputOf.get(child.getKey()).withBatch(batch)));
        }
    }

    private NDArray run(String name, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return byName.get(name).forward(ps, new NDList(x), training, params).head();
    }

    QuantizerBlock quantizer(Level l) {
        return (QuantizerBlock) byName.get(VqHierarchy.quant(l));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        List<Level> levels = spec.levels();
        int n = levels.size();
        NDArray[] h = new NDArray[n];
        NDArray s = inputs.head();
        for (int i = 0; i < n; i++) {
            s = run(VqHierarchy.enc(levels.get(i)), ps, s, training, params);
            h[i] = s;
        }
        NDArray[] q = new NDArray[n];
        NDList codes = new NDList();
        NDList perplexities = new NDList();
        NDList usages = new NDList();
        NDArray loss = null;
        NDArray cond = null;
        for (int i = n - 1; i >= 0; i--) {
            Level l = levels.get(i);
            NDArray qin = cond == null ? h[i] : NDArrays.concat(new NDList(h[i], cond), 1);
            NDArray z = run(VqHierarchy.qconv(l), ps, qin, training, params);
            NDList out = byName.get(VqHierarchy.quant(l)).forward(ps, new NDList(z), training, params);
            q[i] = out.get(QuantizerBlock.QUANTIZED);
            loss = loss == null ? out.get(QuantizerBlock.LOSS) : loss.add(out.get(QuantizerBlock.LOSS));
            codes.add(0, out.get(QuantizerBlock.CODES));
            perplexities.add(0, out.get(QuantizerBlock.PERPLEXITY));
            usages.add(0, out.get(QuantizerBlock.USAGE));
            if (i > 0) cond = run(VqHierarchy.dec(l), ps, q[i], training, params);
        }
        NDArray recon = decodeQuantized(ps, q, training, params);
        // Named as well as placed, so that losses read them by name.
        recon.setName("reconstruction");
        loss.setName("latent_loss");
        for (int i = 0; i < n; i++) {
            String level = levels.get(i).name();
            codes.get(i).setName("codes_" + level);
            perplexities.get(i).setName("perplexity_" + level);
            usages.get(i).setName("usage_" + level);
        }
        NDList result = new NDList(recon, loss);
        result.addAll(codes);
        result.addAll(perplexities);
        result.addAll(usages);
        return result;
    }

    private NDArray decodeQuantized(ParameterStore ps, NDArray[] q, boolean training, PairList<String, Object> params) {
        List<Level> levels = spec.levels();
        NDList parts = new NDList(q[0]);
        for (int i = 1; i < levels.size(); i++) {
            parts.add(run(VqHierarchy.up(levels.get(i)), ps, q[i], training, params));
        }
        NDArray decIn = parts.size() == 1 ? q[0] : NDArrays.concat(parts, 1);
        return run("dec", ps, decIn, training, params);
    }

    /** Images from codes, one (N, H, W) array per level, bottom first. */
    NDArray decode(ParameterStore ps, NDList codes) {
        List<Level> levels = spec.levels();
        NDArray[] q = new NDArray[levels.size()];
        for (int i = 0; i < q.length; i++) q[i] = quantizer(levels.get(i)).lookup(ps, codes.get(i));
        return decodeQuantized(ps, q, false, null);
    }

    @Override
    public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        int n = spec.levels().size();
        ai.djl.ndarray.types.Shape[] out = new ai.djl.ndarray.types.Shape[2 + 3 * n];
        out[0] = new ai.djl.ndarray.types.Shape(spec.outputShape(specIn).withBatch(batch));
        out[1] = new ai.djl.ndarray.types.Shape();
        List<Shape> cs = spec.codeShapes(specIn);
        for (int i = 0; i < n; i++) {
            out[2 + i] = new ai.djl.ndarray.types.Shape(cs.get(i).withBatch(batch));
            out[2 + n + i] = new ai.djl.ndarray.types.Shape();
            out[2 + 2 * n + i] = new ai.djl.ndarray.types.Shape();
        }
        return out;
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
