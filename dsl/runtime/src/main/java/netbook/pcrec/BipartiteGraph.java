package netbook.pcrec;

import java.util.Arrays;
import java.util.Locale;
import netbook.data.Interactions;

/**
 * The undirected user-item graph of some interactions: nodes {@code 0..users-1} are users and
 * {@code users..users+items-1} items; an edge joins a user to each item it interacted with (once,
 * however many rows). Adjacency is stored compressed (CSR), neighbours ascending. Immutable.
 * <pre>
 * BipartiteGraph g = BipartiteGraph.of(split.train());
 * g.degree(g.itemNode(3));
 * </pre>
 */
public final class BipartiteGraph {
    private final int users;
    private final int items;
    private final int[] offsets;
    private final int[] neighbours;

    private BipartiteGraph(int users, int items, int[] offsets, int[] neighbours) {
        this.users = users;
        this.items = items;
        this.offsets = offsets;
        this.neighbours = neighbours;
    }

    /** The graph of every (user, item) pair in {@code data}, keeping its numbering. */
    public static BipartiteGraph of(Interactions data) {
        int[] us = new int[data.size()];
        int[] is = new int[data.size()];
        for (int r = 0; r < data.size(); r++) {
            us[r] = data.user(r);
            is[r] = data.item(r);
        }
        return of(data.users(), data.items(), us, is);
    }

    /** The graph of user-item pairs {@code (users[e], items[e])}; duplicates are merged. */
    public static BipartiteGraph of(int numUsers, int numItems, int[] users, int[] items) {
        int n = numUsers + numItems;
        long[] edges = new long[users.length * 2];
        for (int e = 0; e < users.length; e++) {
            int u = users[e];
            int v = numUsers + items[e];
            edges[2 * e] = (long) u * n + v;
            edges[2 * e + 1] = (long) v * n + u;
        }
        long[] sorted = Arrays.stream(edges).sorted().distinct().toArray();
        int[] offsets = new int[n + 1];
        int[] nb = new int[sorted.length];
        for (int k = 0; k < sorted.length; k++) {
            offsets[(int) (sorted[k] / n) + 1]++;
            nb[k] = (int) (sorted[k] % n);
        }
        for (int i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        return new BipartiteGraph(numUsers, numItems, offsets, nb);
    }

    public int users() { return users; }
    public int items() { return items; }
    public int nodes() { return users + items; }
    /** Undirected edges (user-item pairs). */
    public int edges() { return neighbours.length / 2; }
    public boolean isUser(int node) { return node < users; }
    public int itemNode(int item) { return users + item; }
    public int degree(int node) { return offsets[node + 1] - offsets[node]; }
    /** The {@code k}-th neighbour of {@code node}, ascending. */
    public int neighbour(int node, int k) { return neighbours[offsets[node] + k]; }

    /** The neighbours of {@code node}, ascending (a copy). */
    public int[] neighbours(int node) {
        return Arrays.copyOfRange(neighbours, offsets[node], offsets[node + 1]);
    }

    /** True when {@code a} and {@code b} are joined. */
    public boolean hasEdge(int a, int b) {
        return Arrays.binarySearch(neighbours, offsets[a], offsets[a + 1], b) >= 0;
    }

    /** Row {@code node}'s start in the flat neighbour array; with {@link #flatNeighbours} for fast loops. */
    int offset(int node) { return offsets[node]; }
    int[] flatNeighbours() { return neighbours; }

    /** Hop distances from {@code from}, up to {@code maxHops} (-1 beyond). */
    public int[] distances(int from, int maxHops) {
        int[] dist = new int[nodes()];
        Arrays.fill(dist, -1);
        int[] queue = new int[nodes()];
        int head = 0, tail = 0;
        dist[from] = 0;
        queue[tail++] = from;
        while (head < tail) {
            int v = queue[head++];
            if (dist[v] == maxHops) continue;
            for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                int w = neighbours[k];
                if (dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    queue[tail++] = w;
                }
            }
        }
        return dist;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "bipartite graph: %,d users, %,d items, %,d edges", users, items, edges());
    }
}
