package netbook.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A table of examples for a network: a label column to predict and feature columns, numeric ones
 * standardised (mean 0, standard deviation 1, from the data the encoding was made on) and text
 * ones one-hot encoded. Missing values are an error that names each column and its count, unless
 * {@link #dropMissing()} drops those rows or {@link #fillMissing()} fills them (the column mean;
 * a category of its own for text). The {@link Encoding} is kept with a trained model so that new
 * rows are encoded the same way.
 * <pre>
 * Tabular penguins = Tabular.csv(Path.of("penguins.csv")).label("species").dropMissing();
 * ArrayDataset data = penguins.dataset();          // (7 + one-hot) features, 3 classes
 * Net mlp = Tabular.mlp(data, 32);
 * </pre>
 */
public final class Tabular {
    /** How one feature column becomes numbers. */
    public record Feature(String column, boolean numeric, double mean, double std, List<String> categories) {
        int width() { return numeric ? 1 : categories.size(); }
    }

    /** The label column and its classes (sorted), and the features in order: enough to encode new rows. */
    /**
     * For numeric targets ({@code regression}), the network learns the target standardised with the
     * training rows' {@code targetMean} and {@code targetStd}; {@link #unscale} turns outputs back.
     */
    public record Encoding(String label, List<String> classes, List<Feature> features, String missing, boolean regression,
                           double targetMean, double targetStd) {
        /** A network output in the target's own units. */
        public double unscale(double output) { return regression ? output * targetStd + targetMean : output; }

        /** Number of input values per row. */
        public int width() { return features.stream().mapToInt(Feature::width).sum(); }

        /** Encodes rows of {@code table} (the label column may be absent: rows to predict). */
        public ArrayDataset encode(Table table, String name) {
            return Tabular.encode(this, table, name);
        }
    }

    private final Table table;
    private final String source;
    private final String label;
    private final List<String> features;
    private final String missing;   // "error", "drop" or "fill"
    private final String hash;
    private boolean regression;

    private Tabular(Table table, String source, String hash, String label, List<String> features, String missing) {
        this.table = table;
        this.source = source;
        this.hash = hash;
        this.label = label;
        this.features = features;
        this.missing = missing;
    }

    /** Rows of a Tablesaw table. */
    public static Tabular of(Table table) {
        if (table == null) throw new NetbookException("Tabular.of: the table is null");
        return new Tabular(table, table.name() == null ? "table" : table.name(), null, null, null, "error");
    }

    /** Rows of a CSV file with a header line; "NA" and empty cells are missing values. */
    public static Tabular csv(Path file) {
        Table t = readCsv(file);
        String hash;
        try {
            hash = sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new NetbookException(file + ": " + e.getMessage(), e);
        }
        if (t.rowCount() == 0) throw new NetbookException(file + ": no rows after the header; the data set is empty");
        return new Tabular(t, file.toString(), hash, null, null, "error");
    }

