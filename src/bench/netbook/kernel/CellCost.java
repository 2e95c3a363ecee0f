package netbook.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jshell.JShell;

/**
 * Where a trivial cell's time goes inside the kernel process: JShell's own in-process ("local")
 * engine against Netbook's {@link Session} (our execution engine, snippet splitting, live
 * results), median milliseconds of {@code 1 + 1} over 50 cells, then again after 500 more.
 * The remainder of a Jupyter round trip is messaging. Run by {@code ./netbook bench}.
 */
public final class CellCost {
    private CellCost() {}

    /**
     * {floor first 50, session first 50, floor after 500, session after 500, ResNet-50 summary cell
     * first, ResNet-50 summary cell again} in ms; the trivial cells alternate between the two shells.
     */
    public static double[] measure() throws Exception {
        try (JShell floor = JShell.builder().executionEngine("local").build()) {
            Session session = Session.start();
            List<Double> f1 = new ArrayList<>();
            List<Double> s1 = new ArrayList<>();
            List<Double> f2 = new ArrayList<>();
            List<Double> s2 = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                floor.eval("1 + 1");
                session.eval("1 + 1", "warm", 1);
            }
            for (int i = 0; i < 550; i++) {
                long a = System.nanoTime();
                floor.eval("1 + 1");
                long b = System.nanoTime();
                session.eval("1 + 1", "cell", 1);
                long c = System.nanoTime();
                if (i < 50) { f1.add((b - a) / 1e6); s1.add((c - b) / 1e6); }
                if (i >= 500) { f2.add((b - a) / 1e6); s2.add((c - b) / 1e6); }
            }
            // A cell a user really types: build ResNet-50 from the zoo and summarise it (first time, then warm).
            long r0 = System.nanoTime();
            session.eval("ResNet.of(50).build().summary()", "resnet50", 1);
            long r1 = System.nanoTime();
            session.eval("ResNet.of(50).build().summary()", "resnet50", 1);
            long r2 = System.nanoTime();
            return new double[] {median(f1), median(s1), median(f2), median(s2), (r1 - r0) / 1e6, (r2 - r1) / 1e6};
        }
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }

    public static void main(String[] args) throws Exception {
        double[] r = measure();
        System.out.printf(Locale.ROOT, "jshell local: %.1f ms, netbook session: %.1f ms; after 500 cells: %.1f / %.1f ms; ResNet-50 summary cell %.0f ms (again %.0f ms)%n",
                r[0], r[1], r[2], r[3], r[4], r[5]);
    }
}
