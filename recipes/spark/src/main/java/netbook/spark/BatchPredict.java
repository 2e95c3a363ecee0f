package netbook.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import netbook.data.ArrayDataset;
import netbook.data.ImageFolder;
import netbook.data.Tabular;
import netbook.dsl.NetbookException;
import netbook.recipes.Options;
import netbook.recipes.ResultSet;
import netbook.render.Html;
import netbook.files.AtomicFiles;
import netbook.train.TrainedModel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook batch-predict MODEL --data PATH --out DIR [--master URL]}: a saved model's
 * predictions for every image of a folder or every record of a CSV or Parquet file, split into
 * partitions across Spark's executors. Each partition loads the model once (shipped to the
 * executors as a broadcast, so no shared disk is needed for it) and predicts in batches. The
 * predictions are written by Spark as part files under {@code DIR/predictions}; with labels (an
 * image folder of class sub-folders, or the label column in the file) the summary, the per-class
 * table and the confusion counts come back as tables.
 */
public final class BatchPredict {
    private BatchPredict() {}

    static final String USAGE = """
            usage: ./netbook batch-predict MODEL_FILE --data PATH --out DIR [--master URL] [--partitions N] [--threads-per-task N]
              MODEL_FILE     a model saved by ./netbook train --out (model.netbook) or a sweep (best.netbook)
              --data PATH    an image folder (class sub-folders give labels), or a .csv or .parquet file of the model's columns
              --out DIR      predictions/ (Spark's part files), summary.csv, per-class.csv, confusion.csv, summary.html
              --master URL   spark://host:7077, yarn, k8s://...; default: executor processes on this machine
              --partitions N how many pieces the data is split into (default 4 per executor)
            """;

    /** One input: its record number (1-based), where it came from, its label (or null) and, for a table, its values. */
    record Item(long record, String source, String label, String[] values) implements Serializable {}

    /** One prediction. */
    record Prediction(long record, String source, String label, String predicted, double confidence) implements Serializable {}

