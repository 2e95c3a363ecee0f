package netbook.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netbook.dsl.NetbookException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where Netbook's Spark jobs run, and how each task is sized: a master URL and the cores of one
 * task, which become its PyTorch threads. DJL trains one model per JVM at a time (one gradient
 * collector, one random generator per process), so every executor is a JVM with exactly one task
 * slot ({@code spark.executor.cores = spark.task.cpus}). Embedded ({@link #local}), an in-process
 * master starts {@code cores / threads} executor processes on this machine from {@code SPARK_HOME/jars}.
 *
 * @param command        names the command in errors ({@code sweep}, {@code batch-predict})
 * @param master         {@code local-cluster[N,THREADS,MB]}, {@code spark://host:port}, {@code yarn} or {@code k8s://...}
 * @param threadsPerTask cores of one task: its PyTorch threads
 * @param conf           more Spark settings, passed as they are
 */
public record SparkTarget(String command, String master, int threadsPerTask, Map<String, String> conf) {
    /** Memory of each embedded executor (MB): its Java heap; PyTorch's tensors live outside it. */
    static final int EXECUTOR_MB = 3072;

    public SparkTarget {
        if (threadsPerTask < 1) throw new NetbookException(command + ": threads per task must be positive, received " + threadsPerTask);
        conf = Map.copyOf(conf);
    }

    /** Spark embedded in this JVM: one executor process per {@code threadsPerTask} cores of this machine. */
    public static SparkTarget local(String command, int threadsPerTask) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threadsPerTask > cores) {
            throw new NetbookException(command + ": " + threadsPerTask + " threads per task but this machine has " + cores + " core(s)");
        }
        return new SparkTarget(command, "local-cluster[" + Math.max(1, cores / threadsPerTask) + "," + threadsPerTask + "," + EXECUTOR_MB + "]",
                threadsPerTask, Map.of("spark.executor.memory", (EXECUTOR_MB - 512) + "m"));
    }

    /** A cluster's master URL, checked before Spark starts. */
    public static SparkTarget on(String command, String master, int threadsPerTask) {
        if (master == null || master.isBlank()) throw new NetbookException(command + ": --master needs a URL such as spark://host:7077");
        if (master.matches("local(\\[.*])?")) {
            throw new NetbookException(command + ": --master " + master + " runs tasks as threads of one JVM, and DJL trains one model per JVM at a time;"
                    + " leave out --master (executor processes on this machine) or use local-cluster[N,THREADS,MB]");
        }
        if (!master.matches("(local-cluster\\[[0-9]+ *, *[0-9]+ *, *[0-9]+]|spark://[^/]+|yarn|k8s://.+)")) {
            throw new NetbookException(command + ": --master " + master
                    + " is not a Spark master URL; use spark://host:7077, yarn, k8s://https://host:port or local-cluster[N,THREADS,MB]");
        }
        return new SparkTarget(command, master, threadsPerTask, Map.of());
    }

    public SparkTarget conf(Map<String, String> more) {
        Map<String, String> c = new LinkedHashMap<>(conf);
        c.putAll(more);
        return new SparkTarget(command, master, threadsPerTask, c);
    }

    /** Starts Spark; a missing SPARK_HOME or an unreachable master is a one-line error first. */
    JavaSparkContext start(String appName) {
        SparkConf c = sparkConf(appName, System.getenv());
        if (master.startsWith("local-cluster")) checkSparkHome();
        if (master.startsWith("spark://")) checkReachable();
        try {
            return new JavaSparkContext(c);
        } catch (RuntimeException e) {
            throw new NetbookException(command + ": cannot start Spark with master " + master + ": " + SparkSweep.rootMessage(e), e);
        }
    }

    /** Spark's settings for this target, with what the executors need from the driver's environment {@code env}. */
    SparkConf sparkConf(String appName, Map<String, String> env) {
        SparkConf c = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.task.cpus", Integer.toString(threadsPerTask))
                // One task slot per executor JVM, whatever a worker's cores: DJL trains one model per process.
                .set("spark.executor.cores", Integer.toString(threadsPerTask))
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // executors are JVMs of their own: the engine's settings travel with them
                .set("spark.executor.extraJavaOptions", executorJavaOptions(env));
        // and the natives' code paths, read from the environment when an executor loads them: a
        // trial then computes the same losses on an executor as in ./netbook's own process
        netbook.env.Numerics.passOn(env).forEach((k, v) -> c.set("spark.executorEnv." + k, v));
        if (isLoopback()) c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        for (var e : conf.entrySet()) c.set(e.getKey(), e.getValue());
        return c;
    }

    String describe(JavaSparkContext jsc) {
        return (master.startsWith("local-cluster") ? "Spark " + jsc.version() + " embedded (" + master + ")" : "Spark " + jsc.version() + " on " + master)
                + ", " + threadsPerTask + " thread(s)";
    }

    String executorJavaOptions(Map<String, String> env) {
        StringBuilder s = new StringBuilder("-Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.pytorch.num_threads=" + threadsPerTask);
        for (String p : List.of("netbook.fashion.dir", "netbook.root")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank() && !v.contains(" ")) s.append(" -D").append(p).append('=').append(v);
        }
        // Embedded executors share this machine's cores: each JVM sizes its garbage collector, JIT
        // compiler and common pool for its own task's cores, not for all of them (the executors'
        // fair share, as their PyTorch threads are). On two cores two 16-trial sweeps ran 4-5%
        // sooner with it and a third was level (RESULTS.md, "Sweeps on Spark"); rows are unchanged.
        if (master.startsWith("local-cluster")) s.append(" -XX:ActiveProcessorCount=").append(threadsPerTask);
        ExecutorArchive archive = archive(env);
        if (archive != null && !archive.javaOptions().isEmpty()) s.append(' ').append(archive.javaOptions());
        return s.toString();
    }

    /** The embedded executors' class archive; null on a cluster, whose workers have SPARK_HOMEs of their own. */
    ExecutorArchive archive(Map<String, String> env) {
        String home = env.get("SPARK_HOME");
        return master.startsWith("local-cluster") && home != null && !home.isBlank() ? ExecutorArchive.of(Path.of(home), env) : null;
    }

    /**
     * Stops Spark; after an embedded run that listed its executors' classes, records their class
     * archive for the next run (once per build).
     */
    void stop(JavaSparkContext jsc) {
        String appId = jsc.sc().applicationId();
        jsc.stop();
        ExecutorArchive archive = archive(System.getenv());
        if (archive != null) archive.recordAfter(appId, System.err::println);
    }

    private boolean isLoopback() {
        return master.startsWith("local-cluster") || master.startsWith("spark://127.0.0.1") || master.startsWith("spark://localhost");
    }

    /** Embedded executors are processes started from SPARK_HOME/jars: it must be there, with Netbook's jars. */
    private void checkSparkHome() {
        String home = System.getenv("SPARK_HOME");
        if (home == null || home.isBlank()) {
            throw new NetbookException(command + ": Spark starts its executor processes from SPARK_HOME/jars, and SPARK_HOME is not set;"
                    + " run through ./netbook " + command + ", or set SPARK_HOME to recipes/spark/target/spark-home");
        }
        Path jars = Path.of(home, "jars");
        try (var list = Files.list(jars)) {
            if (list.noneMatch(p -> p.getFileName().toString().startsWith("netbook-spark"))) {
                throw new NetbookException(command + ": " + jars + " has no netbook-spark jar, so executors could not run a task;"
                        + " SPARK_HOME should be recipes/spark/target/spark-home (mvn package makes it)");
            }
        } catch (IOException e) {
            throw new NetbookException(command + ": SPARK_HOME " + home + " has no jars folder (" + e.getMessage() + ")", e);
        }
        // Without it every executor launch fails ("Cannot find any build directories") and the
        // master gives the application up after ten tries; say so before starting.
        Path marker = Path.of(home, "launcher", "target", "scala-2.13");
        String scala = System.getenv("SPARK_SCALA_VERSION");
        if (!Files.isDirectory(marker) && (scala == null || scala.isBlank())) {
            throw new NetbookException(command + ": " + marker + " is missing, and Spark's executor launcher reads the Scala version"
                    + " from it (or from SPARK_SCALA_VERSION); mvn package lays it out in recipes/spark/target/spark-home");
        }
    }

    /** A standalone master that does not answer is a one-line error now, not three 20-second registration retries. */
    private void checkReachable() {
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new NetbookException(command + ": --master " + master + ": the port of " + hostPort + " is not a number");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5000);
                return;   // one master of a list that answers is enough
            } catch (IOException e) {
                if (!master.contains(",")) {
                    throw new NetbookException(command + ": cannot reach the Spark master at " + host + ":" + port + " (" + e.getMessage()
                            + "); is it running, and is --master its URL (the master's log prints it)?");
                }
            }
        }
        throw new NetbookException(command + ": none of the Spark masters in " + master + " answers");
    }
}
