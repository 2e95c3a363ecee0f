package netbook.pcrec;

import static netbook.dsl.Layers.batchNorm;
import static netbook.dsl.Layers.embedding;
import static netbook.dsl.Layers.linear;
import static netbook.dsl.Layers.relu;

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
import java.util.Locale;
import netbook.dsl.Net;
import netbook.internal.djl.Compiler;
import netbook.internal.djl.Scalar;

/**
 * GCC's graph encoder ({@code UnsupervisedGIN} in {@code gcc/models/gin.py}) for one batch of
 * subgraphs ({@link SubgraphBatch}): a graph embedding per subgraph, L2-normalised.
 * <pre>
 * x0 = [positional(32) | degreeEmbedding(16) | seed(1)]                     (N, 49)
 * for l in 1..layers-1:                                                      GIN layer, eps = 0
 *     x_l = mlp_l(x_{l-1} + sum of neighbours' x_{l-1})                      (N, hidden)
 *         mlp_l = linear, batchNorm, relu, linear, batchNorm, relu, batchNorm, relu
 * out = sum_l dropout(readout_l(sum over the subgraph's nodes of x_l))        (B, output)
 * out = out / max(|out|, 1e-5)
 * </pre>
 * {@code mlp_l} is GIN's 2-layer MLP followed by GCC's {@code ApplyNodeFunc} batch norm + ReLU and
 * the layer's own batch norm + ReLU. The degree embedding, every {@code mlp_l} and every
 * {@code readout_l} are DSL networks ({@link #parts()}) compiled to DJL. The neighbour sum is the
 * one step the DSL cannot say (it needs the graph as a second input): it is a dense batched
 * matrix product {@code A x} on the padded (B, n, n) adjacency of each subgraph, the simplest
 * correct form for subgraphs of at most 128 nodes; batch norm runs on the packed (N, C) real
 * nodes only, as on DGL's batched graph.
 * <p>Defaults ({@link Config#GCC}) are GCC's: 5 layers (4 GIN layers plus the input), hidden and
 * output 64, degree embedding 16 of degrees up to 512, positional 32, final dropout 0.5, output
 * L2-normalised with eps 1e-5. Dropout is applied only when {@code dropout} is asked for: GCC
 * runs its momentum key encoder in eval mode with batch norm in training mode.
 */