    /** A CSV file with a header line as a table; "NA" and empty cells are missing values. */
    public static Table readCsv(Path file) {
        if (!Files.isRegularFile(file)) throw new NetbookException(file + ": no such file");
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).missingValueIndicator("NA", "").header(true));
        } catch (RuntimeException e) {
            throw new NetbookException(file + ": not a readable CSV file (" + e.getMessage() + ")", e);
        }
    }

    /** "columns are [a, b, c]", for messages. */
    public String columnsSentence() {
        return "columns are " + table.columnNames();
    }

    /** The column to predict: text or integer values, one class per distinct value. */
    public Tabular label(String column) {
        requireColumn(column, "label");
        return copy(new Tabular(table, source, hash, column, features, missing));
    }

    /** The label column holds numbers to predict (regression: one output, mean squared error) rather than classes. */
    public Tabular regression() {
        Tabular t = copy(new Tabular(table, source, hash, label, features, missing));
        t.regression = true;
        return t;
    }

    private Tabular copy(Tabular t) {
        t.regression = regression;
        return t;
    }

    /** The feature columns (default: every column but the label). */
    public Tabular features(String... columns) {
        for (String c : columns) requireColumn(c, "feature");
        return copy(new Tabular(table, source, hash, label, List.of(columns), missing));
    }

    /** Rows with a missing value in the label or a feature are left out. */
    public Tabular dropMissing() { return copy(new Tabular(table, source, hash, label, features, "drop")); }

    /** Missing numbers become the column mean; missing text becomes a category "(missing)". */
    public Tabular fillMissing() { return copy(new Tabular(table, source, hash, label, features, "fill")); }

    private void requireColumn(String c, String role) {
        if (!table.containsColumn(c)) {
            throw new NetbookException(source + ": no " + role + " column '" + c + "'; columns are " + table.columnNames());
        }
    }

    /** The feature columns in use. */
    public List<String> featureColumns() {
        if (features != null) return features;
        List<String> out = new ArrayList<>(table.columnNames());
        out.remove(label);
        return out;
    }

    /** The encoding fitted to these rows (after dropping missing ones, when asked). */
    public Encoding encoding() {
        if (label == null) throw new NetbookException(source + ": say which column to predict with .label(column); columns are " + table.columnNames());
        Table rows = rows();
        List<String> classes = new ArrayList<>(new TreeSet<>(values(rows.column(label))));
        classes.remove(null);
        if (regression) {
            if (!isNumeric(rows.column(label))) {
                throw new NetbookException(source + ": label column '" + label + "' holds text (" + classes.subList(0, Math.min(3, classes.size()))
                        + "...); regression needs numbers");
            }
            classes = List.of();
        } else if (classes.size() < 2) {
            throw new NetbookException(source + ": label column '" + label + "' has " + classes.size() + " distinct value(s); a classifier needs at least 2");
        }
        List<Feature> fs = new ArrayList<>();
        for (String name : featureColumns()) {
            Column<?> c = rows.column(name);
            if (isNumeric(c)) {
                double sum = 0;
                int n = 0;
                for (int i = 0; i < c.size(); i++) {
                    if (!c.isMissing(i)) {
                        sum += number(c, i);
                        n++;
                    }
                }
                double mean = n == 0 ? 0 : sum / n;
                double sq = 0;
                for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) sq += Math.pow(number(c, i) - mean, 2);
                double std = n < 2 ? 1 : Math.sqrt(sq / (n - 1));
                fs.add(new Feature(name, true, mean, std == 0 ? 1 : std, List.of()));
            } else {
                TreeSet<String> cats = new TreeSet<>();
                for (int i = 0; i < c.size(); i++) cats.add(c.isMissing(i) ? MISSING : c.getString(i));
                fs.add(new Feature(name, false, 0, 1, List.copyOf(cats)));
            }
        }
        double tMean = 0;
        double tStd = 1;
        if (regression) {
            Column<?> c = rows.column(label);
            double sum = 0;
            int n = 0;
            for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) { sum += number(c, i); n++; }
            tMean = n == 0 ? 0 : sum / n;
            double sq = 0;
            for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) sq += Math.pow(number(c, i) - tMean, 2);
            tStd = n < 2 || sq == 0 ? 1 : Math.sqrt(sq / (n - 1));
        }
        return new Encoding(label, List.copyOf(classes), List.copyOf(fs), missing, regression, tMean, tStd);
    }

    /** Rows held out for testing and the rest for training, both encoded as the training rows dictate. */
    public record Split(ArrayDataset train, ArrayDataset test, Encoding encoding) {}

    /**
     * A seeded split: {@code testFraction} of the rows (at least one) for testing. The encoding
     * (means, standard deviations, categories, classes) comes from the training rows alone.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) throw new NetbookException("split: the test fraction must be in (0, 1), received " + testFraction);
        Table all = rows();
        int[] perm = ArrayDataset.permutation(all.rowCount(), new java.util.Random(seed));
        int nTest = Math.max(1, (int) Math.round(all.rowCount() * testFraction));
        if (nTest >= all.rowCount()) throw new NetbookException(source + ": " + all.rowCount() + " rows are too few to split");
        Table test = all.emptyCopy();
        Table train = all.emptyCopy();
        for (int i = 0; i < perm.length; i++) (i < nTest ? test : train).addRow(perm[i], all);
        Tabular trainPart = copy(new Tabular(train, source, hash, label, features, missing));
        Encoding e = trainPart.encoding();
        return new Split(encode(e, train, source + " (train)").withHash(hash), encode(e, test, source + " (test)").withHash(hash), e);
    }

    /** The encoded rows, labelled. */
    public ArrayDataset dataset() {
        Encoding e = encoding();
        return encode(e, rows(), source).withHash(hash);
    }

    static final String MISSING = "(missing)";

    /** The rows to use: all (missing values are then an error naming them), or those without missing values. */
    private Table rows() {
        List<String> used = new ArrayList<>(featureColumns());
        if (label != null) used.add(0, label);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : used) {
            int n = table.column(name).countMissing();
            if (n > 0) counts.put(name, n);
        }
        if (counts.isEmpty() || missing.equals("fill") && !counts.containsKey(label)) return table;
        if (missing.equals("drop") || missing.equals("fill")) {
            Table kept = table.emptyCopy();
            int dropped = 0;
            for (int r = 0; r < table.rowCount(); r++) {
                boolean bad = false;
                for (String name : missing.equals("drop") ? used : List.of(label)) bad |= table.column(name).isMissing(r);
                if (bad) dropped++;
                else kept.addRow(r, table);
            }
            if (kept.rowCount() == 0) throw new NetbookException(source + ": every row has a missing value; nothing is left after dropping them");
            return kept;
        }
        StringBuilder s = new StringBuilder(source + ": missing values in ");
        int k = 0;
        for (var e : counts.entrySet()) {
            if (k++ > 0) s.append(", ");
            s.append(e.getKey()).append(" (").append(e.getValue()).append(e.getValue() == 1 ? " row" : " rows").append(", first at row ")
                    .append(firstMissing(table.column(e.getKey())) + 1).append(")");
        }
        s.append("; use .dropMissing() to leave those rows out or .fillMissing() to fill them");
        throw new NetbookException(s.toString());
    }

    private static int firstMissing(Column<?> c) {
        for (int i = 0; i < c.size(); i++) if (c.isMissing(i)) return i;
        return -1;
    }

    static ArrayDataset encode(Encoding e, Table rows, String name) {
        int width = e.width();
        int n = rows.rowCount();
        if (n == 0) throw new NetbookException(name + ": no rows; the data set is empty");
        float[] x = new float[n * width];
        int offset = 0;
        for (Feature f : e.features()) {
            if (!rows.containsColumn(f.column())) {
                throw new NetbookException(name + ": no column '" + f.column() + "', which the model was trained on; columns are " + rows.columnNames());
            }
            Column<?> c = rows.column(f.column());
            for (int r = 0; r < n; r++) {
                if (f.numeric()) {
                    double v;
                    if (c.isMissing(r)) {
                        if (!e.missing().equals("fill")) throw new NetbookException(name + ": row " + (r + 1) + ", column " + f.column() + " is missing");
                        v = f.mean();
                    } else if (isNumeric(c)) {
                        v = number(c, r);
                    } else {
                        try {
                            v = Double.parseDouble(c.getString(r));
                        } catch (NumberFormatException ex) {
                            throw new NetbookException(name + ": row " + (r + 1) + ", column " + f.column() + ": '" + c.getString(r) + "' is not a number");
                        }
                    }
                    x[r * width + offset] = (float) ((v - f.mean()) / f.std());
                } else {
                    String v = c.isMissing(r) ? MISSING : c.getString(r);
                    int k = f.categories().indexOf(v);
                    if (k < 0 && c.isMissing(r) && !e.missing().equals("fill")) {
                        throw new NetbookException(name + ": row " + (r + 1) + ", column " + f.column() + " is missing");
                    }
                    // A category the training data never had is all zeros: no evidence either way.
                    if (k >= 0) x[r * width + offset + k] = 1;
                }
            }
            offset += f.width();
        }
        if (e.regression()) {
            // Rows to predict carry no target: plain features.
            if (!rows.containsColumn(e.label())) return new ArrayDataset(name, x, Shape.of(width), null, 0, null).withEncoding(e);
            Column<?> c = rows.column(e.label());
            float[] t = new float[n];
            for (int r = 0; r < n; r++) {
                if (c.isMissing(r)) throw new NetbookException(name + ": row " + (r + 1) + ", target column " + e.label() + " is missing");
                try {
                    double v = isNumeric(c) ? number(c, r) : Double.parseDouble(c.getString(r));
                    t[r] = (float) ((v - e.targetMean()) / e.targetStd());
                } catch (NumberFormatException ex) {
                    throw new NetbookException(name + ": row " + (r + 1) + ", target column " + e.label() + ": '" + c.getString(r) + "' is not a number");
                }
            }
            return ArrayDataset.regression(name, x, Shape.of(width), t, null).withEncoding(e);
        }
        int[] labels = null;
        if (rows.containsColumn(e.label())) {
            labels = new int[n];
            Column<?> c = rows.column(e.label());
            for (int r = 0; r < n; r++) {
                String v = c.isMissing(r) ? null : c.getString(r);
                int k = v == null ? -1 : e.classes().indexOf(v);
                if (k < 0) {
                    throw new NetbookException(name + ": row " + (r + 1) + ", label column " + e.label() + ": "
                            + (v == null ? "missing" : "'" + v + "' is not one of the classes " + e.classes()));
                }
                labels[r] = k;
            }
        }
        return new ArrayDataset(name, x, Shape.of(width), labels, e.classes().size(), null).withEncoding(e);
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A small MLP sized from tabular data: two hidden layers of {@code hidden} units with ReLU, then
     * one output per class (one output for numeric targets).
     */
    public static netbook.dsl.Net mlp(ArrayDataset data, int hidden) {
        if (data.shape().rank() != 1) throw new NetbookException("mlp: " + data.name() + " has examples of " + data.shape() + "; an MLP takes rows of numbers");
        return netbook.dsl.Net.input((int) data.shape().size()).named("mlp").add(
                netbook.dsl.Layers.linear(hidden), netbook.dsl.Layers.relu(),
                netbook.dsl.Layers.linear(hidden), netbook.dsl.Layers.relu(),
                netbook.dsl.Layers.linear(data.isRegression() ? 1 : data.classes()));
    }

    private static boolean isNumeric(Column<?> c) {
        ColumnType t = c.type();
        return t == ColumnType.DOUBLE || t == ColumnType.INTEGER || t == ColumnType.LONG || t == ColumnType.FLOAT || t == ColumnType.SHORT;
    }

    private static double number(Column<?> c, int i) {
        return ((Number) c.get(i)).doubleValue();
    }

    private static List<String> values(Column<?> c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) out.add(c.isMissing(i) ? null : c.getString(i));
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d rows, label %s, features %s", source, table.rowCount(), label, featureColumns());
    }
}