    /** What came back: the tables and how long it took. */
    public record Summary(Table summary, Table perClass, Table confusion, double seconds, String where) {}

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (NetbookException e) {
            System.err.println("netbook: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            System.out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Options o = Options.parse("batch-predict", args, Set.of("--data", "--out", "--master", "--partitions", "--threads-per-task"), Set.of());
        if (o.positional().size() != 1) throw new NetbookException("batch-predict: give one model file, received " + o.positional());
        Path model = Path.of(o.positional().get(0));
        Path data = o.path("--data");
        Path out = o.path("--out");
        if (data == null) throw new NetbookException("batch-predict: say what to predict with --data IMAGE_FOLDER, FILE.csv or FILE.parquet");
        if (out == null) throw new NetbookException("batch-predict: say where the results go with --out DIR");
        int threads = o.positiveInt("--threads-per-task", 1);
        SparkTarget target = o.has("--master") ? SparkTarget.on("batch-predict", o.string("--master", null), threads)
                : SparkTarget.local("batch-predict", threads);
        int partitions = o.has("--partitions") ? o.positiveInt("--partitions", 1) : 0;
        Path staging = ResultSet.prepare("batch-predict", out);
        try {
            Summary s = run(target, model, data, staging, partitions);
            ResultSet.publish(staging, out);
            System.out.println(s.summary().printAll());
            if (s.perClass() != null) System.out.println(s.perClass().printAll());
            System.out.printf(Locale.ROOT, "%.1f s (%s)%n", s.seconds(), s.where());
            System.out.println("wrote " + out.toAbsolutePath() + ": predictions/ summary.csv" + (s.perClass() != null ? " per-class.csv confusion.csv" : "") + " summary.html");
            return 0;
        } catch (NetbookException e) {
            ResultSet.discard(staging);
            throw e;
        } catch (IOException | RuntimeException e) {
            ResultSet.discard(staging);
            throw new NetbookException("batch-predict failed: " + e, e);
        }
    }

    /** Predicts every input of {@code data} with the model in {@code modelFile}; results go into {@code dir}. */
    public static Summary run(SparkTarget target, Path modelFile, Path data, Path dir, int partitions) throws IOException {
        long start = System.nanoTime();
        if (!Files.exists(data)) throw new NetbookException("batch-predict: --data " + data + ": no such file or folder");
        byte[] modelBytes;
        boolean tableModel;
        try (TrainedModel m = TrainedModel.load(modelFile)) {
            modelBytes = Files.readAllBytes(modelFile);
            tableModel = m.encoding() != null;
        }
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean folder = Files.isDirectory(data);
        if (tableModel && folder) throw new NetbookException("batch-predict: " + modelFile + " was trained on table rows; --data must be a .csv or .parquet file");
        if (!tableModel && !folder) throw new NetbookException("batch-predict: " + modelFile + " was trained on images; --data must be an image folder");
        if (!folder && !name.endsWith(".csv") && !name.endsWith(".parquet")) {
            throw new NetbookException("batch-predict: --data " + data + " is neither a .csv nor a .parquet file");
        }
        JavaSparkContext jsc = target.start("netbook batch-predict " + data.getFileName());
        try {
            Broadcast<byte[]> model = jsc.broadcast(modelBytes);
            int slots = jsc.sc().defaultParallelism();
            JavaRDD<Item> items = folder ? images(jsc, data, partitions > 0 ? partitions : 4 * slots)
                    : records(jsc, data, partitions > 0 ? partitions : 4 * slots);
            JavaRDD<Prediction> predictions = items.mapPartitions(new PredictPartition(model)).cache();
            StructType schema = new StructType().add("record", DataTypes.LongType).add("source", DataTypes.StringType)
                    .add("label", DataTypes.StringType).add("predicted", DataTypes.StringType).add("confidence", DataTypes.DoubleType);
            SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
            // (label, predicted) -> count: the confusion counts, from which accuracy and recall follow
            Map<Tuple2<String, String>, Long> counts = new TreeMap<>(java.util.Comparator.comparing((Tuple2<String, String> t) -> String.valueOf(t._1()))
                    .thenComparing(t -> t._2()));
            try {
                spark.createDataFrame(predictions.map(p -> RowFactory.create(p.record(), p.source(), p.label(), p.predicted(), p.confidence())), schema)
                        .write().option("header", true).csv(dir.resolve("predictions").toString());
                counts.putAll(predictions.mapToPair(p -> new Tuple2<>(new Tuple2<>(p.label(), p.predicted()), 1L)).reduceByKey(Long::sum).collectAsMap());
            } catch (NetbookException e) {
                throw e;
            } catch (Exception e) {   // SparkException is checked, and thrown through Scala code undeclared
                // a task's own error (a bad record, an unreadable image) inside Spark's "Job aborted" text
                throw new NetbookException("batch-predict: " + taskError(e), e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String where = target.describe(jsc) + " per task, " + predictions.getNumPartitions() + " partitions";
            Summary s = summarise(counts, seconds, where, data);
            write(s, dir);
            return s;
        } finally {
            target.stop(jsc);
        }
    }

    /** An image folder's files as items: with labels when it has class sub-folders. */
    private static JavaRDD<Item> images(JavaSparkContext jsc, Path dir, int partitions) {
        ImageFolder.Images images;
        boolean labelled;
        try (var list = Files.list(dir)) {
            labelled = list.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            throw new NetbookException("batch-predict: cannot list " + dir + ": " + e.getMessage(), e);
        }
        images = labelled ? ImageFolder.of(dir).images() : ImageFolder.unlabelled(dir);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String label = labelled ? images.classes().get(images.labels()[i]) : null;
            items.add(new Item(i + 1, images.files().get(i).toAbsolutePath().toString(), label, null));
        }
        if (items.isEmpty()) throw new NetbookException("batch-predict: " + dir + " holds no images");
        return jsc.parallelize(items, Math.min(partitions, items.size()));
    }

    /** A CSV (header row) or Parquet file's records as items, numbered in file order; the values as text. */
    private static JavaRDD<Item> records(JavaSparkContext jsc, Path file, int partitions) {
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        String path = file.toAbsolutePath().toString();
        Dataset<Row> rows = path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? spark.read().parquet(path)
                : spark.read().option("header", true).option("inferSchema", false).csv(path);
        String[] columns = rows.columns();
        String source = file.getFileName().toString();
        // numbered before the split: the file's own partitions are in file order, a repartition is not
        return rows.javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            String[] values = new String[columns.length * 2];
            for (int c = 0; c < columns.length; c++) {
                values[2 * c] = columns[c];
                values[2 * c + 1] = r.isNullAt(c) ? null : String.valueOf(r.get(c));
            }
            return new Item(t._2() + 1, source, null, values);
        }).repartition(partitions);
    }

