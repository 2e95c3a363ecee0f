package netbook.train;

import java.util.Locale;
import netbook.dsl.NetbookException;
import netbook.render.Svg;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Evaluation metrics as Tablesaw tables: a confusion matrix (with an SVG or PNG heatmap), per-class
 * precision, recall and F1, top-k accuracy, and MSE / MAE / R-squared for regression.
 * <pre>
 * int[] predicted = model.predictClasses(FashionMnist.test());
 * Metrics.confusionMatrix(labels, predicted, 10);     // rows: actual class, columns: predicted
 * Metrics.perClass(labels, predicted, 10);            // precision, recall, F1, support, + macro row
 * </pre>
 */
public final class Metrics {
    private Metrics() {}

    /** Counts: row i is actual class i, column {@code predicted j} counts examples predicted as j. */
    public static Table confusionMatrix(int[] actual, int[] predicted, int classes) {
        long[][] c = counts(actual, predicted, classes);
        Table t = Table.create("confusion matrix (rows: actual, columns: predicted)");
        t.addColumns(IntColumn.create("actual", java.util.stream.IntStream.range(0, classes).toArray()));
        for (int j = 0; j < classes; j++) {
            int[] col = new int[classes];
            for (int i = 0; i < classes; i++) col[i] = (int) c[i][j];
            t.addColumns(IntColumn.create("predicted " + j, col));
        }
        return t;
    }

    /**
     * Precision, recall, F1 and support of every class, then a {@code macro} row (unweighted mean
     * over classes that occur). A class never predicted has precision 0, as scikit-learn reports it.
     */
    public static Table perClass(int[] actual, int[] predicted, int classes) {
        return perClass(actual, predicted, java.util.stream.IntStream.range(0, classes).mapToObj(String::valueOf).toList());
    }

    /** {@link #perClass(int[], int[], int)} with each class's name in the {@code class} column. */
    public static Table perClass(int[] actual, int[] predicted, java.util.List<String> classNames) {
        int classes = classNames.size();
        long[][] c = counts(actual, predicted, classes);
        StringColumn name = StringColumn.create("class");
        DoubleColumn precision = DoubleColumn.create("precision");
        DoubleColumn recall = DoubleColumn.create("recall");
        DoubleColumn f1 = DoubleColumn.create("f1");
        IntColumn support = IntColumn.create("support");
        double sp = 0, sr = 0, sf = 0;
        int present = 0;
        for (int k = 0; k < classes; k++) {
            long tp = c[k][k];
            long predictedK = 0, actualK = 0;
            for (int i = 0; i < classes; i++) {
                predictedK += c[i][k];
                actualK += c[k][i];
            }
            double p = predictedK == 0 ? 0 : (double) tp / predictedK;
            double r = actualK == 0 ? 0 : (double) tp / actualK;
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            name.append(classNames.get(k));
            precision.append(p);
            recall.append(r);
            f1.append(f);
            support.append((int) actualK);
            if (actualK > 0) {
                sp += p;
                sr += r;
                sf += f;
                present++;
            }
        }
        name.append("macro");
        precision.append(present == 0 ? Double.NaN : sp / present);
        recall.append(present == 0 ? Double.NaN : sr / present);
        f1.append(present == 0 ? Double.NaN : sf / present);
        support.append(actual.length);
        return Table.create("per-class metrics", name, precision, recall, f1, support);
    }

    /** The fraction of examples whose actual class is among the {@code k} highest scores. */
    public static double topK(float[][] scores, int[] actual, int k) {
        if (k <= 0) throw new NetbookException("topK: k must be positive, received " + k);
        if (scores.length != actual.length) {
            throw new NetbookException("topK: " + scores.length + " score rows but " + actual.length + " labels");
        }
        long hit = 0;
        for (int i = 0; i < scores.length; i++) {
            float mine = scores[i][actual[i]];
            int higher = 0;
            for (float s : scores[i]) if (s > mine) higher++;
            if (higher < k) hit++;
        }
        return scores.length == 0 ? Double.NaN : (double) hit / scores.length;
    }

