namespace CnnGrid.Abstractions;

/// <summary>
/// Where a trial's training stood after its epoch <paramref name="Epoch"/> finished: enough for another worker to
/// continue with the next epoch exactly as the interrupted run would have.
/// </summary>
/// <param name="Epoch">The last completed epoch (1-based).</param>
/// <param name="State">The trainer's own encoding of model, optimizer, random generators and epochs so far; opaque to the orchestrator.</param>
public sealed record ResumePoint(int Epoch, byte[] State);
