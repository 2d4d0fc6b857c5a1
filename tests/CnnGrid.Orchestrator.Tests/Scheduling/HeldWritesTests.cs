using CnnGrid.Orchestrator.Scheduling;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

public sealed class HeldWritesTests
{
    [Fact]
    public void Writes_about_a_sweep_being_stored_wait_and_are_made_in_order_once_it_is()
    {
        var held = new HeldWrites();
        var made = new List<string>();
        held.Hold("storing");

        held.Write("storing", () => made.Add("epoch 1"));
        held.Write("other", () => made.Add("other"));
        held.Write("storing", () => made.Add("end"));
        Assert.Equal(["other"], made);
        Assert.True(held.IsHeld("storing"));

        Assert.True(held.Release("storing"));
        Assert.Equal(["other", "epoch 1", "end"], made);
        Assert.False(held.IsHeld("storing"));
        Assert.False(held.Release("storing"));
        held.Write("storing", () => made.Add("now"));
        Assert.Equal("now", made[^1]);
    }

    [Fact]
    public void A_dropped_sweeps_writes_are_never_made()
    {
        var held = new HeldWrites();
        var made = 0;
        held.Hold("withdrawn");
        held.Write("withdrawn", () => made++);

        held.Drop("withdrawn");

        Assert.False(held.Release("withdrawn"));
        Assert.Equal(0, made);
    }
}