public final class GinEncoder extends AbstractBlock {
    /** Encoder settings. */
    public record Config(
            int layers,          // GCC --num-layer: GIN layers + 1 (the input representation)
            int hidden,          // GCC --hidden-size
            int output,          // graph embedding size
            int positional,      // GCC --positional-embedding-size
            int degreeDim,       // GCC --degree-embedding-size
            int maxDegree,       // GCC --max-degree
            double dropout) {    // GCC final_dropout
        public static final Config GCC = new Config(5, 64, 64, 32, 16, 512, 0.5);

        public Config {
            if (layers < 1 || hidden < 1 || output < 1 || positional < 1 || degreeDim < 1 || maxDegree < 1) {
                throw new IllegalArgumentException("GinEncoder.Config: every size must be positive: " + this);
            }
        }

        public Config layers(int l) { return new Config(l, hidden, output, positional, degreeDim, maxDegree, dropout); }
        public Config hidden(int h) { return new Config(layers, h, h, positional, degreeDim, maxDegree, dropout); }

        /** Input features per node. */
        public int inputDim() { return positional + degreeDim + 1; }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GIN %d layers, hidden %d, output %d, positional %d, degree %d (max %d), dropout %.2f",
                    layers, hidden, output, positional, degreeDim, maxDegree, dropout);
        }
    }

    private final Config config;
    private final List<Net> parts = new ArrayList<>();
    private final Block degreeEmbedding;
    private final List<Block> mlps = new ArrayList<>();
    private final List<Block> readouts = new ArrayList<>();

    public GinEncoder(Config config) {
        this.config = config;
        Net degree = Net.input(1).named("degree").add(embedding(config.maxDegree + 1, config.degreeDim).named("embed"));
        parts.add(degree);
        degreeEmbedding = addChildBlock("degree", Compiler.compile(degree.body().items().get(0).layer(), netbook.dsl.Shape.of(1), "degree"));
        for (int l = 1; l < config.layers; l++) {
            int in = l == 1 ? config.inputDim() : config.hidden;
            Net mlp = Net.input(in).named("gin" + l).add(
                    linear(config.hidden), batchNorm(), relu(), linear(config.hidden),   // GIN's 2-layer MLP
                    batchNorm(), relu(),                                                    // ApplyNodeFunc
                    batchNorm(), relu());                                                   // the layer's batch norm
            parts.add(mlp);
            mlps.add(addChildBlock("gin" + l, Compiler.compile(mlp)));
        }
        for (int l = 0; l < config.layers; l++) {
            Net r = Net.input(l == 0 ? config.inputDim() : config.hidden).named("readout" + l).add(linear(config.output));
            parts.add(r);
            readouts.add(addChildBlock("readout" + l, Compiler.compile(r)));
        }
    }

    public Config config() { return config; }

    /** The DSL networks inside: degree embedding, GIN layer MLPs, readout linears (for summaries). */
    public List<Net> parts() { return List.copyOf(parts); }

    /** Initialises parameters for batches shaped like {@code example}. */
    public GinEncoder initialize(NDManager manager, SubgraphBatch example) {
        initialize(manager, DataType.FLOAT32, example.shapes());
        return this;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        long b = inputShapes[3].get(0);
        degreeEmbedding.initialize(manager, dataType, new Shape(n));
        for (int l = 0; l < mlps.size(); l++) {
            mlps.get(l).initialize(manager, dataType, new Shape(n, l == 0 ? config.inputDim() : config.hidden));
        }
        for (int l = 0; l < readouts.size(); l++) {
            readouts.get(l).initialize(manager, dataType, new Shape(b, l == 0 ? config.inputDim() : config.hidden));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[3].get(0), config.output)};
    }

    /** Graph embeddings (B, output); dropout only when {@code dropout} and {@code training}. */
    public NDArray encode(ParameterStore ps, NDList batch, boolean training, boolean dropout) {
        PairList<String, Object> p = new PairList<>();
        p.add("dropout", dropout);
        return forward(ps, batch, training, p).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        boolean dropout = training && (params == null || !Boolean.FALSE.equals(params.get("dropout")));
        NDArray pos = in.get(0);
        NDArray degree = in.get(1);
        NDArray seed = in.get(2);
        NDArray gather = in.get(3);
        NDArray adjacency = in.get(4);
        NDArray scatter = in.get(5);
        NDArray members = in.get(6);
        NDArray degEmb = degreeEmbedding.forward(ps, new NDList(degree), training).head();     // (N, 16)
        NDArray x = pos.concat(degEmb, 1).concat(seed, 1);                                     // (N, 49)
        List<NDArray> reps = new ArrayList<>();
        reps.add(x);
        for (Block mlp : mlps) {
            NDArray packed = aggregate(x, gather, adjacency, scatter);                          // (N, C)
            x = mlp.forward(ps, new NDList(packed), training).head();                           // (N, hidden)
            reps.add(x);
        }
        NDArray out = null;
        for (int l = 0; l < reps.size(); l++) {
            NDArray pooled = members.matMul(reps.get(l));                                       // (B, C) sum pooling
            NDArray y = readouts.get(l).forward(ps, new NDList(pooled), training).head();       // (B, output)
            if (dropout && config.dropout > 0) {
                y = ai.djl.nn.norm.Dropout.dropout(y, (float) config.dropout, true).head();
            }
            out = out == null ? y : out.add(y);
        }
        NDArray norm = Scalar.maximum(out.norm(new int[] {1}, true), 1e-5);
        return new NDList(out.div(norm));
    }

    /**
     * GIN's neighbourhood step with eps = 0: each node's own features plus the sum (not the mean:
     * a sum tells a node of degree 4 from one of degree 2 with the same neighbours' average) of its
     * neighbours' features. {@code x} holds the batch's real nodes packed (N, C); the result too.
     */
    static NDArray aggregate(NDArray x, NDArray gather, NDArray adjacency, NDArray scatter) {
        long b = gather.getShape().get(0);
        long n = gather.getShape().get(1);
        NDArray padded = rows(x, gather);                                    // (B, n, C)
        NDArray summed = padded.add(adjacency.batchMatMul(padded));          // (1 + eps) x + sum of neighbours
        return rows(summed.reshape(b * n, -1), scatter);                     // (N, C)
    }

    /** Rows of {@code table} (R, C) at {@code index} (any shape): index shape + (C). A row lookup, fast forward and backward. */
    private static NDArray rows(NDArray table, NDArray index) {
        return ai.djl.nn.core.Embedding.embedding(index, table, ai.djl.ndarray.types.SparseFormat.DENSE).head();
    }

    @Override
    public String toString() {
        return "GinEncoder(" + config + ")";
    }
}
