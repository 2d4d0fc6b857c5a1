namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>The writes <see cref="TrialWriteBuffer"/> batches, in the order one batch applies them.</summary>
internal enum TrialWriteKind
{
    Requeue,
    Start,
    Epoch,
    End,
}
