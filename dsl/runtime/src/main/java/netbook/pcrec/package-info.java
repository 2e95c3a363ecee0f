/**
 * PCRec's building blocks (pre-training on a source domain, fine-tuning on a target): the user-item {@link netbook.pcrec.BipartiteGraph},
 * GCC's r-ego subgraph sampler ({@link netbook.pcrec.RandomWalkSampler}) and structural node
 * features ({@link netbook.pcrec.NodeFeatures}), the GIN encoder ({@link netbook.pcrec.GinEncoder},
 * its MLPs and readouts written with the DSL), momentum contrast ({@link netbook.pcrec.Moco}) and
 * contrastive pre-training ({@link netbook.pcrec.ContrastivePretraining}), and BPR-trained MF and
 * LightGCN ({@link netbook.pcrec.BprRecommender}) with three ways to start from pre-trained values.
 * <pre>
 * BipartiteGraph source = BipartiteGraph.of(crossDomain.source());
 * try (var pre = ContrastivePretraining.run(source, ContrastivePretraining.Config.gcc(2).steps(500), Progress.none())) {
 *     float[][] init = pre.embed(BipartiteGraph.of(split.train()), nodes, 64, seed);
 *     var mf = BprRecommender.train("PCRec", split.train(), valid, BprRecommender.Config.mf(),
 *             new BprRecommender.Init(users(init), items(init), false), Progress.none());
 * }
 * </pre>
 * GCC's defaults (Qiu et al. 2020, its published training script) stand wherever PCRec's paper is silent.
 */
package netbook.pcrec;
