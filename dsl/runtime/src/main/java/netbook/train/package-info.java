/**
 * Training and running networks. {@link netbook.train.TrainingLoop} is the one loop every model
 * trains through (seeding, batching, the in-place update, progress, the divergence check,
 * callbacks, interruption, resumable checkpoints); {@link netbook.train.Fit} is its front end for
 * networks of the DSL (fluent settings, then {@code run()}). {@link netbook.train.TrainedModel}
 * holds the result (metrics, evaluate, predict, save/load); callbacks
 * ({@link netbook.train.EarlyStopping}, {@link netbook.train.ReduceOnPlateau},
 * {@link netbook.train.EvaluateEvery}, {@link netbook.train.TimeBudget}), optimisers and
 * schedules, {@link netbook.train.Metrics} tables, {@link netbook.train.Progress} events,
 * reproducibility {@link netbook.env.Stamp}s and the {@link netbook.env.Env} table.
 */
package netbook.train;
