namespace CnnGrid.Abstractions;

/// <summary>One attempt at one trial, handed to a worker slot.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialAssignment
{
    [Id(0)] public required string TrialId { get; init; }
    [Id(1)] public required string SweepId { get; init; }
    [Id(2)] public required TrialSpec Spec { get; init; }

    /// <summary>1 for the first attempt; a trial re-queued after a lost worker or a failure gets the next number.</summary>
    [Id(3)] public required int Attempt { get; init; }

    /// <summary>Identifies this attempt: reports carrying another attempt's lease are ignored, so a fold is never counted twice.</summary>
    [Id(4)] public required Guid Lease { get; init; }
}
