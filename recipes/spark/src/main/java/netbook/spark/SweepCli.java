package netbook.spark;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import netbook.dsl.NetbookException;
import netbook.recipes.Options;
import netbook.recipes.ResultSet;
import netbook.render.Html;
import netbook.files.AtomicFiles;
import netbook.env.Env;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook sweep FILE.json [--master URL] [--out DIR] [--threads-per-trial N] [--sequential]}:
 * every trial of the file as a Spark task; one table (CSV and HTML), the best model, and how long it took.
 */
public final class SweepCli {
    private SweepCli() {}

    static final String USAGE = """
            usage: ./netbook sweep FILE.json [--master URL] [--out DIR] [--threads-per-trial N] [--sequential]
              FILE.json              networks, data and a grid or seeded random search (see README, "Sweeps on Spark")
              --master URL           spark://host:7077, yarn, k8s://https://host:port; default: Spark in this JVM, local[cores]
              --out DIR              results.csv, results.html, best.netbook, sweep.json, run.txt (default out/sweep-NAME)
              --threads-per-trial N  PyTorch threads of each trial, Spark's task CPUs (default 1)
              --sequential           the same trials one after another without Spark (the baseline)
            """;

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
        Options o = Options.parse("sweep", args, Set.of("--master", "--out", "--threads-per-trial"), Set.of("--sequential"));
        if (o.positional().size() != 1) throw new NetbookException("sweep: give one sweep file, received " + o.positional());
        Path file = Path.of(o.positional().get(0));
        if (!Files.isRegularFile(file)) throw new NetbookException("sweep: " + file + ": no such file");
        int threads = o.positiveInt("--threads-per-trial", 1);
        if (o.flag("--sequential") && o.has("--master")) throw new NetbookException("sweep: --sequential runs without Spark; leave out --master");
        Sweep sweep = Sweep.read(file);
        Path out = Path.of(o.string("--out", "out/sweep-" + sweep.name()));
        SparkSweep spark = o.has("--master") ? SparkSweep.on(o.string("--master", null), threads) : SparkSweep.local(threads);
        Path staging = ResultSet.prepare("sweep", out);
        System.err.printf(Locale.ROOT, "netbook: sweep %s: %d trial(s) %s into %s%n", sweep.name(), sweep.trials().size(),
                o.flag("--sequential") ? "one after another" : "on " + spark.master(), out.toAbsolutePath());
        int[] done = {0};
        try {
            SparkSweep.Results r = o.flag("--sequential")
                    ? SparkSweep.sequential(sweep, threads, row -> progress(sweep, row, ++done[0]))
                    : spark.run(sweep, row -> progress(sweep, row, ++done[0]));
            write(r, file, staging);
            ResultSet.publish(staging, out);
            System.out.println(r.table().printAll());
            System.out.println(SparkSweep.summary(r));
            System.out.println("wrote " + out.toAbsolutePath() + ": results.csv results.html" + (r.best() != null ? " best.netbook" : "") + " sweep.json run.txt");
            return r.rows().stream().anyMatch(Trial.Result::ok) ? 0 : 1;
        } catch (NetbookException e) {
            ResultSet.discard(staging);
            throw e;
        } catch (IOException | RuntimeException e) {
            ResultSet.discard(staging);
            throw new NetbookException("sweep " + sweep.name() + " failed: " + e, e);
        }
    }

    private static void progress(Sweep sweep, Trial.Result r, int done) {
        System.err.printf(Locale.ROOT, "netbook: [%d/%d] trial %d %s: %s%n", done, sweep.trials().size(), r.trial().index(),
                r.trial().model().name(), r.ok()
                        ? String.format(Locale.ROOT, "%s %.4f, %.1f s on %s", sweep.metric(), r.metric(sweep.metric()), r.seconds(), r.executor())
                        : r.status() + ": " + r.message());
    }

    static void write(SparkSweep.Results r, Path sweepFile, Path dir) throws IOException {
        Table t = r.table();
        StringWriter csv = new StringWriter();
        t.write().csv(csv);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("results.html"), "<!doctype html><meta charset=\"utf-8\"><title>" + Html.escape(t.name())
                + "</title>\n" + Html.table(t, Integer.MAX_VALUE) + "\n<p>" + Html.escape(SparkSweep.summary(r)) + "</p>\n");
        Files.copy(sweepFile, dir.resolve("sweep.json"));
        Trial.Result best = r.best();
        if (best != null) Files.write(dir.resolve("best.netbook"), best.model());
        AtomicFiles.writeString(dir.resolve("run.txt"), SparkSweep.summary(r) + "\nmachine: " + Env.describe(Env.devices())
                + ", " + Runtime.getRuntime().availableProcessors() + " cores\n");
    }
}
