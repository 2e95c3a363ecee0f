package netbook.pcrec;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * GCC's subgraph sampler: a random walk with restart from the ego node, whose visited nodes
 * induce the subgraph (ego first, seed flag 1). As DGL's {@code random_walk_with_restart}, each
 * trace starts at the ego, takes one step to a random neighbour, and after every step ends with
 * probability {@code restartProb}, the walk then restarting at the ego. Added for r-ego networks:
 * a trace also ends after {@code hops} steps, so every sampled node lies within {@code hops} hops
 * of the ego. The walk stops once {@code maxNodes} distinct nodes (ego included) are visited or
 * after {@code max(rwHops, round(deg(ego) * e/(e-1) / restartProb))} steps (GCC's
 * {@code max_nodes_per_seed}).
 * <p>GCC's defaults: {@code restartProb 0.8}, {@code maxNodes} (subgraph size) 128,
 * {@code rwHops 256}; PCRec compares {@code hops} 2 and 3.
 * <pre>
 * RandomWalkSampler s = RandomWalkSampler.gcc(2);
 * Subgraph q = s.sample(graph, ego, rnd), k = s.sample(graph, ego, rnd);   // a positive pair
 * </pre>
 */
public record RandomWalkSampler(double restartProb, int maxNodes, int hops, int rwHops) {
    public RandomWalkSampler {
        if (!(restartProb > 0 && restartProb <= 1)) {
            throw new IllegalArgumentException("RandomWalkSampler: restartProb must be in (0, 1], received " + restartProb);
        }
        if (maxNodes < 1 || hops < 1 || rwHops < 1) {
            throw new IllegalArgumentException("RandomWalkSampler: maxNodes, hops and rwHops must be positive, received "
                    + maxNodes + ", " + hops + ", " + rwHops);
        }
    }

    /** GCC's defaults (restart 0.8, 128 nodes, 256 steps) with an r-hop limit. */
    public static RandomWalkSampler gcc(int hops) {
        return new RandomWalkSampler(0.8, 128, hops, 256);
    }

    public RandomWalkSampler maxNodes(int n) { return new RandomWalkSampler(restartProb, n, hops, rwHops); }
    public RandomWalkSampler hops(int r) { return new RandomWalkSampler(restartProb, maxNodes, r, rwHops); }
    public RandomWalkSampler restartProb(double p) { return new RandomWalkSampler(p, maxNodes, hops, rwHops); }
    public RandomWalkSampler rwHops(int n) { return new RandomWalkSampler(restartProb, maxNodes, hops, n); }

    /** One subgraph around {@code ego}. */
    public Subgraph sample(BipartiteGraph g, int ego, Random rnd) {
        return Subgraph.induced(g, ego, walk(g, ego, rnd));
    }

    /** The distinct nodes other than the ego that one walk visits, in order of first visit. */
    public int[] walk(BipartiteGraph g, int ego, Random rnd) {
        int egoDegree = g.degree(ego);
        int maxSteps = Math.max(rwHops, (int) (egoDegree * Math.E / (Math.E - 1) / restartProb + 0.5));
        Set<Integer> seen = new HashSet<>();
        int[] order = new int[Math.max(0, maxNodes - 1)];
        int found = 0;
        if (egoDegree == 0) return new int[0];
        int cur = ego;
        int depth = 0;
        int[] flat = g.flatNeighbours();
        for (int step = 0; step < maxSteps && found < maxNodes - 1; step++) {
            int deg = g.degree(cur);
            if (deg == 0) { // cannot happen in a graph built from interactions, but keep the walk alive
                cur = ego;
                depth = 0;
                continue;
            }
            cur = flat[g.offset(cur) + rnd.nextInt(deg)];
            depth++;
            if (cur != ego && seen.add(cur)) order[found++] = cur;
            if (depth >= hops || rnd.nextDouble() < restartProb) {
                cur = ego;
                depth = 0;
            }
        }
        return Arrays.copyOf(order, found);
    }

    /** {@code count} ego nodes drawn with probability proportional to degree^0.75, as GCC draws them. */
    public static int[] egoNodes(BipartiteGraph g, int count, Random rnd) {
        double[] cum = new double[g.nodes()];
        double total = 0;
        for (int v = 0; v < cum.length; v++) {
            total += Math.pow(g.degree(v), 0.75);
            cum[v] = total;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double x = rnd.nextDouble() * total;
            int j = Arrays.binarySearch(cum, x);
            j = j >= 0 ? j : -j - 1;
            out[i] = Math.min(j, cum.length - 1);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomWalkSampler(restart %.2f, at most %d nodes, %d hops, %d steps)",
                restartProb, maxNodes, hops, rwHops);
    }
}
