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
 * separate Maven project that depends on the installed {@code netbook-runtime} trains a model, on
 * the class path and on the module path.
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

    /** The two projects' data and network: two Gaussian blobs, a 2-8-2 perceptron. */
    private static final String TWO_BLOBS = """
            java.util.Random r = new java.util.Random(7);
            float[][] x = new float[256][2];
            int[] y = new int[256];
            for (int i = 0; i < 256; i++) {
                y[i] = i % 2;
                x[i][0] = (float) (r.nextGaussian() + (y[i] == 0 ? -2 : 2));
                x[i][1] = (float) r.nextGaussian();
            }
            Net net = Net.input(2).add(linear(8), relu(), linear(2));
            """;

    private static boolean installed;

    /** Installs the parent, the DSL and the runtime modules (already built by this mvn run) into the local repository, once. */
    private static synchronized void installModules() throws Exception {
        if (installed) return;
        // Not offline: on a fresh machine the install plugin is not cached yet (mvn verify never needs it).
        JupyterIT.Result install = JupyterIT.run(List.of("mvn", "-B", "-q", "-DskipTests", "-f", root.resolve("pom.xml").toString(),
                "-pl", "dsl/runtime", "-am", "install"), Map.of(), 600);
        assertEquals(0, install.rc(), install.out());
        installed = true;
    }

    @Test
    void aSeparateMavenProjectDependsOnTheInstalledModulesAndTrains(@TempDir Path tmp) throws Exception {
        installModules();

        Path project = Files.createDirectories(tmp.resolve("consumer"));
        writePom(project, "uses-netbook",
                "<dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>" + pomValue("junit.version")
                        + "</version><scope>test</scope></dependency>",
                """
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version>
                  <configuration><argLine>-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2</argLine></configuration></plugin>""");
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
                        // TWO_BLOBS
                        try (TrainedModel m = Fit.of(net, ArrayDataset.of(x, y)).epochs(5).batchSize(32).seed(1)
                                .optimizer(Optimizers.adam(0.05)).run()) {
                            double acc = m.metrics().doubleColumn("train_accuracy").get(4);
                            assertTrue(acc > 0.9, "accuracy " + acc);
                        }
                    }
                }
                """.replace("// TWO_BLOBS", TWO_BLOBS), StandardCharsets.UTF_8);
        JupyterIT.Result built = runIn(project, List.of("mvn", "-B", "test"), 600);
        assertEquals(0, built.rc(), built.out());
        assertTrue(built.out().contains("Tests run: 1, Failures: 0, Errors: 0"), built.out());
    }

    /**
     * The same on the module path: {@code netbook.runtime} does not export {@code netbook.internal.djl},
     * so a modular project that imports it does not compile, and one that keeps to the public API trains.
     */
    @Test
    void aModularProjectCannotReachTheInternalsAndTrainsOnTheModulePath(@TempDir Path tmp) throws Exception {
        installModules();
        Path project = Files.createDirectories(tmp.resolve("modular"));
        writePom(project, "modular-app", "",
                "<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>");
        Path src = Files.createDirectories(project.resolve("src/main/java/example"));
        Files.writeString(project.resolve("src/main/java/module-info.java"),
                "module example.app {\n    requires netbook.runtime;\n}\n", StandardCharsets.UTF_8);
        Files.writeString(src.resolve("Main.java"), """
                package example;

                import static netbook.dsl.Layers.*;

                import netbook.data.ArrayDataset;
                import netbook.dsl.Layer;
                import netbook.dsl.Net;
                import netbook.dsl.NetbookException;
                import netbook.dsl.Shape;
                import netbook.dsl.SpecJson;
                import netbook.train.Fit;
                import netbook.train.Optimizers;
                import netbook.train.TrainedModel;

                public class Main {
                    /** A user's own layer, package-private, in a package this module does not open. */
                    record Echo(int width) implements Layer {
                        public String type() { return "Echo"; }
                        public Shape outputShape(Shape in) { return in; }
                    }

                    public static void main(String[] args) {
                        SpecJson.register("echo", Echo.class);
                        try {
                            SpecJson.write(Net.input(2).add(new Echo(2)));
                            System.out.println("saved a closed package's layer");
                        } catch (NetbookException e) {
                            System.out.println("refused: " + e.getMessage());
                        }
                        // TWO_BLOBS
                        try (TrainedModel m = Fit.of(net, ArrayDataset.of(x, y)).epochs(5).batchSize(32).seed(1)
                                .optimizer(Optimizers.adam(0.05)).run()) {
                            System.out.println("module " + Main.class.getModule().getName() + " read netbook "
                                    + Main.class.getModule().canRead(Net.class.getModule()) + " accuracy "
                                    + m.metrics().doubleColumn("train_accuracy").get(4));
                        }
                    }
                }
                """.replace("// TWO_BLOBS", TWO_BLOBS), StandardCharsets.UTF_8);

        // The internals: javac refuses them by the module's exports, not for a missing class.
        Path internal = src.resolve("UsesInternals.java");
        Files.writeString(internal, "package example;\n\nclass UsesInternals {\n    Object c = netbook.internal.djl.Compiler.class;\n}\n",
                StandardCharsets.UTF_8);
        JupyterIT.Result refused = runIn(project, List.of("mvn", "-B", "compile"), 600);
        assertEquals(1, refused.rc(), refused.out());
        assertTrue(refused.out().contains("package netbook.internal.djl is declared in module netbook.runtime, which does not export it"),
                refused.out());

        Files.delete(internal);
        JupyterIT.Result built = runIn(project, List.of("mvn", "-B", "-q", "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=deps.txt"), 600);
        assertEquals(0, built.rc(), built.out());
        // Netbook and the four modules its descriptors name go on the module path; the rest (DJL's native
        // jar, whose Automatic-Module-Name is not a valid name, and the libraries' own dependencies,
        // which automatic modules read from the class path) on the class path.
        List<String> modulePath = new java.util.ArrayList<>(List.of(project.resolve("target/classes").toString()));
        List<String> classPath = new java.util.ArrayList<>();
        Pattern modules = Pattern.compile("/(netbook-dsl|netbook-runtime|api|pytorch-engine|tablesaw-core|gson)-[0-9][^/]*\\.jar$");
        for (String jar : Files.readString(project.resolve("deps.txt")).trim().split(java.io.File.pathSeparator)) {
            (modules.matcher(jar).find() ? modulePath : classPath).add(jar);
        }
        assertEquals(7, modulePath.size(), "module path " + modulePath);
        String javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        JupyterIT.Result ran = runIn(project, List.of(javaLauncher, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
                "--module-path", String.join(java.io.File.pathSeparator, modulePath),
                "--class-path", String.join(java.io.File.pathSeparator, classPath),
                "-m", "example.app/example.Main"), 300);
        assertEquals(0, ran.rc(), ran.out());
        Matcher m = Pattern.compile("module example.app read netbook true accuracy ([0-9.]+)").matcher(ran.out());
        assertTrue(m.find(), ran.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, ran.out());
        // Spec JSON reads a user's layer by reflection: the error says which package to open.
        assertTrue(ran.out().contains("(Echo): cannot read the spec type example.Main$Echo: module example.app does not open package "
                + "example to netbook.dsl; add `opens example to netbook.dsl;` to its module-info.java"), ran.out());
    }

    /** A project that depends on the installed netbook-runtime, with Java 17 and the plugin versions this build uses. */
    private static void writePom(Path project, String artifactId, String moreDependencies, String morePlugins) throws IOException {
        Files.writeString(project.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>%s</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>netbook</groupId><artifactId>netbook-runtime</artifactId><version>%s</version></dependency>
                    %s
                  </dependencies>
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    %s
                  </plugins></build>
                </project>
                """.formatted(artifactId, version, moreDependencies, morePlugins), StandardCharsets.UTF_8);
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
