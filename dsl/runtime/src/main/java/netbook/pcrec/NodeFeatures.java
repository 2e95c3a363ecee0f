package netbook.pcrec;

/**
 * GCC's structural node features of a subgraph, which carry no node identity, so an encoder
 * trained on one graph applies to another:
 * <ul>
 * <li>positional: the top-k eigenvectors (largest eigenvalues, k = min(n - 2, size)) of the
 *     normalised adjacency {@code D^-1/2 A D^-1/2} (degrees clipped at 1), in ascending order of
 *     eigenvalue as {@code eigsh(which="LA")} returns them, each row L2-normalised, zero-padded to
 *     {@code size} (32 in GCC). Eigenvector signs are arbitrary in GCC; here each vector's largest
 *     entry in absolute value is made positive, so the features are deterministic;</li>
 * <li>degree: the node's degree inside the subgraph, clamped to {@code maxDegree} (512 in GCC),
 *     the input of a learned degree embedding;</li>
 * <li>seed flag: 1 for the ego node, 0 elsewhere.</li>
 * </ul>
 */
public final class NodeFeatures {
    private NodeFeatures() {}

    /** GCC's {@code --positional-embedding-size}. */
    public static final int GCC_POSITIONAL = 32;
    /** GCC's {@code --max-degree}. */
    public static final int GCC_MAX_DEGREE = 512;

    /** Positional features, {@code [n][size]}. */
    public static float[][] positional(Subgraph s, int size) {
        int n = s.size();
        float[][] out = new float[n][size];
        int k = Math.min(n - 2, size);
        if (k <= 0) return out;
        double[] dinv = new double[n];
        for (int i = 0; i < n; i++) dinv[i] = 1 / Math.sqrt(Math.max(1, s.degree(i)));
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j : s.adjacency()[i]) a[i][j] = dinv[i] * dinv[j];
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        double[][] u = new double[n][k];
        for (int c = 0; c < k; c++) {
            double[] vec = e.vector(n - k + c); // the k largest, ascending
            int arg = 0;
            for (int i = 1; i < n; i++) if (Math.abs(vec[i]) > Math.abs(vec[arg]) + 1e-12) arg = i;
            double sign = vec[arg] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) u[i][c] = sign * vec[i];
        }
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int c = 0; c < k; c++) norm += u[i][c] * u[i][c];
            norm = Math.sqrt(norm);
            for (int c = 0; c < k; c++) out[i][c] = (float) (norm > 0 ? u[i][c] / norm : 0);
        }
        return out;
    }

    /** Degrees inside the subgraph, clamped to {@code maxDegree}. */
    public static int[] degrees(Subgraph s, int maxDegree) {
        int[] d = new int[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = Math.min(s.degree(i), maxDegree);
        return d;
    }
}
