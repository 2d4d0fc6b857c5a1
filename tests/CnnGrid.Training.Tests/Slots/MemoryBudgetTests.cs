using CnnGrid.Training.Slots;

namespace CnnGrid.Training.Tests.Slots;

public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task A_trial_that_does_not_fit_beside_the_running_one_waits_until_it_releases()
    {
        var budget = new MemoryBudget(100);
        Assert.Equal(1, budget.Room); // nothing seen yet: one trial to learn its size

        var first = budget.Reserve(60, CancellationToken.None);
        Assert.Equal(0, budget.Room); // 40 left, the largest trial seen takes 60
        var second = Task.Run(() => budget.Reserve(60, CancellationToken.None));
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the second trial started although both do not fit");

        first.Dispose();
        using var held = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, budget.Room);
    }

    [Fact]
    public void Trials_that_fit_together_start_together_and_room_counts_by_the_largest_seen()
    {
        var budget = new MemoryBudget(100);
        using var a = budget.Reserve(20, CancellationToken.None);
        using var b = budget.Reserve(30, CancellationToken.None);
        Assert.Equal(1, budget.Room); // 50 left, 30 the largest
    }

    [Fact]
    public void A_trial_alone_starts_even_when_it_is_larger_than_the_budget()
    {
        var budget = new MemoryBudget(100);
        using var large = budget.Reserve(500, CancellationToken.None);
        Assert.Equal(0, budget.Room);
    }

    [Fact]
    public async Task A_waiting_trial_gives_up_when_cancelled()
    {
        var budget = new MemoryBudget(100);
        using var first = budget.Reserve(80, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var second = Task.Run(() => budget.Reserve(80, cancellation.Token));
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
