package netbook.pcrec;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A batch of subgraphs as the {@link GinEncoder} reads it. Nodes of all subgraphs are packed
 * into one list of {@code N} rows (so batch norm sees exactly the real nodes, as on DGL's batched
 * graph); for neighbour sums they are laid out padded, {@code B} subgraphs of {@code n} slots:
 * <pre>
 * positional (N, P)  float   GCC's eigenvector features
 * degree     (N)     int64   degree inside the subgraph, clamped
 * seed       (N, 1)  float   1 for ego nodes
 * gather     (B, n)  int64   packed row of slot (b, i); 0 for an empty slot
 * adjacency  (B, n, n) float 0/1, symmetric, zero on empty slots
 * scatter    (N)     int64   flat slot b * n + i of each packed row
 * members    (B, N)  float   1 where the packed row belongs to subgraph b (sum pooling)
 * </pre>
 * An empty slot gathers an arbitrary row: its adjacency row and column are zero and no packed
 * row is scattered from it, so it never reaches a real node.
 * Features are computed in Java when the batch is made; {@link #toNd} copies them to the engine.
 */
public final class SubgraphBatch {
    private final int graphs;
    private final int slots;
    private final int nodes;
    private final int posDim;
    private final float[] positional;
    private final long[] degree;
    private final float[] seed;
    private final long[] gather;
    private final float[] adjacency;
    private final long[] scatter;
    private final float[] members;

    private SubgraphBatch(int graphs, int slots, int nodes, int posDim, float[] positional, long[] degree, float[] seed,
                          long[] gather, float[] adjacency, long[] scatter, float[] members) {
        this.graphs = graphs;
        this.slots = slots;
        this.nodes = nodes;
        this.posDim = posDim;
        this.positional = positional;
        this.degree = degree;
        this.seed = seed;
        this.gather = gather;
        this.adjacency = adjacency;
        this.scatter = scatter;
        this.members = members;
    }

    /** The batch of {@code subgraphs} with {@code posDim} positional features and degrees clamped to {@code maxDegree}. */
    public static SubgraphBatch of(List<Subgraph> subgraphs, int posDim, int maxDegree) {
        int b = subgraphs.size();
        int n = 1;
        int total = 0;
        for (Subgraph s : subgraphs) {
            n = Math.max(n, s.size());
            total += s.size();
        }
        float[] pos = new float[total * posDim];
        long[] deg = new long[total];
        float[] seed = new float[total];
        long[] gather = new long[b * n];
        float[] adj = new float[b * n * n];
        long[] scatter = new long[total];
        float[] members = new float[b * total];
        int row = 0;
        for (int g = 0; g < b; g++) {
            Subgraph s = subgraphs.get(g);
            float[][] p = NodeFeatures.positional(s, posDim);
            int[] d = NodeFeatures.degrees(s, maxDegree);
            for (int i = 0; i < s.size(); i++) {
                System.arraycopy(p[i], 0, pos, (row + i) * posDim, posDim);
                deg[row + i] = d[i];
                seed[row + i] = s.seedFlag(i);
                gather[g * n + i] = row + i;
                scatter[row + i] = (long) g * n + i;
                members[g * total + row + i] = 1;
                for (int j : s.adjacency()[i]) adj[(g * n + i) * n + j] = 1;
            }
            row += s.size();
        }
        return new SubgraphBatch(b, n, total, posDim, pos, deg, seed, gather, adj, scatter, members);
    }

    /** Subgraphs in the batch (B). */
    public int graphs() { return graphs; }
    /** Slots per subgraph (n, the largest subgraph). */
    public int slots() { return slots; }
    /** Real nodes in all subgraphs (N). */
    public int nodes() { return nodes; }

    /** The seven arrays, in the order above, created in {@code manager}. */
    public NDList toNd(NDManager manager) {
        return new NDList(
                manager.create(positional, new Shape(nodes, posDim)),
                manager.create(degree, new Shape(nodes)),
                manager.create(seed, new Shape(nodes, 1)),
                manager.create(gather, new Shape(graphs, slots)),
                manager.create(adjacency, new Shape(graphs, slots, slots)),
                manager.create(scatter, new Shape(nodes)),
                manager.create(members, new Shape(graphs, nodes)));
    }

    /** The shapes of {@link #toNd}'s arrays, for initialising an encoder. */
    public Shape[] shapes() {
        return new Shape[] {new Shape(nodes, posDim), new Shape(nodes), new Shape(nodes, 1), new Shape(graphs, slots),
                new Shape(graphs, slots, slots), new Shape(nodes), new Shape(graphs, nodes)};
    }
}
