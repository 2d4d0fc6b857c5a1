using CnnGrid.Abstractions;
using CnnGrid.Training.Models;
using CnnGrid.Training.Trials;

namespace CnnGrid.Training.Tests.Trials;

public sealed class TrialSpecChecksTests
{
    [Fact]
    public void The_defaults_are_a_valid_trial() =>
        Assert.Equal(NormalizationKind.None, TrialSpecChecks.Validate(new TrialSpec()));

    /// <summary>The worker refuses with the words of the spec parser: both ask the contract's one table.</summary>
    [Fact]
    public void Momentum_one_is_refused_with_the_contracts_rule()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrialSpecChecks.Validate(new TrialSpec { Optimizer = "sgd", Momentum = 1.0 }));

        Assert.Contains(TrialParameters.Find("momentum")!.Problem(1.0)!, error.Message);
        Assert.Contains("momentum must be in [0, 1), got 1", error.Message);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrialSpecChecks.Validate(new TrialSpec { Dropout = 1, BatchSize = 0, Optimizer = "rmsprop", Fold = 7 }));

        Assert.Contains("dropout must be in [0, 1), got 1", error.Message);
        Assert.Contains("batchSize must be in [1, 8192], got 0", error.Message);
        Assert.Contains("optimizer must be one of sgd, adam, got \"rmsprop\"", error.Message);
        Assert.Contains("fold must be in [0, 5) (got 7)", error.Message);
    }

    [Fact]
    public void A_rung_before_epoch_one_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialSpecChecks.Validate(new TrialSpec { Epochs = 3, PauseAfterEpoch = 0 }));

        Assert.Contains("pause after epoch must be at least 1 (got 0)", error.Message);
        TrialSpecChecks.Validate(new TrialSpec { Epochs = 3, PauseAfterEpoch = 1 });
    }

    [Fact]
    public void A_refit_with_patience_or_a_rung_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrialSpecChecks.Validate(new TrialSpec { Epochs = 3, Refit = true, Patience = 2, PauseAfterEpoch = 1 }));

        Assert.Contains("a refit trains every epoch: patience does not apply (got 2)", error.Message);
        Assert.Contains("a refit trains every epoch: pause after epoch does not apply (got 1)", error.Message);
        TrialSpecChecks.Validate(new TrialSpec { Epochs = 3, Refit = true });
    }
}
