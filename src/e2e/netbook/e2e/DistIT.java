package netbook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netbook as a release: the zip from {@code ./netbook dist} runs from another folder, and a
 * separate Maven project that depends on the installed {@code netbook-runtime} trains a model.
 */
class DistIT {
    static Path root;
    static String version;

    @BeforeAll
    static void setUp() throws IOException {
        root = Path.of(System.getProperty("netbook.root", "..")).toAbsolutePath().normalize();
        JupyterIT.root = root;
        version = pomValue("version");
        assertFalse(version.endsWith("-SNAPSHOT"), "a release has a real version, found " + version);
    }

    /** The first {@code <name>} of the root pom (the project's own version comes first). */
    static String pomValue(String name) throws IOException {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), "no <" + name + "> in pom.xml");
        return m.group(1);
    }

    @Test
    void theZipRunsFromAnyFolderWithoutTheSources(@TempDir Path tmp) throws Exception {
        // The jars of this build (mvn verify has packaged them): no nested build.
        JupyterIT.Result made = JupyterIT.run(List.of(root.resolve("netbook").toString(), "dist", "--out", tmp.resolve("out").toString()),
                Map.of("NETBOOK_SKIP_BUILD", "1"), 300);
        assertEquals(0, made.rc(), made.out());
        Path zip = tmp.resolve("out/netbook-" + version + ".zip");
        assertTrue(Files.isRegularFile(zip), made.out());

        Path unpacked = tmp.resolve("unpacked");
        JupyterIT.Result unzip = JupyterIT.run(List.of("/usr/bin/python3", "-c",
                "import os, sys, zipfile\n"
                        + "z = zipfile.ZipFile(sys.argv[1])\n"
                        + "for i in z.infolist():\n"
                        + "    p = z.extract(i, sys.argv[2])\n"
                        + "    mode = i.external_attr >> 16\n"
                        + "    if mode: os.chmod(p, mode)\n",
                zip.toString(), unpacked.toString()), Map.of(), 120);
        assertEquals(0, unzip.rc(), unzip.out());
        Path home = unpacked.resolve("netbook-" + version);
        for (String f : List.of("netbook", "README.md", "CHANGELOG.md", "startup.jsh", "lib/netbook-dsl-" + version + ".jar", "lib/netbook-runtime-" + version + ".jar",
                "lib/cells/netbook-runtime-" + version + "-cells.jar",
                "lib/netbook-kernel-" + version + ".jar", "notebooks/user-guide.ipynb")) {
            assertTrue(Files.exists(home.resolve(f)), f + " missing from the zip");
        }
        assertTrue(Files.isExecutable(home.resolve("netbook")));
        assertFalse(Files.exists(home.resolve("pom.xml")));
        assertTrue(Files.readString(home.resolve("CHANGELOG.md")).contains("## " + version), "CHANGELOG.md has no entry for " + version);

        // From an unrelated folder: the distribution's own launcher and jars.
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        JupyterIT.Result summary = runIn(elsewhere, List.of(home.resolve("netbook").toString(), "summary", "resnet18"), 300);
        assertEquals(0, summary.rc(), summary.out());
        assertTrue(summary.out().contains("11,689,512"), summary.out());
        JupyterIT.Result kernel = runIn(elsewhere, List.of(home.resolve("netbook").toString(), "kernel", "install", "--prefix",
                tmp.resolve("jupyter").toString()), 300);
        assertEquals(0, kernel.rc(), kernel.out());
        String spec = Files.readString(tmp.resolve("jupyter/share/jupyter/kernels/netbook/kernel.json"));
        assertTrue(spec.contains(home.resolve("lib") + "/*") && !spec.contains(root.toString()), spec);
        JupyterIT.Result test = runIn(elsewhere, List.of(home.resolve("netbook").toString(), "test"), 60);
        assertEquals(2, test.rc(), test.out());
        assertTrue(test.out().contains("needs a checkout of the sources"), test.out());
    }

    @Test
    void aSeparateMavenProjectDependsOnTheInstalledModulesAndTrains(@TempDir Path tmp) throws Exception {
        // Install the parent, the DSL and the runtime modules (already built by this mvn run) into the local repository.
        // Not offline: on a fresh machine the install plugin is not cached yet (mvn verify never needs it).
        JupyterIT.Result install = JupyterIT.run(List.of("mvn", "-B", "-q", "-DskipTests", "-f", root.resolve("pom.xml").toString(),
                "-pl", "dsl/runtime", "-am", "install"), Map.of(), 600);
        assertEquals(0, install.rc(), install.out());

        Path project = Files.createDirectories(tmp.resolve("consumer"));
        Files.writeString(project.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>uses-netbook</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>netbook</groupId><artifactId>netbook-runtime</artifactId><version>%s</version></dependency>
                    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>%s</version><scope>test</scope></dependency>
                  </dependencies>
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version>
                      <configuration><argLine>-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2</argLine></configuration></plugin>
                  </plugins></build>
                </project>
                """.formatted(version, pomValue("junit.version")), StandardCharsets.UTF_8);
        Path test = Files.createDirectories(project.resolve("src/test/java/example"));
        Files.writeString(test.resolve("TrainsTest.java"), """
                package example;

                import static netbook.dsl.Layers.*;
                import static org.junit.jupiter.api.Assertions.assertTrue;

                import netbook.data.ArrayDataset;
                import netbook.dsl.Net;
                import netbook.train.Fit;
                import netbook.train.Optimizers;
                import netbook.train.TrainedModel;
                import org.junit.jupiter.api.Test;

                class TrainsTest {
                    @Test
                    void aSmallNetworkLearnsTwoBlobs() {
                        java.util.Random r = new java.util.Random(7);
                        float[][] x = new float[256][2];
                        int[] y = new int[256];
                        for (int i = 0; i < 256; i++) {
                            y[i] = i % 2;
                            x[i][0] = (float) (r.nextGaussian() + (y[i] == 0 ? -2 : 2));
                            x[i][1] = (float) r.nextGaussian();
                        }
                        Net net = Net.input(2).add(linear(8), relu(), linear(2));
                        try (TrainedModel m = Fit.of(net, ArrayDataset.of(x, y)).epochs(5).batchSize(32).seed(1)
                                .optimizer(Optimizers.adam(0.05)).run()) {
                            double acc = m.metrics().doubleColumn("train_accuracy").get(4);
                            assertTrue(acc > 0.9, "accuracy " + acc);
                        }
                    }
                }
                """, StandardCharsets.UTF_8);
        JupyterIT.Result built = runIn(project, List.of("mvn", "-B", "test"), 600);
        assertEquals(0, built.rc(), built.out());
        assertTrue(built.out().contains("Tests run: 1, Failures: 0, Errors: 0"), built.out());
    }

    private static JupyterIT.Result runIn(Path dir, List<String> cmd, long timeoutSeconds) throws Exception {
        Path script = Files.createTempFile("netbook-run", ".sh");
        Files.writeString(script, "cd '" + dir + "' && exec \"$@\"\n");
        try {
            List<String> full = new java.util.ArrayList<>(List.of("bash", script.toString()));
            full.addAll(cmd);
            return JupyterIT.run(full, Map.of(), timeoutSeconds);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
