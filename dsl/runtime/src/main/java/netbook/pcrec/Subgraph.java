package netbook.pcrec;

import java.util.Arrays;

/**
 * An induced subgraph around an ego node: {@code nodes[0]} is the ego (its seed flag is 1), the
 * rest follow in ascending id, as GCC re-indexes them. {@code adjacency[i]} lists the local
 * indices joined to local node {@code i} in the full graph (ascending, no self loops).
 */
public record Subgraph(int[] nodes, int[][] adjacency) {
    public int size() { return nodes.length; }
    public int ego() { return nodes[0]; }
    /** 1 for the ego node (local index 0), else 0. */
    public int seedFlag(int local) { return local == 0 ? 1 : 0; }
    /** Degree inside the subgraph. */
    public int degree(int local) { return adjacency[local].length; }

    /** Undirected edges inside the subgraph. */
    public int edges() {
        int n = 0;
        for (int[] a : adjacency) n += a.length;
        return n / 2;
    }

    /** The subgraph induced in {@code g} by {@code ego} and {@code others} (duplicates and the ego itself in {@code others} are ignored). */
    public static Subgraph induced(BipartiteGraph g, int ego, int[] others) {
        int[] rest = Arrays.stream(others).filter(v -> v != ego).distinct().sorted().toArray();
        int[] nodes = new int[rest.length + 1];
        nodes[0] = ego;
        System.arraycopy(rest, 0, nodes, 1, rest.length);
        java.util.HashMap<Integer, Integer> local = new java.util.HashMap<>(nodes.length * 2);
        for (int i = 0; i < nodes.length; i++) local.put(nodes[i], i);
        int[][] adj = new int[nodes.length][];
        int[] buf = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            int v = nodes[i];
            int m = 0;
            int deg = g.degree(v);
            if (deg <= nodes.length * 4) {
                for (int k = 0; k < deg; k++) {
                    Integer j = local.get(g.neighbour(v, k));
                    if (j != null) buf[m++] = j;
                }
            } else { // a hub: test the few subgraph nodes instead of its many neighbours
                for (int j = 0; j < nodes.length; j++) {
                    if (j != i && g.hasEdge(v, nodes[j])) buf[m++] = j;
                }
            }
            adj[i] = Arrays.copyOf(buf, m);
            Arrays.sort(adj[i]);
        }
        return new Subgraph(nodes, adj);
    }

    @Override
    public String toString() {
        return "Subgraph(ego " + ego() + ", " + size() + " nodes, " + edges() + " edges)";
    }
}
