package netbook.dsl;

import java.util.Locale;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A network's layer table, computed from the spec alone (no engine, no weights): one row per
 * leaf block with its path, type, output shape, trainable parameters, frozen state (batch-norm
 * statistics), multiply-accumulates per example and activation memory at the batch size.
 * {@link #table()} is a Tablesaw table; {@link #toString()} prints it for a terminal.
 */
public final class Summary {
    private final String name;
    private final Shape input;
    private final Shape output;
    private final int batch;
    private final Table table;
    private final long params;
    private final long auxParams;
    private final long frozen;
    private final long frozenByPath;
    private final java.util.List<String> frozenPaths;
    private final Layer root;
    private final long macs;
    private final long activationBytes;

    Summary(String name, Layer root, Shape input, int batch) {
        this(name, root, input, batch, java.util.List.of());
    }

    private Summary(String name, Layer root, Shape input, int batch, java.util.List<String> frozenPaths) {
        this.name = name;
        this.root = root;
        this.frozenPaths = java.util.List.copyOf(frozenPaths);
        this.input = input;
        this.batch = batch;
        this.output = root.outputShape(input);
        StringColumn path = StringColumn.create("path");
        StringColumn type = StringColumn.create("type");
        StringColumn out = StringColumn.create("output");
        LongColumn p = LongColumn.create("params");
        LongColumn f = LongColumn.create("frozen");
        LongColumn m = LongColumn.create("macs");
        LongColumn a = LongColumn.create("activation_bytes");
        BooleanColumn aux = BooleanColumn.create("aux");
        BooleanColumn trained = BooleanColumn.create("trained");
        long[] tot = new long[6];
        boolean[] used = new boolean[frozenPaths.size()];
        SpecTree.leaves(root, input, leaf -> {
            long lp = leaf.layer().params(leaf.input());
            long lf = leaf.layer().frozenParams(leaf.input());
            long lm = leaf.layer().macs(leaf.input());
            long la = leaf.output().size() * 4L * batch;
            path.append(leaf.path());
            type.append(leaf.layer().type());
            out.append(leaf.output().toString());
            p.append(lp);
            f.append(lf);
            m.append(lm);
            a.append(la);
            aux.append(leaf.inAux());
            boolean frozenHere = false;
            for (int i = 0; i < frozenPaths.size(); i++) {
                String fp = frozenPaths.get(i);
                if (leaf.path().equals(fp) || leaf.path().startsWith(fp + ".")) {
                    frozenHere = true;
                    used[i] = true;
                }
            }
            trained.append(!frozenHere && lp > 0);
            if (frozenHere) tot[5] += lp;
            tot[0] += lp;
            tot[1] += lf;
            if (!leaf.inAux()) {
                tot[2] += lm;
            } else {
                tot[4] += lp;
            }
            tot[3] += la;
        });
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) throw new NetbookException("summary.freezing: " + name + " has no block '" + frozenPaths.get(i) + "'");
        }
        this.table = Table.create(name + " summary", path, type, out, p, f, m, a, aux, trained);
        this.frozenByPath = tot[5];
        this.params = tot[0];
        this.frozen = tot[1];
        this.macs = tot[2];
        this.activationBytes = tot[3];
        this.auxParams = tot[4];
    }

    /**
     * The same table with the blocks under these paths frozen (as {@code Fit.freeze} leaves them):
     * their rows read {@code trained = false} and their parameters move from the trainable count
     * to the frozen one. An unknown path is an error.
     */
    public Summary freezing(String... blockPaths) {
        java.util.List<String> all = new java.util.ArrayList<>(frozenPaths);
        all.addAll(java.util.List.of(blockPaths));
        return new Summary(name, root, input, batch, all);
    }

    /** Parameters that training updates: {@link #params()} less the blocks frozen by {@link #freezing}. */
    public long trainableParams() { return params - frozenByPath; }

    /** One row per leaf block. */
    public Table table() { return table; }
    /** Trainable parameters, auxiliary heads included. */
    public long params() { return params; }
    /** Trainable parameters of the auxiliary heads (absent at inference). */
    public long auxParams() { return auxParams; }
    /** Non-trainable saved state, such as batch-norm running mean and variance. */
    public long frozen() { return frozen; }
    /** Multiply-accumulates of one forward pass of one example, auxiliary heads excluded. */
    public long macs() { return macs; }
    /** Bytes of all block outputs (float32) at the summary's batch size. */
    public long activationBytes() { return activationBytes; }
    public Shape input() { return input; }
    public Shape output() { return output; }
    public String name() { return name; }
    public int batch() { return batch; }

    /** The totals as a one-row table. */
    public Table totals() {
        return Table.create(name + " totals",
                StringColumn.create("model", name),
                StringColumn.create("input", input.toString()),
                StringColumn.create("output", output.toString()),
                LongColumn.create("params", params),
                LongColumn.create("trainable_params", trainableParams()),
                LongColumn.create("aux_params", auxParams),
                LongColumn.create("frozen", frozen),
                LongColumn.create("macs", macs),
                LongColumn.create("activation_bytes_at_batch_" + batch, activationBytes));
    }

    @Override
    public String toString() {
        int wPath = "path".length();
        int wType = "type".length();
        int wOut = "output".length();
        for (int r = 0; r < table.rowCount(); r++) {
            wPath = Math.max(wPath, table.stringColumn("path").get(r).length() + (table.booleanColumn("aux").get(r) ? 6 : 0));
            wType = Math.max(wType, table.stringColumn("type").get(r).length());
            wOut = Math.max(wOut, table.stringColumn("output").get(r).length());
        }
        String fmt = "%-" + wPath + "s  %-" + wType + "s  %-" + wOut + "s  %,13d  %,15d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(name).append("  input ").append(input).append("\n");
        String header = String.format(Locale.ROOT, "%-" + wPath + "s  %-" + wType + "s  %-" + wOut + "s  %13s  %15s%n",
                "path", "type", "output", "params", "MACs");
        sb.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            String path = table.stringColumn("path").get(r) + (table.booleanColumn("aux").get(r) ? " (aux)" : "");
            sb.append(String.format(Locale.ROOT, fmt, path, table.stringColumn("type").get(r),
                    table.stringColumn("output").get(r), table.longColumn("params").get(r), table.longColumn("macs").get(r)));
        }
        sb.append("-".repeat(header.length() - 1)).append('\n');
        String fmtRow = fmt;
        if (!frozenPaths.isEmpty()) {
            sb.setLength(0);
            sb.append(name).append("  input ").append(input).append("\n");
            String h = String.format(Locale.ROOT, "%-" + wPath + "s  %-" + wType + "s  %-" + wOut + "s  %13s  %15s  %s%n",
                    "path", "type", "output", "params", "MACs", "trained");
            sb.append(h).append("-".repeat(h.length() - 1)).append('\n');
            for (int r = 0; r < table.rowCount(); r++) {
                String path = table.stringColumn("path").get(r) + (table.booleanColumn("aux").get(r) ? " (aux)" : "");
                long lp = table.longColumn("params").get(r);
                sb.append(String.format(Locale.ROOT, fmtRow.replace("%n", "  %s%n"), path, table.stringColumn("type").get(r),
                        table.stringColumn("output").get(r), lp, table.longColumn("macs").get(r),
                        lp == 0 ? "" : table.booleanColumn("trained").get(r) ? "yes" : "frozen"));
            }
            sb.append("-".repeat(h.length() - 1)).append('\n');
            sb.append(String.format(Locale.ROOT, "Params: %,d, of which trainable %,d and frozen by freeze(%s) %,d%n", params,
                    trainableParams(), String.join(", ", frozenPaths), frozenByPath));
        } else {
            sb.append(String.format(Locale.ROOT, "Trainable params: %,d%s%n", params,
                    auxParams > 0 ? String.format(Locale.ROOT, " (of which auxiliary heads %,d; %,d at inference)", auxParams, params - auxParams) : ""));
        }
        sb.append(String.format(Locale.ROOT, "Frozen (running statistics): %,d%n", frozen));
        sb.append(String.format(Locale.ROOT, "Multiply-accumulates per example: %,d (%.3f G)%n", macs, macs / 1e9));
        sb.append(String.format(Locale.ROOT, "Activation memory at batch %d: %.1f MiB%n", batch, activationBytes / 1048576.0));
        return sb.toString();
    }
}
