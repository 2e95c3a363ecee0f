package netbook.pcrec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import netbook.train.InPlaceOptimizer;
import netbook.train.OptimizerSpec;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.Schedule;
import netbook.train.TrainingLoop;

/**
 * Self-supervised pre-training of a {@link GinEncoder} on one graph, as GCC does it and PCRec
 * applies it to the source domain: draw ego nodes (probability proportional to degree^0.75),
 * sample two random-walk subgraphs of each (query and positive key), encode queries with the
 * query encoder and keys with the momentum key encoder, and minimise InfoNCE against the MoCo
 * queue. One step:
 * <pre>
 * q = f_q(g_q) (dropout on), k = f_k(g_k) (no gradient, no dropout, batch norm in training mode)
 * loss = InfoNCE([q.k, q.queue] / tau, label 0); backward; clip the gradient norm; Adam step (the TrainingLoop's)
 * theta_k = m theta_k + (1 - m) theta_q;  queue <- k  (FIFO)
 * </pre>
 * {@link Config#gcc} holds GCC's defaults (PCRec publishes none): batch 32, queue 16384,
 * m 0.999, tau 0.07, Adam lr 0.005 with betas (0.9, 0.999) and weight decay 1e-5, gradient norm
 * clipped at 1, learning rate warmed up linearly over the first 10% of steps then decayed
 * linearly to 0. GCC trains 100 epochs of 2000 samples (6250 steps).
 * <pre>
 * try (ContrastivePretraining.Result r = ContrastivePretraining.run(sourceGraph, Config.gcc(2).steps(300), Progress.none())) {
 *     float[][] e = r.embed(targetGraph, nodes, 64, seed);
 * }
 * </pre>
 */
public final class ContrastivePretraining {
    private ContrastivePretraining() {}

