using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Scheduling;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

public sealed class TrialQueueTests
{
    private static QueuedTrial Trial(string id, string sweep = "s", double dropout = 0.1, int fold = 0, int attempts = 0) =>
        new(id, sweep, new TrialSpec { Model = "seed000-cnn", Dropout = dropout, Fold = fold }, attempts);

    [Fact]
    public void Trials_come_out_in_order_with_retried_and_put_back_ones_first()
    {
        var queue = new TrialQueue();
        queue.AddLast(Trial("a"));
        queue.AddLast(Trial("b"));
        queue.AddFirst(Trial("retried", attempts: 1));
        var first = queue.TakeFirst()!;
        var second = queue.TakeFirst()!;
        queue.PutBack([first, second]);

        Assert.Equal(["retried", "a", "b"], Drain(queue));
        Assert.Null(queue.TakeFirst());
        Assert.False(queue.Contains("a"));
    }

    [Fact]
    public void Fusing_takes_first_attempts_of_the_same_fold_that_differ_only_in_dropout_in_queue_order()
    {
        var queue = new TrialQueue();
        var lead = Trial("lead", dropout: 0.1);
        queue.AddLast(Trial("other fold", dropout: 0.2, fold: 1));
        queue.AddLast(Trial("retried", dropout: 0.3, attempts: 1));
        queue.AddLast(Trial("p1", dropout: 0.4));
        queue.AddLast(Trial("p2", dropout: 0.5));
        queue.AddLast(Trial("p3", dropout: 0.6));

        Assert.Equal(["p1", "p2"], queue.TakeFusing(lead, 2).Select(trial => trial.TrialId));
        Assert.Equal(["other fold", "retried", "p3"], Drain(queue));
    }

    [Fact]
    public void Taking_a_sweep_leaves_the_others_in_order()
    {
        var queue = new TrialQueue();
        queue.AddLast(Trial("x1", sweep: "x"));
        queue.AddLast(Trial("y1", sweep: "y"));
        queue.AddLast(Trial("x2", sweep: "x"));

        Assert.Equal(["x1", "x2"], queue.TakeSweep("x").Select(trial => trial.TrialId));
        Assert.False(queue.Contains("x2"));
        Assert.Equal(["y1"], Drain(queue));
    }

    private static List<string> Drain(TrialQueue queue)
    {
        var ids = new List<string>();
        while (queue.TakeFirst() is { } trial)
            ids.Add(trial.TrialId);
        return ids;
    }
}
