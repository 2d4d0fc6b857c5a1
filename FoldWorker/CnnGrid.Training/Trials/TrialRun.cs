using CnnGrid.Abstractions;

namespace CnnGrid.Training.Trials;

/// <summary>One trial to train (see <see cref="TrialTrainer.RunTogether"/>): its spec, where it reports, what stops it, where it resumes.</summary>
/// <param name="ResumeFrom">Where an earlier run of this same trial stopped; null to start at epoch 1.</param>
public sealed record TrialRun(TrialSpec Spec, ITrialProgress? Progress = null, CancellationToken Cancellation = default, ResumePoint? ResumeFrom = null);
