package netbook.pcrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Random;
import netbook.data.SyntheticCrossDomain;
import netbook.dsl.Net;
import org.junit.jupiter.api.Test;

/** The GIN encoder: shapes, parameter count, normalised output, padding that changes nothing. */
class GinEncoderTest {
    static final BipartiteGraph GRAPH = BipartiteGraph.of(SyntheticCrossDomain.generate(
            new SyntheticCrossDomain.Config(150, 60, 40, 4, 0.5, 0.3, 10, 6, 3, 0.8, 5)).source());
    static final GinEncoder.Config SMALL = GinEncoder.Config.GCC.hidden(16);

    @Test
    void encodesABatchToUnitVectorsWithTheDslPartsParameterCount() {
        Random rnd = new Random(1);
        RandomWalkSampler s = RandomWalkSampler.gcc(2).maxNodes(24);
        List<Subgraph> graphs = List.of(s.sample(GRAPH, 0, rnd), s.sample(GRAPH, 7, rnd), s.sample(GRAPH, 150, rnd));
        SubgraphBatch batch = SubgraphBatch.of(graphs, 32, 512);
        try (NDManager m = NDManager.newBaseManager()) {
            GinEncoder enc = new GinEncoder(SMALL).initialize(m, batch);
            NDArray out = enc.encode(new ParameterStore(m, false), batch.toNd(m), true, true);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 16), out.getShape());
            float[] v = out.toFloatArray();
            for (int b = 0; b < 3; b++) {
                double n = 0;
                for (int d = 0; d < 16; d++) n += v[b * 16 + d] * v[b * 16 + d];
                assertEquals(1, n, 1e-5);
            }
            long trainable = 0;
            for (Pair<String, Parameter> p : enc.getParameters()) if (p.getValue().requiresGradient()) trainable += p.getValue().getArray().size();
            long spec = enc.parts().stream().mapToLong(Net::params).sum();
            assertEquals(spec, trainable, "the compiled encoder has the DSL parts' parameters");
            // 513 x 16 degree embedding; layer 1: 49x16+16 + 2*16 + 16x16+16 + 2*16 + 2*16; layers 2-4 the same from 16;
            // readouts 49x16+16 and 4 x (16x16+16)
            long layer1 = 49 * 16 + 16 + 32 + 16 * 16 + 16 + 32 + 32;
            long layerN = 16 * 16 + 16 + 32 + 16 * 16 + 16 + 32 + 32;
            assertEquals(513 * 16 + layer1 + 3 * layerN + (49 * 16 + 16) + 4 * (16 * 16 + 16), trainable);
            assertEquals(5, enc.parts().stream().filter(n -> n.name().startsWith("readout")).count(), "GCC's 5 readouts for num_layer 5");
        }
    }

    @Test
    void inEvalModeASubgraphEncodesTheSameAloneOrPaddedInABatch() {
        Random rnd = new Random(2);
        RandomWalkSampler s = RandomWalkSampler.gcc(2).maxNodes(32);
        Subgraph small = s.maxNodes(6).sample(GRAPH, 3, rnd);
        Subgraph big = s.sample(GRAPH, 160, rnd);
        try (NDManager m = NDManager.newBaseManager()) {
            SubgraphBatch both = SubgraphBatch.of(List.of(small, big), 32, 512);
            GinEncoder enc = new GinEncoder(SMALL).initialize(m, both);
            ParameterStore ps = new ParameterStore(m, false);
            float[] together = enc.encode(ps, both.toNd(m), false, false).toFloatArray();
            float[] alone = enc.encode(ps, SubgraphBatch.of(List.of(small), 32, 512).toNd(m), false, false).toFloatArray();
            assertArrayEquals(alone, java.util.Arrays.copyOf(together, 16), 1e-5f);
            assertTrue(small.size() < both.slots(), "the small subgraph was padded");
        }
    }

    @Test
    void aGinLayerAddsEachNodesOwnFeaturesToTheSumOfItsNeighbours() {
        // Two subgraphs padded to 3 slots: a path 0 - 1 - 2, and a pair 3 - 4 (its third slot empty).
        // Features: node k holds 10^k. Sum with self: 0 -> 1 + 10, 1 -> 10 + 1 + 100, 2 -> 100 + 10,
        // 3 -> 1000 + 10000, 4 -> 10000 + 1000. A mean of neighbours, or a sum without the self
        // term, gives other numbers (node 1: 50.5 or 101).
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 10, 100, 1000, 10000}, new ai.djl.ndarray.types.Shape(5, 1));
            NDArray gather = m.create(new long[] {0, 1, 2, 3, 4, 0}, new ai.djl.ndarray.types.Shape(2, 3));
            float[] adj = new float[2 * 9];
            adj[1] = adj[3] = adj[5] = adj[7] = 1;              // path: (0,1), (1,0), (1,2), (2,1)
            adj[9 + 1] = adj[9 + 3] = 1;                        // pair: (0,1), (1,0)
            NDArray adjacency = m.create(adj, new ai.djl.ndarray.types.Shape(2, 3, 3));
            NDArray scatter = m.create(new long[] {0, 1, 2, 3, 4});
            float[] out = GinEncoder.aggregate(x, gather, adjacency, scatter).toFloatArray();
            assertArrayEquals(new float[] {11, 111, 110, 11000, 11000}, out, 1e-3f);
        }
    }
}
