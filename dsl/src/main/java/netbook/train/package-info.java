/**
 * Training and running networks: {@link netbook.train.Fit} (fluent settings, then {@code run()}),
 * {@link netbook.train.TrainedModel} (metrics, evaluate, predict, save/load), optimisers and
 * schedules, {@link netbook.train.Progress} events, reproducibility {@link netbook.train.Stamp}s and
 * the {@link netbook.train.Env} table.
 */
package netbook.train;
