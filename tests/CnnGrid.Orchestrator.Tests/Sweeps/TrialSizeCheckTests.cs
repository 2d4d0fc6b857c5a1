using CnnGrid.Abstractions.Catalog;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class TrialSizeCheckTests
{
    [Fact]
    public void A_model_over_the_parameter_limit_is_refused_naming_the_grid_value_and_the_limit()
    {
        var problem = Assert.Single(Specs.Problems("""
            { "name": "x", "model": "mlp", "dataset": { "name": "cifar10", "path": "/data/cifar" }, "grid": { "hidden": [8, 8192] } }
            """, SweepCatalog.Default));

        // Two hidden layers of 8,192 units on 3×32×32 images, then 10 logits; weights and biases.
        const long parameters = (3 * 32 * 32 + 1) * 8192L + (8192 + 1) * 8192L + (8192 + 1) * 10L;
        Assert.Equal("grid.hidden[1]", problem.Path);
        Assert.Equal($"model mlp with hidden 8,192 on cifar10 has {parameters:N0} parameters, more than the limit of " +
            "50,000,000 a trial's model may have (Sweeps:MaxParameters)", problem.Message);
        var smaller = Specs.Parse("""{ "name": "x", "model": "mlp", "hidden": 4096 }""", SweepCatalog.Default);
        Assert.True(smaller.IsValid, "4,096 hidden units on 28×28 images are 20 M parameters: " + string.Join("; ", smaller.Problems));
    }

    [Fact]
    public void A_trial_whose_estimate_exceeds_the_memory_limit_is_refused_naming_the_batch_size()
    {
        var spec = """{ "name": "x", "model": "seed001-cnn", "batchSize": 8192, "grid": { "dropout": [0.1, 0.5] } }""";
        var trial = Specs.Parse(spec, SweepCatalog.Default).Sweep!.Trials[0].Spec;
        var estimate = TrialMemory.Estimate(trial, 60_000);
        var limits = SweepLimits.Default with { MaxTrialBytes = estimate - 1 };

        var problem = Assert.Single(Specs.Problems(spec, SweepCatalog.Default, limits));

        Assert.Equal("batchSize", problem.Path);
        Assert.StartsWith($"a trial of model seed001-cnn on fashion-mnist needs an estimated {estimate / (double)(1L << 30):N1} GiB of memory", problem.Message);
        Assert.EndsWith($"more than the {(estimate - 1) / (double)(1L << 30):N1} GiB a trial may use (Sweeps:MaxTrialBytes)", problem.Message);
        Assert.True(Specs.Parse(spec, SweepCatalog.Default, SweepLimits.Default with { MaxTrialBytes = estimate }).IsValid);
    }

    [Fact]
    public void The_largest_live_workers_memory_lowers_the_limit_and_is_named()
    {
        var limits = SweepLimits.Default.WithinWorkers([null, 2L << 30, 3L << 30]);
        Assert.Equal(3L << 30, limits.MaxTrialBytes);
        Assert.Equal("the memory of the largest live worker", limits.MaxTrialBytesSource);
        Assert.Same(SweepLimits.Default, SweepLimits.Default.WithinWorkers([null]));
        Assert.Same(SweepLimits.Default, SweepLimits.Default.WithinWorkers([]));
    }
}