    /** Pre-training settings. */
    public record Config(
            GinEncoder.Config encoder,
            RandomWalkSampler sampler,
            int steps,
            int batchSize,       // GCC --batch-size 32
            int queueSize,       // GCC --nce-k 16384 (MoCo)
            double momentum,     // GCC --alpha 0.999
            double temperature,  // GCC --nce-t 0.07
            double lr,           // GCC --learning-rate 0.005
            double weightDecay,  // GCC --weight-decay 1e-5
            double clipNorm,     // GCC --clip-norm 1.0
            double warmup,       // GCC warmup_linear(..., 0.1)
            long seed) {

        /** GCC's defaults with an r-hop limit on the walks; 6250 steps as GCC's 100 epochs of 2000 samples. */
        public static Config gcc(int hops) {
            return new Config(GinEncoder.Config.GCC, RandomWalkSampler.gcc(hops), 6250, 32, 16384, 0.999, 0.07, 0.005, 1e-5, 1.0, 0.1, 42);
        }

        public Config steps(int n) { return new Config(encoder, sampler, n, batchSize, queueSize, momentum, temperature, lr, weightDecay, clipNorm, warmup, seed); }
        public Config queueSize(int n) { return new Config(encoder, sampler, steps, batchSize, n, momentum, temperature, lr, weightDecay, clipNorm, warmup, seed); }
        public Config batchSize(int n) { return new Config(encoder, sampler, steps, n, queueSize, momentum, temperature, lr, weightDecay, clipNorm, warmup, seed); }
        public Config sampler(RandomWalkSampler s) { return new Config(encoder, s, steps, batchSize, queueSize, momentum, temperature, lr, weightDecay, clipNorm, warmup, seed); }
        public Config encoder(GinEncoder.Config e) { return new Config(e, sampler, steps, batchSize, queueSize, momentum, temperature, lr, weightDecay, clipNorm, warmup, seed); }
        public Config seed(long s) { return new Config(encoder, sampler, steps, batchSize, queueSize, momentum, temperature, lr, weightDecay, clipNorm, warmup, s); }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s; %s; %d steps of %d, queue %d, m %.3f, tau %.2f, Adam lr %.4f wd %.0e, clip %.1f, warmup %.0f%%, seed %d",
                    encoder, sampler, steps, batchSize, queueSize, momentum, temperature, lr, weightDecay, clipNorm, 100 * warmup, seed);
        }
    }

    /** The trained query encoder (it owns its arrays: close it), with the loss of every step. */
    public static final class Result implements AutoCloseable {
        private final NDManager manager;
        private final GinEncoder encoder;
        private final Config config;
        private final double[] losses;
        private final double seconds;

        Result(NDManager manager, GinEncoder encoder, Config config, double[] losses, double seconds) {
            this.manager = manager;
            this.encoder = encoder;
            this.config = config;
            this.losses = losses;
            this.seconds = seconds;
        }

        public GinEncoder encoder() { return encoder; }
        public Config config() { return config; }
        /** InfoNCE loss per step. */
        public double[] losses() { return losses.clone(); }
        public double seconds() { return seconds; }

        /** Embeddings (eval mode) of {@code nodes} of {@code graph}, each from one sampled ego subgraph. */
        public float[][] embed(BipartiteGraph graph, int[] nodes, int batchSize, long seed) {
            return ContrastivePretraining.embed(encoder, manager, graph, nodes, config.sampler, batchSize, seed);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Pre-trains on {@code graph}. */
    public static Result run(BipartiteGraph graph, Config c, Progress progress) {
        long t0 = System.nanoTime();
        TrainingLoop.seedEngine(c.seed);
        Random rnd = new Random(c.seed);
        NDManager base = NDManager.newBaseManager();
        try {
            GinEncoder query = new GinEncoder(c.encoder);
            GinEncoder key = new GinEncoder(c.encoder);
            SubgraphBatch example = batch(graph, c, rnd, RandomWalkSampler.egoNodes(graph, c.batchSize, rnd));
            query.initialize(base, example);
            key.initialize(base, example);
            Moco moco = new Moco(query, key, base, c.queueSize, c.encoder.output(), c.momentum, c.temperature, c.seed);
            moco.copyQueryToKey();
            List<Pair<String, NDArray>> params = new ArrayList<>();
            for (Pair<String, Parameter> p : moco.trainable()) params.add(new Pair<>(p.getKey(), p.getValue().getArray()));
            List<Pair<String, NDArray>> state = new ArrayList<>();
            for (Pair<String, Parameter> p : query.getParameters()) state.add(new Pair<>("query/" + p.getKey(), p.getValue().getArray()));
            for (Pair<String, Parameter> p : key.getParameters()) state.add(new Pair<>("key/" + p.getKey(), p.getValue().getArray()));
            state.add(new Pair<>("queue", moco.queue()));
            TrainingLoop.Task task = new TrainingLoop.Task() {
                private NDArray keys;

                @Override public int stepsPerEpoch() { return c.steps; }
                @Override public List<Pair<String, NDArray>> state() { return state; }

                /** The ego nodes of every step, drawn from (seed, epoch); one epoch is the whole run. */
                @Override
                public List<int[]> batches(int epoch) {
                    Random r = new Random(TrainingLoop.epochSeed(c.seed, epoch));
                    List<int[]> out = new ArrayList<>();
                    for (int s = 0; s < c.steps; s++) out.add(RandomWalkSampler.egoNodes(graph, c.batchSize, r));
                    return out;
                }

                /** Two walks from the same egos: queries for the query encoder, positive keys for the momentum encoder. */
                @Override
                public TrainingLoop.StepLoss forward(NDManager scope, int[] egos, int epoch, int step) {
                    Random walks = new Random(TrainingLoop.epochSeed(TrainingLoop.epochSeed(c.seed, epoch), step));
                    SubgraphBatch bq = batch(graph, c, walks, egos);
                    SubgraphBatch bk = batch(graph, c, walks, egos);
                    ParameterStore ps = new ParameterStore(scope, false);
                    keys = key.encode(ps, bk.toNd(scope), true, false).stopGradient();
                    NDArray q = query.encode(ps, bq.toNd(scope), true, true);
                    return new TrainingLoop.StepLoss(moco.loss(q, keys));
                }

                /** MoCo: the keys join the queue, the key encoder follows the query encoder. */
                @Override
                public void afterUpdate(NDManager scope, TrainingLoop.StepLoss step) {
                    moco.enqueue(keys);
                    moco.momentumUpdate();
                    keys = null;
                }
            };
            OptimizerSpec adam = Optimizers.adam(c.lr).weightDecay(c.weightDecay).clipGradNorm(c.clipNorm)
                    .schedule(Schedule.linear().warmup(c.warmup));
            TrainingLoop.Result r;
            try (InPlaceOptimizer opt = InPlaceOptimizer.ofArrays(adam, params, base, c.steps, c.steps)) {
                r = TrainingLoop.of("GCC pre-training (" + c.sampler.hops() + "-hop)", task, opt).epochs(1).seed(c.seed)
                        .progress(progress).stepLog(1).run();
            }
            double[] losses = r.steps().doubleColumn("loss").asDoubleArray();
            return new Result(base, query, c, losses, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    private static SubgraphBatch batch(BipartiteGraph g, Config c, Random rnd, int[] egos) {
        List<Subgraph> list = new ArrayList<>(egos.length);
        for (int v : egos) list.add(c.sampler.sample(g, v, rnd));
        return SubgraphBatch.of(list, c.encoder.positional(), c.encoder.maxDegree());
    }

    /** Eval-mode embeddings of {@code nodes}, each from one subgraph sampled around it. */
    static float[][] embed(GinEncoder encoder, NDManager base, BipartiteGraph graph, int[] nodes, RandomWalkSampler sampler,
                           int batchSize, long seed) {
        Random rnd = new Random(seed);
        float[][] out = new float[nodes.length][];
        List<NDArray> params = new ArrayList<>();
        for (Pair<String, Parameter> p : encoder.getParameters()) params.add(p.getValue().getArray());
        for (int start = 0; start < nodes.length; start += batchSize) {
            int end = Math.min(nodes.length, start + batchSize);
            List<Subgraph> list = new ArrayList<>();
            for (int i = start; i < end; i++) list.add(sampler.sample(graph, nodes[i], rnd));
            SubgraphBatch b = SubgraphBatch.of(list, encoder.config().positional(), encoder.config().maxDegree());
            try (NDManager sub = base.newSubManager()) {
                for (NDArray a : params) a.tempAttach(sub);
                NDArray e = encoder.encode(new ParameterStore(sub, false), b.toNd(sub), false, false);
                float[] flat = e.toFloatArray();
                int d = (int) e.getShape().get(1);
                for (int i = start; i < end; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, (i - start) * d, (i - start + 1) * d);
                }
            }
        }
        return out;
    }

    /** Embeddings of {@code nodes} with a given encoder living in {@code manager}'s tree. */
    public static float[][] embed(GinEncoder encoder, NDManager manager, BipartiteGraph graph, int[] nodes, RandomWalkSampler sampler, long seed) {
        return embed(encoder, manager, graph, nodes, sampler, 64, seed);
    }
}
