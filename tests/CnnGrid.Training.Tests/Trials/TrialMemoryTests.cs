using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;

namespace CnnGrid.Training.Tests.Trials;

public sealed class TrialMemoryTests
{
    static readonly TrialSpec Seed000 = new() { Model = "seed000-cnn", BatchSize = 64, Optimizer = "adam" };

    [Fact]
    public void The_estimate_holds_weights_gradients_adam_state_activations_and_the_fold_s_images()
    {
        var shape = DatasetCatalog.Describe("fashion-mnist").Shape;
        var parameters = ModelCatalog.Describe("seed000-cnn", new ModelOptions(shape, 10)).Parameters;
        const long images = 6000;

        var bytes = TrialMemory.Estimate(Seed000, images);

        // seed000-cnn's layers output 32@28x28 (conv) and 32@14x14 (pool, then ReLU, dropout), 6,272 (flatten), 10 (logits).
        long activations = 784 + 32 * 28 * 28 + 3 * 32 * 14 * 14 + 6272 + 10;
        Assert.Equal(4 * (parameters * 4 + 2 * 64 * activations + images * 784), bytes);
    }

    [Fact]
    public void It_grows_with_the_batch_and_shrinks_with_a_stateless_optimizer()
    {
        var adam = TrialMemory.Estimate(Seed000, 1000);
        Assert.True(TrialMemory.Estimate(Seed000 with { BatchSize = 128 }, 1000) > adam);
        var sgd = TrialMemory.Estimate(Seed000 with { Optimizer = "sgd" }, 1000);
        var momentum = TrialMemory.Estimate(Seed000 with { Optimizer = "sgd", Momentum = 0.9 }, 1000);
        Assert.True(sgd < momentum && momentum < adam, $"sgd {sgd}, sgd with momentum {momentum}, adam {adam}");
    }

    [Fact]
    public void A_noop_trial_needs_nothing() => Assert.Equal(0, TrialMemory.Estimate(Seed000 with { Model = "noop" }, 1000));
}