    /** MSE, MAE and R-squared (1 - residual / total sum of squares) as a one-row table. */
    public static Table regression(double[] actual, double[] predicted) {
        if (actual.length != predicted.length) {
            throw new NetbookException("regression: " + actual.length + " targets but " + predicted.length + " predictions");
        }
        if (actual.length == 0) throw new NetbookException("regression: no examples");
        double mean = 0;
        for (double a : actual) mean += a / actual.length;
        double se = 0, ae = 0, tot = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            se += d * d;
            ae += Math.abs(d);
            tot += (actual[i] - mean) * (actual[i] - mean);
        }
        return Table.create("regression metrics",
                DoubleColumn.create("mse", se / actual.length),
                DoubleColumn.create("mae", ae / actual.length),
                DoubleColumn.create("r2", tot == 0 ? Double.NaN : 1 - se / tot),
                IntColumn.create("examples", new int[] {actual.length}));
    }

    /** A heatmap of a {@link #confusionMatrix} table: each cell shaded by its share of the row. */
    public static Svg heatmap(Table confusion) {
        int k = confusion.rowCount();
        int cell = 28;
        int left = 30;
        int top = 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">",
                left + k * cell + 10, top + k * cell + 10));
        s.append("<text x=\"").append(left).append("\" y=\"12\">predicted</text>");
        for (int i = 0; i < k; i++) {
            long rowTotal = 0;
            for (int j = 0; j < k; j++) rowTotal += confusion.intColumn(j + 1).getInt(i);
            s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%d</text>", top + i * cell + 18, i));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%d</text>", left + i * cell + 10, top - 4, i));
            for (int j = 0; j < k; j++) {
                int n = confusion.intColumn(j + 1).getInt(i);
                double share = rowTotal == 0 ? 0 : (double) n / rowTotal;
                int shade = (int) Math.round(255 * (1 - share));
                s.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,255)\" stroke=\"#ccc\"><title>actual %d, predicted %d: %d</title></rect>",
                        left + j * cell, top + i * cell, cell, cell, shade, shade, i, j, n));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%d</text>",
                        left + j * cell + cell / 2, top + i * cell + 18, share > 0.5 ? "white" : "black", n));
            }
        }
        s.append("</svg>");
        return new Svg(s.toString());
    }

    /**
     * The same heatmap as {@link #heatmap}, as a PNG: cells shaded by their share of the row, the
     * count written in each (a built-in 3x5 digit font, so no system font is needed), class numbers
     * along the top and the left.
     */
    public static netbook.render.Png heatmapPng(Table confusion) {
        int k = confusion.rowCount();
        int cell = 36;
        int margin = 24;
        int size = margin + k * cell + 4;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(size, size, java.awt.image.BufferedImage.TYPE_INT_RGB);
        fill(img, 0, 0, size, size, 0xFFFFFF);
        for (int i = 0; i < k; i++) {
            long rowTotal = 0;
            for (int j = 0; j < k; j++) rowTotal += confusion.intColumn(j + 1).getInt(i);
            digits(img, String.valueOf(i), 4, margin + i * cell + cell / 2 - 5, 2, 0x000000);
            digits(img, String.valueOf(i), margin + i * cell + cell / 2 - 3, 6, 2, 0x000000);
            for (int j = 0; j < k; j++) {
                int n = confusion.intColumn(j + 1).getInt(i);
                double share = rowTotal == 0 ? 0 : (double) n / rowTotal;
                int shade = (int) Math.round(255 * (1 - share));
                int x = margin + j * cell;
                int y = margin + i * cell;
                fill(img, x, y, cell, cell, 0xCCCCCC);
                fill(img, x + 1, y + 1, cell - 1, cell - 1, (shade << 16) | (shade << 8) | 0xFF);
                String text = String.valueOf(n);
                int scale = text.length() > 4 ? 1 : 2;
                int w = text.length() * 4 * scale - scale;
                digits(img, text, x + (cell - w) / 2, y + (cell - 5 * scale) / 2, scale, share > 0.5 ? 0xFFFFFF : 0x000000);
            }
        }
        return netbook.render.Png.of(img);
    }

    /** 3x5 bitmaps of 0-9, one row of three bits per entry, top row first. */
    private static final int[][] DIGITS = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
        {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};

    private static void digits(java.awt.image.BufferedImage img, String text, int x, int y, int scale, int rgb) {
        for (int c = 0; c < text.length(); c++) {
            int[] glyph = DIGITS[text.charAt(c) - '0'];
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 3; col++) {
                    if ((glyph[row] >> (2 - col) & 1) != 0) fill(img, x + (c * 4 + col) * scale, y + row * scale, scale, scale, rgb);
                }
            }
        }
    }

    private static void fill(java.awt.image.BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int i = Math.max(0, x); i < Math.min(img.getWidth(), x + w); i++) {
            for (int j = Math.max(0, y); j < Math.min(img.getHeight(), y + h); j++) img.setRGB(i, j, rgb);
        }
    }

    private static long[][] counts(int[] actual, int[] predicted, int classes) {
        if (classes <= 0) throw new NetbookException("metrics: the number of classes must be positive, received " + classes);
        if (actual.length != predicted.length) {
            throw new NetbookException("metrics: " + actual.length + " labels but " + predicted.length + " predictions");
        }
        long[][] c = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classes) {
                throw new NetbookException("metrics: record " + i + " has label " + actual[i] + ", expected 0.." + (classes - 1));
            }
            if (predicted[i] < 0 || predicted[i] >= classes) {
                throw new NetbookException("metrics: record " + i + " has prediction " + predicted[i] + ", expected 0.." + (classes - 1));
            }
            c[actual[i]][predicted[i]]++;
        }
        return c;
    }
}
