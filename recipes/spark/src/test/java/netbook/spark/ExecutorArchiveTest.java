package netbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded executors' class archive: when executors list their classes and when they use the
 * archive, and the recording after a run, with a stand-in java that writes or refuses the archive
 * (the real {@code -Xshare:dump} runs in {@code SparkSweepIT}).
 */
class ExecutorArchiveTest {
    @TempDir Path home;

    private static final String OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    /** A SPARK_HOME with two jars, and a worker's log of executor 0 of application app-1 started with {@code java}. */
    private Path sparkHome(Path java) throws IOException {
        Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("jars/spark-core.jar"), "core");
        Files.writeString(home.resolve("jars/netbook-spark.jar"), "netbook");
        Path work = Files.createDirectories(home.resolve("work/app-1/0"));
        String cp = home.resolve("conf") + ":" + home.resolve("jars") + "/*";
        Files.writeString(work.resolve("stderr"), "Spark Executor Command: \"" + java + "\" \"-cp\" \"" + cp + "\" \"-Xmx2560M\""
                + " \"-Dspark.driver.port=1234\" \"--add-modules=jdk.incubator.vector\" \"" + OPENS + "\""
                + " \"org.apache.spark.executor.CoarseGrainedExecutorBackend\" \"--executor-id\" \"0\"\n========\n\nlater lines\n");
        Files.writeString(home.resolve("netbook-executor-classes-0.txt"), "java/lang/Object id: 0\n");
        Files.writeString(home.resolve("netbook-executor-classes-1.txt"), "java/lang/Object id: 0\n");
        return home;
    }

    /**
     * A stand-in java: {@code -Xshare:dump} writes the file named by -XX:SharedArchiveFile (or
     * exits 3 with a reason when {@code fail}), {@code -Xshare:on} exits 0. Every call is logged.
     */
    private Path fakeJava(boolean fail) throws IOException {
        Path java = home.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/bin/sh
                echo "$@" >> "%s"
                for a in "$@"; do
                  case "$a" in
                    -Xshare:dump) dump=1 ;;
                    -XX:SharedArchiveFile=*) archive="${a#-XX:SharedArchiveFile=}" ;;
                  esac
                done
                if [ -n "$dump" ]; then
                  %s
                  echo "archive of classes" > "$archive"
                fi
                exit 0
                """.formatted(home.resolve("calls.txt"), fail ? "echo 'Error occurred during initialization of VM: no room in /tmp'; exit 3" : ":"));
        assertTrue(java.toFile().setExecutable(true));
        return java;
    }

    private ExecutorArchive archive(Path java) {
        return new ExecutorArchive(home, java.toString());
    }

    @Test
    void embeddedExecutorsListTheirClassesUntilAnArchiveOfTheseJarsIsRecordedAndThenUseIt() throws IOException {
        Path java = fakeJava(false);
        sparkHome(java);
        ExecutorArchive a = archive(java);
        assertFalse(a.current());
        assertEquals("-XX:DumpLoadedClassList=" + home.resolve("netbook-executor-classes-{{EXECUTOR_ID}}.txt"), a.javaOptions());

        List<String> said = new ArrayList<>();
        assertTrue(a.recordAfter("app-1", said::add), String.join("\n", said));
        assertTrue(said.get(0).contains("recording the executors' class archive"), said.toString());
        assertTrue(a.current());
        assertEquals("-XX:SharedArchiveFile=" + home.resolve("netbook-executor.jsa") + " -Xlog:cds=off -Xlog:cds+dynamic=off", a.javaOptions());
        try (var files = Files.list(home)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("netbook-executor-classes-")), "class lists are removed");
        }

        // the dump ran with the executor's java, class path and module options; the check mapped the archive
        List<String> calls = Files.readAllLines(home.resolve("calls.txt"));
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("-Xshare:dump -XX:SharedClassListFile=" + home.resolve("netbook-executor-classes-0.txt")), calls.get(0));
        assertTrue(calls.get(0).contains("-cp " + home.resolve("conf") + ":" + home.resolve("jars") + "/*"), calls.get(0));
        assertTrue(calls.get(0).contains("--add-modules=jdk.incubator.vector " + OPENS), calls.get(0));
        assertFalse(calls.get(0).contains("-Xmx2560M") || calls.get(0).contains("spark.driver.port"), calls.get(0));
        assertTrue(calls.get(1).startsWith("-Xshare:on -XX:SharedArchiveFile=") && calls.get(1).endsWith("-version"), calls.get(1));

        // a recorded archive is not recorded again; executors started by another java do not use it
        assertFalse(a.recordAfter("app-1", said::add));
        assertFalse(new ExecutorArchive(home, "/usr/lib/jvm/other/bin/java").current());

        // a rebuilt jar: executors list their classes again, and the next run records anew
        Files.setLastModifiedTime(home.resolve("jars/spark-core.jar"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertFalse(a.current());
        assertTrue(a.javaOptions().startsWith("-XX:DumpLoadedClassList="), a.javaOptions());
    }

    @Test
    void aFailedRecordingSaysWhyAndLeavesNoArchive() throws IOException {
        Path java = fakeJava(true);
        sparkHome(java);
        ExecutorArchive a = archive(java);
        List<String> said = new ArrayList<>();
        assertFalse(a.recordAfter("app-1", said::add));
        String last = said.get(said.size() - 1);
        assertTrue(last.contains("could not record the executors' class archive (-Xshare:dump exited with 3)"), last);
        assertTrue(last.contains("no room in /tmp"), "the JVM's own words are shown: " + last);
        assertFalse(Files.exists(home.resolve("netbook-executor.jsa")) || Files.exists(home.resolve("netbook-executor.jsa.tmp")));
        assertFalse(a.current());
        assertFalse(Files.exists(home.resolve("netbook-executor-classes-0.txt")));
    }

    @Test
    void aRunWhoseWorkerLogHasNoExecutorCommandRecordsNothingAndSaysWhere() throws IOException {
        Path java = fakeJava(false);
        sparkHome(java);
        Files.writeString(home.resolve("work/app-1/0/stderr"), "killed before it started\n");
        List<String> said = new ArrayList<>();
        assertFalse(archive(java).recordAfter("app-1", said::add));
        assertEquals(List.of("netbook: no executor command in " + home.resolve("work/app-1/0/stderr")
                + "; the executors' class archive is not recorded"), said);
    }

    @Test
    void onlyEmbeddedExecutorsGetTheArchivesOptions() throws IOException {
        Path java = fakeJava(false);
        sparkHome(java);
        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "JAVA_HOME", java.getParent().getParent().toString());
        String embedded = SparkTarget.on("sweep", "local-cluster[2,1,1024]", 1).sparkConf("t", env).get("spark.executor.extraJavaOptions");
        assertTrue(embedded.endsWith(" -XX:DumpLoadedClassList=" + home.resolve("netbook-executor-classes-{{EXECUTOR_ID}}.txt")), embedded);
        // each embedded executor JVM is sized for its own task's cores
        assertTrue(embedded.contains(" -XX:ActiveProcessorCount=1 "), embedded);
        assertTrue(SparkTarget.on("sweep", "local-cluster[1,2,1024]", 2).sparkConf("t", env).get("spark.executor.extraJavaOptions")
                .contains(" -XX:ActiveProcessorCount=2 "));
        String cluster = SparkTarget.on("sweep", "spark://10.0.0.5:7077", 1).sparkConf("t", env).get("spark.executor.extraJavaOptions");
        assertFalse(cluster.contains("XX:"), cluster);
        String noHome = SparkTarget.on("sweep", "local-cluster[2,1,1024]", 1).sparkConf("t", Map.of()).get("spark.executor.extraJavaOptions");
        assertFalse(noHome.contains("SharedArchiveFile") || noHome.contains("DumpLoadedClassList"), noHome);
        // the executors' java is JAVA_HOME's, as Spark's worker chooses it
        assertEquals(java.toString(), ExecutorArchive.of(home, env).stamp().lines().findFirst().orElseThrow());
    }
}
