using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>One stored trial as successive halving and the refit see it.</summary>
/// <param name="StoppedAtRung">The rung successive halving stopped it at, if it did.</param>
/// <param name="Spec">Its stored spec: <see cref="TrialSpec.PauseAfterEpoch"/> is the rung it trains (or trained) to.</param>
/// <param name="Accuracies">The validation accuracy of each epoch it trained, epoch 1 first.</param>
public sealed record RungTrial(
    string TrialId, string ConfigId, int Seed, int Fold, TrialState State, int? StoppedAtRung, bool Refit, int? BestEpoch,
    TrialSpec Spec, IReadOnlyList<double> Accuracies);
