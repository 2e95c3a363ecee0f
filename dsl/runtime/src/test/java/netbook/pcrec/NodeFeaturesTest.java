package netbook.pcrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eigen-solvers and GCC's positional and degree features. */
class NodeFeaturesTest {
    static double[][] randomSymmetric(int n, long seed) {
        Random r = new Random(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) a[i][j] = a[j][i] = r.nextGaussian();
        }
        return a;
    }

    @Test
    void eigenPairsSatisfyAvEqualsLambdaVAndBothSolversAgree() {
        for (int n : new int[] {1, 2, 5, 40, 128}) {
            double[][] a = randomSymmetric(n, n);
            SymmetricEigen e = SymmetricEigen.of(a);
            SymmetricEigen j = SymmetricEigen.jacobi(a);
            assertArrayEquals(j.values(), e.values(), 1e-9, "n = " + n);
            for (int k = 0; k < n; k++) {
                double[] v = e.vector(k);
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int c = 0; c < n; c++) av += a[i][c] * v[c];
                    assertEquals(e.values()[k] * v[i], av, 1e-9);
                    norm += v[i] * v[i];
                }
                assertEquals(1, norm, 1e-9);
                if (k > 0) assertEquals(true, e.values()[k - 1] <= e.values()[k], "ascending");
            }
        }
    }

    /** A path 0-1-2-3 (ego 0): k = min(4 - 2, 32) = 2 eigenvectors, rows unit length, zero padding, degrees 1 2 2 1. */
    @Test
    void positionalFeaturesOfAPathAreTheTopTwoEigenvectorsRowNormalised() {
        Subgraph path = new Subgraph(new int[] {10, 11, 12, 13}, new int[][] {{1}, {0, 2}, {1, 3}, {2}});
        float[][] p = NodeFeatures.positional(path, 8);
        // D^-1/2 A D^-1/2 of the path has eigenvalues 1, 0.5, -0.5, -1; the top two are 0.5 (column 0) and 1 (column 1).
        // Worked out (numpy.linalg.eigh, then row-normalised): column 1 is (a, b, b, a), column 0 is (b, a, -a, -b) up to sign,
        // with a = 1/sqrt(3) = 0.57735 and b = sqrt(2/3) = 0.81650.
        double a = 1 / Math.sqrt(3), b = Math.sqrt(2.0 / 3);
        assertArrayEquals(new float[] {(float) a, (float) b, (float) b, (float) a}, new float[] {p[0][1], p[1][1], p[2][1], p[3][1]}, 1e-5f);
        assertArrayEquals(new float[] {(float) b, (float) a, (float) a, (float) b},
                new float[] {Math.abs(p[0][0]), Math.abs(p[1][0]), Math.abs(p[2][0]), Math.abs(p[3][0])}, 1e-5f);
        assertEquals(-p[0][0], p[3][0], 1e-5f);
        assertEquals(-p[1][0], p[2][0], 1e-5f);
        for (int i = 0; i < 4; i++) {
            for (int c = 2; c < 8; c++) assertEquals(0f, p[i][c], "padding");
        }
        assertArrayEquals(new int[] {1, 2, 2, 1}, NodeFeatures.degrees(path, 512));
        assertArrayEquals(new int[] {1, 1, 1, 1}, NodeFeatures.degrees(path, 1), "clamped");
    }

    @Test
    void tinySubgraphsHaveZeroPositionalFeatures() {
        Subgraph pair = new Subgraph(new int[] {1, 2}, new int[][] {{1}, {0}});
        for (float[] row : NodeFeatures.positional(pair, 4)) assertArrayEquals(new float[4], row);
    }
}
