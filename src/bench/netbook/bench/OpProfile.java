package netbook.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.internal.djl.Compiler;
import netbook.env.Env;
import netbook.loss.Losses;
import netbook.zoo.ResNet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./netbook bench --profile}: where a ResNet-18 training step spends its time, op by op,
 * Netbook against the PyTorch peer, read from libtorch's own profiler on both sides (DJL's
 * {@code JniUtils.startProfile} and {@code torch.autograd.profiler}). Self time per op name and
 * step, plus the time the main thread spent between ops (host-side work: Java or Python, data).
 */
final class OpProfile {
    private OpProfile() {}

    /** One op name's calls and self time (its own time, children excluded) in a trace, in microseconds. */
    record Op(String name, int calls, double selfUs) {}

    /** A chrome trace summed per op name; span and busy time are those of the busiest thread. */
    record Trace(Map<String, Op> ops, double spanUs, double busyUs) {
        double gapUs() {
            return spanUs - busyUs;
        }

        double selfUs() {
            return ops.values().stream().mapToDouble(Op::selfUs).sum();
        }
    }

    /** Reads a chrome trace (a bare event list, or an object with {@code traceEvents}); complete ("X") events only. */
    static Trace read(Path file) throws IOException {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a chrome trace: " + e.getMessage(), e);
        }
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray()
                : root.isJsonObject() && root.getAsJsonObject().has("traceEvents") ? root.getAsJsonObject().getAsJsonArray("traceEvents") : null;
        if (events == null) {
            throw new IOException(file + ": not a chrome trace (no event list)");
        }
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.get(i).getAsJsonObject();
            if (!e.has("ph") || !"X".equals(e.get("ph").getAsString())) {
                continue;
            }
            if (!e.has("name") || !e.has("ts") || !e.has("dur")) {
                throw new IOException(file + ": event " + i + " lacks name, ts or dur");
            }
            String name = e.get("name").getAsString();
            if (name.startsWith("ProfilerStep")) {
                continue;
            }
            int id = ids.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
            String thread = (e.has("pid") ? e.get("pid").getAsString() : "") + "/" + (e.has("tid") ? e.get("tid").getAsString() : "");
            byThread.computeIfAbsent(thread, t -> new ArrayList<>())
                    .add(new double[] {e.get("ts").getAsDouble(), e.get("dur").getAsDouble(), id});
        }
        double[] self = new double[names.size()];
        int[] calls = new int[names.size()];
        double span = 0;
        double busy = 0;
        for (List<double[]> evs : byThread.values()) {
            // Parents first: earlier start, and the longer event when two start together.
            evs.sort(Comparator.<double[]>comparingDouble(x -> x[0]).thenComparing(x -> -x[1]));
            Deque<double[]> stack = new ArrayDeque<>();
            double threadBusy = 0;
            double coveredTo = Double.NEGATIVE_INFINITY;
            double first = evs.get(0)[0];
            double last = first;
            for (double[] ev : evs) {
                double start = ev[0];
                double end = ev[0] + ev[1];
                while (!stack.isEmpty() && stack.peek()[0] + stack.peek()[1] <= start) {
                    stack.pop();
                }
                if (!stack.isEmpty()) {
                    self[(int) stack.peek()[2]] -= ev[1];
                }
                self[(int) ev[2]] += ev[1];
                calls[(int) ev[2]]++;
                stack.push(ev);
                if (end > coveredTo) {
                    threadBusy += end - Math.max(start, coveredTo);
                    coveredTo = end;
                }
                last = Math.max(last, end);
            }
            if (threadBusy > busy) {
                busy = threadBusy;
                span = last - first;
            }
        }
        Map<String, Op> ops = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            ops.put(names.get(i), new Op(names.get(i), calls[i], self[i]));
        }
        return new Trace(ops, span, busy);
    }

    /** Profiles {@code steps} training steps of each side and prints the per-op table. */
    static void compare(Path root, int[] widths, int batch) throws IOException {
        int steps = 3;
        int passes = 2;
        Net net = ResNet.of(18).input(1, 28, 28).compactStem(true).widths(widths).classes(10).build();
        ArrayDataset data = FashionMnist.train().head(batch * 8);
        Path dir = root.resolve("src/target/profile");
        Files.createDirectories(dir);
        Path ours = dir.resolve("netbook-trace.json");
        Path theirs = dir.resolve("pytorch-trace.json");
        int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
        String form = "ResNet-18 " + Arrays.toString(widths) + " b" + batch;
        System.err.println("netbook bench --profile: " + passes + " x " + steps + " training steps of " + form
                + " on each side, in the order Netbook, PyTorch, PyTorch, Netbook");
        Trace o = null;
        Trace p = null;
        try (Throughput.Side side = new Throughput.Side(Compiler.compile(net), new Shape(1, 28, 28), Losses.crossEntropy(), batch,
                Throughput.Update.NETBOOK);
             TorchPeer peer = TorchPeer.start(root, batch, net, FashionMnist.DEFAULT_DIR, threads, false)) {
            side.steps(data, 2);
            if (peer != null) {
                peer.ask("train 2", "ips");
            }
            for (int pass = 0; pass < passes; pass++) {
                // A B B A: a machine that slows down during the run weighs on both sides alike.
                if (pass % 2 == 0) {
                    o = plus(o, profileOurs(side, data, steps, dir, ours));
                }
                if (peer != null) {
                    peer.ask("profile " + steps + " " + theirs, "profiled");
                    p = plus(p, read(theirs));
                }
                if (pass % 2 == 1) {
                    o = plus(o, profileOurs(side, data, steps, dir, ours));
                }
            }
        }
        Table t = table(o, p, passes * steps, 14);
        System.out.println(t.printAll());
        System.out.println(form + ", " + threads + " intra-op threads, " + Env.cpuModel() + "; last traces: " + ours
                + (p != null ? ", " + theirs : "") + " (chrome://tracing)");
    }

    private static Trace profileOurs(Throughput.Side side, ArrayDataset data, int steps, Path dir, Path out) throws IOException {
        Path tmp = dir.resolve(out.getFileName() + ".tmp");
        JniUtils.startProfile(false, false, false);
        try {
            side.steps(data, steps);
        } finally {
            JniUtils.stopProfile(tmp.toString());
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        return read(out);
    }

    /** Two traces' totals added: calls and self time per op, spans and busy time. */
    static Trace plus(Trace a, Trace b) {
        if (a == null) {
            return b;
        }
        Map<String, Op> ops = new HashMap<>(a.ops());
        b.ops().values().forEach(op -> ops.merge(op.name(), op, (x, y) -> new Op(x.name(), x.calls() + y.calls(), x.selfUs() + y.selfUs())));
        return new Trace(ops, a.spanUs() + b.spanUs(), a.busyUs() + b.busyUs());
    }

    /** The per-op table: the {@code top} ops by larger self time, then totals; figures per step. */
    static Table table(Trace ours, Trace peer, int steps, int top) {
        // Ranked by the larger of the two sides' self time, ties by name.
        Map<String, Double> rank = new HashMap<>();
        ours.ops().values().forEach(o -> rank.merge(o.name(), o.selfUs(), Math::max));
        if (peer != null) {
            peer.ops().values().forEach(o -> rank.merge(o.name(), o.selfUs(), Math::max));
        }
        List<String> names = rank.keySet().stream()
                .sorted(Comparator.<String>comparingDouble(rank::get).reversed().thenComparing(Comparator.naturalOrder())).toList();
        StringColumn name = StringColumn.create("op");
        DoubleColumn oCalls = DoubleColumn.create("netbook calls/step");
        DoubleColumn oMs = DoubleColumn.create("netbook ms/step");
        DoubleColumn pCalls = DoubleColumn.create("pytorch calls/step");
        DoubleColumn pMs = DoubleColumn.create("pytorch ms/step");
        DoubleColumn ratio = DoubleColumn.create("time ratio");
        double oRest = ours.selfUs();
        double pRest = peer == null ? Double.NaN : peer.selfUs();
        int shown = 0;
        for (String n : names) {
            if (shown++ == top) {
                break;
            }
            Op o = ours.ops().get(n);
            Op p = peer == null ? null : peer.ops().get(n);
            double om = o == null ? 0 : o.selfUs() / 1e3 / steps;
            double pm = peer == null ? Double.NaN : p == null ? 0 : p.selfUs() / 1e3 / steps;
            oRest -= o == null ? 0 : o.selfUs();
            pRest -= p == null ? 0 : p.selfUs();
            add(name, oCalls, oMs, pCalls, pMs, ratio, n, o == null ? 0 : (double) o.calls() / steps, om,
                    peer == null ? Double.NaN : p == null ? 0 : (double) p.calls() / steps, pm);
        }
        double perStep = 1e3 * steps;
        add(name, oCalls, oMs, pCalls, pMs, ratio, "(other ops)", Double.NaN, oRest / perStep, Double.NaN, pRest / perStep);
        add(name, oCalls, oMs, pCalls, pMs, ratio, "all ops, self time", ours.ops().values().stream().mapToInt(Op::calls).sum() / (double) steps,
                ours.selfUs() / perStep, peer == null ? Double.NaN : peer.ops().values().stream().mapToInt(Op::calls).sum() / (double) steps,
                peer == null ? Double.NaN : peer.selfUs() / perStep);
        add(name, oCalls, oMs, pCalls, pMs, ratio, "host time between ops (Java / Python, data)", Double.NaN, ours.gapUs() / perStep,
                Double.NaN, peer == null ? Double.NaN : peer.gapUs() / perStep);
        add(name, oCalls, oMs, pCalls, pMs, ratio, "step, first op to last", Double.NaN, ours.spanUs() / perStep,
                Double.NaN, peer == null ? Double.NaN : peer.spanUs() / perStep);
        return Table.create("where a training step goes (self time per op)", name, oCalls, oMs, pCalls, pMs, ratio);
    }

    private static void add(StringColumn name, DoubleColumn oCalls, DoubleColumn oMs, DoubleColumn pCalls, DoubleColumn pMs,
                            DoubleColumn ratio, String n, double oc, double om, double pc, double pm) {
        name.append(n);
        oCalls.append(Bench.round(oc));
        oMs.append(Bench.round(om));
        pCalls.append(Bench.round(pc));
        pMs.append(Bench.round(pm));
        ratio.append(pm > 0 ? Bench.round(om / pm) : Double.NaN);
    }
}
