package netbook.pcrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import netbook.data.CrossDomain;
import netbook.data.SyntheticCrossDomain;
import org.junit.jupiter.api.Test;

/** Invariants of GCC's random-walk-with-restart sampler. */
class RandomWalkSamplerTest {
    static final BipartiteGraph GRAPH = BipartiteGraph.of(SyntheticCrossDomain.generate(
            new SyntheticCrossDomain.Config(200, 80, 60, 4, 0.5, 0.3, 10, 6, 3, 0.8, 3)).source());

    @Test
    void egoNodeIsPresentFirstAndFlagged() {
        Random rnd = new Random(1);
        RandomWalkSampler s = RandomWalkSampler.gcc(2);
        for (int ego = 0; ego < GRAPH.nodes(); ego += 7) {
            Subgraph g = s.sample(GRAPH, ego, rnd);
            assertEquals(ego, g.nodes()[0]);
            assertEquals(ego, g.ego());
            assertEquals(1, g.seedFlag(0));
            for (int i = 1; i < g.size(); i++) {
                assertTrue(g.nodes()[i] != ego, "the ego appears once");
                assertEquals(0, g.seedFlag(i));
            }
        }
    }

    @Test
    void subgraphSizeBoundIsRespected() {
        Random rnd = new Random(2);
        for (int max : new int[] {1, 2, 5, 16, 64}) {
            RandomWalkSampler s = RandomWalkSampler.gcc(3).maxNodes(max).restartProb(0.3);
            for (int ego = 0; ego < GRAPH.nodes(); ego += 5) {
                assertTrue(s.sample(GRAPH, ego, rnd).size() <= max, "at most " + max + " nodes");
            }
        }
        Subgraph big = RandomWalkSampler.gcc(3).maxNodes(16).restartProb(0.3).sample(GRAPH, 0, rnd);
        assertEquals(16, big.size(), "a long walk in a connected graph fills the bound");
    }

    @Test
    void restartProbabilityOneNeverLeavesTheEgosNeighbourhood() {
        Random rnd = new Random(3);
        RandomWalkSampler s = RandomWalkSampler.gcc(3).restartProb(1.0);
        for (int ego = 0; ego < GRAPH.nodes(); ego += 3) {
            Subgraph g = s.sample(GRAPH, ego, rnd);
            for (int i = 1; i < g.size(); i++) assertTrue(GRAPH.hasEdge(ego, g.nodes()[i]), "node " + g.nodes()[i] + " is not a neighbour of " + ego);
        }
    }

    @Test
    void hopLimitKeepsEveryNodeWithinRHops() {
        Random rnd = new Random(4);
        for (int r : new int[] {1, 2, 3}) {
            RandomWalkSampler s = RandomWalkSampler.gcc(r).restartProb(0.05).maxNodes(128);
            for (int ego = 0; ego < GRAPH.nodes(); ego += 11) {
                int[] dist = GRAPH.distances(ego, r);
                for (int v : s.sample(GRAPH, ego, rnd).nodes()) assertTrue(dist[v] >= 0 && dist[v] <= r, v + " is " + dist[v] + " hops from " + ego);
            }
        }
        // In a bipartite graph a 2-hop walk from a user reaches users and items; a 1-hop walk items only.
        Subgraph one = RandomWalkSampler.gcc(1).sample(GRAPH, 0, rnd);
        for (int i = 1; i < one.size(); i++) assertTrue(!GRAPH.isUser(one.nodes()[i]));
    }

    @Test
    void subgraphIsInducedAndSeeded() {
        Subgraph a = RandomWalkSampler.gcc(2).sample(GRAPH, 5, new Random(9));
        Subgraph b = RandomWalkSampler.gcc(2).sample(GRAPH, 5, new Random(9));
        assertArrayEquals(a.nodes(), b.nodes(), "same seed, same subgraph");
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.size(); j++) {
                boolean local = java.util.Arrays.binarySearch(a.adjacency()[i], j) >= 0;
                assertEquals(GRAPH.hasEdge(a.nodes()[i], a.nodes()[j]), local, "edge " + i + "-" + j);
            }
        }
    }

    @Test
    void egoNodesFollowDegreeToThePowerThreeQuarters() {
        BipartiteGraph star = BipartiteGraph.of(2, 3, new int[] {0, 0, 0, 1}, new int[] {0, 1, 2, 0});
        // degrees: u0 3, u1 1, i0 2, i1 1, i2 1 -> weights 3^.75, 1, 2^.75, 1, 1
        int[] egos = RandomWalkSampler.egoNodes(star, 200_000, new Random(5));
        double total = Math.pow(3, 0.75) + 3 + Math.pow(2, 0.75);
        long u0 = java.util.Arrays.stream(egos).filter(v -> v == 0).count();
        assertEquals(Math.pow(3, 0.75) / total, u0 / 200_000.0, 0.005);
    }

    @Test
    void crossDomainFixtureIsConnectedEnough() {
        CrossDomain cd = SyntheticCrossDomain.generate(new SyntheticCrossDomain.Config(200, 80, 60, 4, 0.5, 0.3, 10, 6, 3, 0.8, 3));
        assertTrue(BipartiteGraph.of(cd.source()).edges() > 1000);
    }
}