    /** Runs on an executor: the model loaded once for the partition, predictions in batches. */
    static final class PredictPartition implements FlatMapFunction<Iterator<Item>, Prediction> {
        private static final long serialVersionUID = 1L;
        static final int BATCH = 256;
        private final Broadcast<byte[]> model;

        PredictPartition(Broadcast<byte[]> model) {
            this.model = model;
        }

        @Override
        public Iterator<Prediction> call(Iterator<Item> items) throws Exception {
            TaskContext task = TaskContext.get();
            Threads.set(task != null ? Math.max(1, task.cpus()) : 1);
            Path tmp = Files.createTempFile("netbook-model-", ".netbook");
            List<Prediction> out = new ArrayList<>();
            try {
                Files.write(tmp, model.value());
                try (TrainedModel m = TrainedModel.load(tmp)) {
                    List<Item> batch = new ArrayList<>();
                    while (items.hasNext()) {
                        batch.add(items.next());
                        if (batch.size() == BATCH || !items.hasNext()) {
                            predict(m, batch, out);
                            batch.clear();
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return out.iterator();
        }

        private static void predict(TrainedModel m, List<Item> batch, List<Prediction> out) {
            ArrayDataset x;
            List<String> classes;
            List<String> labels = new ArrayList<>();
            if (m.encoding() != null) {
                Tabular.Encoding e = m.encoding();
                x = encode(e, batch, labels);
                classes = e.classes();
            } else {
                List<Path> files = batch.stream().map(i -> Path.of(i.source())).toList();
                x = new ImageFolder.Images(files.get(0).getParent(), files, null, List.of()).resizedFor(m.net());
                batch.forEach(i -> labels.add(i.label()));
                classes = m.classNames();
            }
            float[][] scores = m.predict(x);
            for (int i = 0; i < scores.length; i++) {
                if (m.encoding() != null && m.encoding().regression()) {
                    // a number, not a class: no label to count as right or wrong
                    out.add(new Prediction(batch.get(i).record(), batch.get(i).source(), null,
                            String.format(Locale.ROOT, "%.6g", m.encoding().unscale(scores[i][0])), Double.NaN));
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                int best = 0;
                for (int k = 0; k < scores[i].length; k++) if (scores[i][k] > scores[i][best]) best = k;
                max = scores[i][best];
                for (float v : scores[i]) sum += Math.exp(v - max);
                out.add(new Prediction(batch.get(i).record(), batch.get(i).source(), labels.get(i), classes.get(best), 1 / sum));
            }
        }

        /** The batch's records as the model's encoding reads them; a bad record is named by its file and number. */
        private static ArrayDataset encode(Tabular.Encoding e, List<Item> batch, List<String> labels) {
            try {
                return e.encode(table(e, batch, labels), batch.get(0).source());
            } catch (NetbookException whole) {
                for (Item item : batch) {   // find the record, to name it by its number in the file
                    try {
                        e.encode(table(e, List.of(item), new ArrayList<>()), item.source());
                    } catch (NetbookException one) {
                        throw new NetbookException(item.source() + " record " + item.record() + ": "
                                + one.getMessage().replaceFirst("^.*?row 1, ", ""), one);
                    }
                }
                throw whole;
            }
        }

        private static Table table(Tabular.Encoding e, List<Item> batch, List<String> labels) {
            Table t = Table.create("batch");
            List<String> wanted = new ArrayList<>();
            e.features().forEach(f -> wanted.add(f.column()));
            wanted.add(e.label());
            for (String column : wanted) {
                StringColumn c = StringColumn.create(column);
                boolean present = false;
                for (Item item : batch) {
                    String v = null;
                    boolean found = false;
                    for (int k = 0; k < item.values().length; k += 2) {
                        if (item.values()[k].equals(column)) {
                            v = item.values()[k + 1];
                            found = true;
                            break;
                        }
                    }
                    present |= found;
                    if (v == null || v.isEmpty() || v.equals("NA")) c.appendMissing();
                    else c.append(v);
                }
                if (present) t.addColumns(c);
            }
            for (int r = 0; r < batch.size(); r++) {
                labels.add(t.containsColumn(e.label()) && !t.stringColumn(e.label()).isMissing(r) ? t.stringColumn(e.label()).get(r) : null);
            }
            return t;
        }
    }

    /** The message of the task's own error inside Spark's "Job aborted" text. */
    static String taskError(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) continue;
            int at = m.indexOf("NetbookException: ");
            if (at >= 0) return m.substring(at + "NetbookException: ".length()).lines().findFirst().orElse(m);
        }
        return SparkSweep.rootMessage(e);
    }

    private static Summary summarise(Map<Tuple2<String, String>, Long> counts, double seconds, String where, Path data) {
        long rows = 0, labelled = 0, correct = 0;
        Map<String, long[]> perClass = new TreeMap<>();   // label -> {rows, correct}
        for (var e : counts.entrySet()) {
            String label = e.getKey()._1(), predicted = e.getKey()._2();
            rows += e.getValue();
            if (label == null) continue;
            labelled += e.getValue();
            long[] c = perClass.computeIfAbsent(label, k -> new long[2]);
            c[0] += e.getValue();
            if (label.equals(predicted)) {
                correct += e.getValue();
                c[1] += e.getValue();
            }
        }
        Table summary = Table.create("batch-predict " + data.getFileName());
        summary.addColumns(StringColumn.create("data", List.of(data.toString())), LongColumn.create("records", new long[] {rows}),
                LongColumn.create("labelled", new long[] {labelled}),
                DoubleColumn.create("accuracy", new double[] {labelled > 0 ? (double) correct / labelled : Double.NaN}),
                DoubleColumn.create("seconds", new double[] {Math.round(seconds * 10) / 10.0}), StringColumn.create("ran_on", List.of(where)));
        if (labelled == 0) return new Summary(summary, null, null, seconds, where);
        Table pc = Table.create("per class");
        StringColumn cls = StringColumn.create("class");
        LongColumn n = LongColumn.create("records"), ok = LongColumn.create("correct");
        DoubleColumn recall = DoubleColumn.create("recall");
        for (var e : perClass.entrySet()) {
            cls.append(e.getKey());
            n.append(e.getValue()[0]);
            ok.append(e.getValue()[1]);
            recall.append((double) e.getValue()[1] / e.getValue()[0]);
        }
        pc.addColumns(cls, n, ok, recall);
        Table confusion = Table.create("confusion counts");
        StringColumn l = StringColumn.create("label"), p = StringColumn.create("predicted");
        LongColumn c = LongColumn.create("records");
        for (var e : counts.entrySet()) {
            if (e.getKey()._1() == null) continue;
            l.append(e.getKey()._1());
            p.append(e.getKey()._2());
            c.append(e.getValue());
        }
        confusion.addColumns(l, p, c);
        return new Summary(summary, pc, confusion, seconds, where);
    }

    private static void write(Summary s, Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("summary.csv"), csv(s.summary()));
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=\"utf-8\"><title>" + Html.escape(s.summary().name()) + "</title>\n")
                .append(Html.table(s.summary()));
        if (s.perClass() != null) {
            AtomicFiles.writeString(dir.resolve("per-class.csv"), csv(s.perClass()));
            AtomicFiles.writeString(dir.resolve("confusion.csv"), csv(s.confusion()));
            html.append(Html.table(s.perClass(), Integer.MAX_VALUE)).append(Html.table(s.confusion(), Integer.MAX_VALUE));
        }
        AtomicFiles.writeString(dir.resolve("summary.html"), html.toString());
    }

    private static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }
}
