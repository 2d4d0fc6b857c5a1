using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Slots;
using CnnGrid.Training.Tests.Models;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Slots;

/// <summary>Real short trainings on a Fashion-MNIST subset (Debian's dataset-fashion-mnist), run through device slots.</summary>
/// <remarks>
/// Slot threads set libtorch's thread count, which is also the process-wide default that other threads pick up: run
/// alone, so reproducibility tests elsewhere never compare a run made before the default moved with one made after.
/// </remarks>
[Collection(SingleThreadedTorchCollection.Name)]
public sealed class DeviceSlotsTests : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    readonly DatasetCache datasets = new();

    static TrialSpec Small(int epochs = 1) => new()
    {
        Dataset = new DatasetSpec { Limit = 600 },
        Model = "seed004-cnn",
        Folds = 5,
        Epochs = epochs,
        BatchSize = 64,
        Seed = 7,
    };

    static DeviceSlotPlan Cpu(int slots) => new("cpu", slots, ThreadsPerSlot: 1, MemoryBounded: false);

    // Long enough that it is still training when the test cancels it or disposes its slots.
    static TrialSpec Endless() => Small(epochs: 1000);

    [Fact]
    public async Task Two_slots_train_two_trials_at_once_each_reporting_its_epochs_then_one_end()
    {
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 2));
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        Assert.Equal(0, slots.RecentImagesPerSecond);

        Assert.True(slots.TryStart("a", first, Small(epochs: 2)));
        Assert.True(slots.TryStart("b", second, Small(epochs: 2) with { Seed = 8 }));
        Assert.Equal(0, slots.Free);
        Assert.Equal(new[] { first, second }.Order(), slots.Running.Order());

        var events = await ReadUntilEnded(slots, 2);

        foreach (var (lease, id) in new[] { (first, "a"), (second, "b") })
        {
            var own = events.Where(e => e.Lease == lease).ToList();
            Assert.All(own, e => Assert.Equal(id, e.TrialId));
            Assert.Equal([1, 2], own.OfType<EpochFinished>().Select(e => e.Metrics.Epoch));
            var ended = Assert.IsType<TrialEnded>(own[^1]);
            Assert.Single(own.OfType<TrialEnded>());
            Assert.Equal(TrialOutcome.Completed, ended.Result.Outcome);
        }
        Assert.Equal(2, slots.Free);
        Assert.Empty(slots.Running);
        Assert.False(slots.Events.TryRead(out _), "nothing follows a trial's end");
        Assert.True(slots.RecentImagesPerSecond > 0);
    }

    [Fact]
    public async Task Trials_that_train_together_take_one_slot_and_each_reports_its_own_epochs_and_end()
    {
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 1) with { TrialsPerSlot = 3 });
        var group = new[] { 0.2, 0.4, 0.6 }.Select((p, i) => new SlotTrial($"d{i}", Guid.NewGuid(), Small(epochs: 2) with { Dropout = p })).ToList();

        Assert.True(slots.TryStart(group));
        Assert.Equal(0, slots.Free);
        Assert.Equal(group.Select(trial => trial.Lease).Order(), slots.Running.Order());
        Assert.False(slots.TryStart("other", Guid.NewGuid(), Small()), "the group holds the only slot");
        slots.Cancel(group[1].Lease);

        var events = await ReadUntilEnded(slots, 3);

        var ends = events.OfType<TrialEnded>().ToDictionary(e => e.TrialId);
        Assert.Equal(TrialOutcome.Cancelled, ends["d1"].Result.Outcome);
        foreach (var id in new[] { "d0", "d2" })
        {
            Assert.Equal(TrialOutcome.Completed, ends[id].Result.Outcome);
            Assert.Equal([1, 2], events.OfType<EpochFinished>().Where(e => e.TrialId == id).Select(e => e.Metrics.Epoch));
        }
        Assert.Equal(1, slots.Free);
        Assert.Throws<ArgumentException>(() => slots.TryStart([group[0] with { Lease = Guid.NewGuid() }, group[1] with { Lease = Guid.NewGuid(), Spec = Small() with { Dropout = 0.2, Fold = 3 } }]));
    }

    [Fact]
    public async Task A_memory_bounded_device_offers_as_many_slots_as_its_trials_estimates_fit_into_its_usable_memory()
    {
        var estimate = new TrialTrainer(datasets).MemoryEstimate(Small(), CPU);
        // Usable memory (the GPU share of the free bytes) for two and a half such trials.
        var free = (long)(2.5 * estimate / CoreBudget.GpuMemoryShare);
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, new DeviceSlotPlan("cpu", 8, 1, MemoryBounded: true), free);
        Assert.Equal(1, slots.Free); // no trial seen yet: one, to learn its size

        Assert.True(slots.TryStart("a", Guid.NewGuid(), Endless()));
        await Eventually(() => slots.Free == 1); // once it holds its memory: room for one more of its size
        Assert.True(slots.TryStart("b", Guid.NewGuid(), Endless()));
        await Eventually(() => slots.Free == 0);
        Assert.Equal(2, slots.Running.Count);
    }

    static async Task Eventually(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow + Patience; !condition(); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
    }

    [Fact]
    public async Task A_full_device_refuses_a_trial_until_a_cancelled_one_frees_its_slot()
    {
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 2));
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), third = Guid.NewGuid();
        Assert.True(slots.TryStart("a", first, Endless()));
        Assert.True(slots.TryStart("b", second, Endless()));

        Assert.False(slots.TryStart("c", third, Small()));
        Assert.DoesNotContain(third, slots.Running);

        slots.Cancel(first);
        var ended = (await ReadUntilEnded(slots, 1)).OfType<TrialEnded>().Single();

        Assert.Equal(first, ended.Lease);
        Assert.Equal(TrialOutcome.Cancelled, ended.Result.Outcome);
        Assert.Equal(1, slots.Free); // freed no later than its end event was readable
        Assert.True(slots.TryStart("c", third, Small()));
        Assert.Equal(new[] { second, third }.Order(), slots.Running.Order());
    }

    [Fact]
    public Task An_unknown_model_ends_the_trial_failed_and_frees_its_slot() =>
        AssertFailsNaming(Small() with { Model = "no-such-model" }, "no-such-model");

    [Fact]
    public Task A_missing_dataset_folder_ends_the_trial_failed_and_frees_its_slot() =>
        AssertFailsNaming(Small() with { Dataset = new DatasetSpec { Name = "mnist", Path = "/nonexistent/mnist", Limit = 600 } },
            "/nonexistent/mnist");

    [Fact]
    public async Task A_trial_in_a_slot_gives_the_same_results_as_training_it_directly()
    {
        var spec = Small(epochs: 2) with { Dropout = 0.3 };
        var direct = new TrialTrainer(datasets).Run(spec, CPU);
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 2));
        var lease = Guid.NewGuid();
        Assert.True(slots.TryStart("same", lease, spec));
        Assert.True(slots.TryStart("other", Guid.NewGuid(), spec with { Seed = 9 })); // trains alongside

        var events = (await ReadUntilEnded(slots, 2)).Where(e => e.Lease == lease).ToList();
        var ended = events.OfType<TrialEnded>().Single();

        Assert.Equal(Signature(direct.Epochs), Signature(ended.Result.Epochs));
        Assert.Equal(Signature(direct.Epochs), Signature(events.OfType<EpochFinished>().Select(e => e.Metrics)));
        Assert.Equal(direct.BestEpoch, ended.Result.BestEpoch);
        Assert.Equal(direct.BestCheckpoint, ended.Result.BestCheckpoint);
    }

    [Fact]
    public async Task Each_epoch_but_the_last_reports_a_resume_point_and_a_trial_started_from_one_reports_only_the_later_epochs()
    {
        var spec = Small(epochs: 3) with { Dropout = 0.3 };
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 1));
        Assert.True(slots.TryStart("whole", Guid.NewGuid(), spec));
        var whole = await ReadUntilEnded(slots, 1);
        var points = whole.OfType<EpochFinished>().Select(e => e.ResumePoint).ToList();
        // The last epoch's would only be stored to be deleted: the trial's end follows at once and carries everything.
        Assert.Equal([1, 2, null], points.Select(point => point?.Epoch));

        Assert.True(slots.TryStart("resumed", Guid.NewGuid(), spec, resumeFrom: points[0]));
        var resumed = await ReadUntilEnded(slots, 1);

        Assert.Equal([2, 3], resumed.OfType<EpochFinished>().Select(e => e.Metrics.Epoch));
        var ended = resumed.OfType<TrialEnded>().Single();
        Assert.Equal(Signature(whole.OfType<TrialEnded>().Single().Result.Epochs), Signature(ended.Result.Epochs));
    }

    [Fact]
    public async Task A_trial_given_an_unreadable_resume_point_trains_from_epoch_1_instead_of_failing()
    {
        var spec = Small(epochs: 2) with { Dropout = 0.3 };
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 1));
        Assert.True(slots.TryStart("whole", Guid.NewGuid(), spec));
        var whole = await ReadUntilEnded(slots, 1);

        Assert.True(slots.TryStart("corrupt", Guid.NewGuid(), spec, resumeFrom: new ResumePoint(1, [1, 2, 3])));
        var restarted = await ReadUntilEnded(slots, 1);

        Assert.Equal([1, 2], restarted.OfType<EpochFinished>().Select(e => e.Metrics.Epoch));
        var ended = restarted.OfType<TrialEnded>().Single();
        Assert.Equal(TrialOutcome.Completed, ended.Result.Outcome);
        Assert.Equal(Signature(whole.OfType<TrialEnded>().Single().Result.Epochs), Signature(ended.Result.Epochs));
    }

    [Fact]
    public async Task Disposing_cancels_running_trials_waits_for_them_and_completes_the_events()
    {
        var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 2));
        Assert.True(slots.TryStart("a", Guid.NewGuid(), Endless()));
        Assert.True(slots.TryStart("b", Guid.NewGuid(), Endless()));

        await slots.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Empty(slots.Running);
        var events = new List<TrialEvent>();
        await foreach (var e in slots.Events.ReadAllAsync()) // ends only because disposal completed the channel
            events.Add(e);
        var ends = events.OfType<TrialEnded>().ToList();
        Assert.Equal(2, ends.Count);
        Assert.All(ends, e => Assert.Equal(TrialOutcome.Cancelled, e.Result.Outcome));
        Assert.Throws<ObjectDisposedException>(() => slots.TryStart("c", Guid.NewGuid(), Small()));
    }

    /// <summary>Runs a trial whose training throws on a single slot: it must end failed, and the slot must take another.</summary>
    async Task AssertFailsNaming(TrialSpec spec, string named)
    {
        await using var slots = new DeviceSlots(new TrialTrainer(datasets), CPU, Cpu(slots: 1));
        Assert.True(slots.TryStart("bad", Guid.NewGuid(), spec));

        var ended = Assert.IsType<TrialEnded>(Assert.Single(await ReadUntilEnded(slots, 1)));

        Assert.Equal(TrialOutcome.Failed, ended.Result.Outcome);
        Assert.Contains(named, ended.Result.Reason);
        Assert.Empty(ended.Result.Epochs);
        Assert.Equal(1, slots.Free);
        Assert.True(slots.TryStart("good", Guid.NewGuid(), Small()));
    }

    /// <summary>Reads events until <paramref name="ends"/> trials have ended, failing rather than hanging.</summary>
    static async Task<List<TrialEvent>> ReadUntilEnded(DeviceSlots slots, int ends)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var events = new List<TrialEvent>();
        while (events.OfType<TrialEnded>().Count() < ends)
            events.Add(await slots.Events.ReadAsync(timeout.Token));
        return events;
    }

    static string Signature(IEnumerable<EpochMetrics> epochs) => string.Join(";", epochs.Select(e =>
        $"{e.Epoch},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R}"));

    public void Dispose() => datasets.Dispose();
}
